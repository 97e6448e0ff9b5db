/// A byte-level cursor over JSON text (RFC 8259), the primitive every JSON reader in lake builds on.
///
/// The scanner never allocates on its own: strings are returned as spans of the input (with a flag
/// telling whether they contain escapes), numbers as validated spans, and callers decide what to
/// materialise. It works on an `UnsafeRawBufferPointer` that must stay valid while the scanner is
/// used. Positions are byte offsets into that buffer; error messages name the 1-based byte
/// column (`position + 1`), so scanning one JSON line at a time gives line-relative columns.
///
/// Every method that consumes input checks bounds against the bytes actually present: hostile
/// input produces a ``LakeError`` with code `.invalidInput`, never a crash or an unbounded loop.
/// Nesting is limited by ``maxDepth`` in the methods that recurse (``skipValue(depth:)`` and
/// the ``JSONParser``).
public struct JSONScanner {
    /// The default nesting limit for arrays and objects.
    public static let defaultMaxDepth = 512

    /// The JSON text being scanned.
    public let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public var position: Int
    /// The deepest nesting of arrays and objects accepted by the recursive methods.
    public var maxDepth: Int

    /// Creates a scanner at the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = JSONScanner.defaultMaxDepth) {
        self.bytes = bytes
        self.position = 0
        self.maxDepth = maxDepth
    }

    /// Whether every byte has been consumed.
    @inline(__always)
    public var isAtEnd: Bool { position >= bytes.count }

    /// The byte at the cursor, or `nil` at the end. Does not skip whitespace.
    @inline(__always)
    public var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Advances past JSON whitespace (space, tab, line feed, carriage return).
    @inline(__always)
    public mutating func skipWhitespace() {
        let n = bytes.count
        while position < n {
            let b = bytes[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// Skips whitespace and returns the next byte without consuming it, or `nil` at the end.
    @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return current
    }

    /// Skips whitespace, then consumes `byte` if it is next. Returns whether it did.
    @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if position < bytes.count && bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    /// Skips whitespace, then consumes `byte` or throws naming what was expected.
    ///
    /// - Parameter expected: how the error message describes the expectation, e.g. `"':' after an object key"`.
    @inline(__always)
    public mutating func expect(_ byte: UInt8, _ expected: @autoclosure () -> String) throws(LakeError) {
        skipWhitespace()
        guard position < bytes.count && bytes[position] == byte else {
            throw error(expected: expected())
        }
        position += 1
    }

    /// Skips trailing whitespace and throws if anything else remains (trailing garbage).
    public mutating func expectEnd() throws(LakeError) {
        skipWhitespace()
        guard isAtEnd else {
            throw LakeError(
                .invalidInput, "column \(position + 1): unexpected \(describeToken(at: position)) after the JSON value")
        }
    }

    /// Consumes the literal `true` or `false`.
    public mutating func parseBool() throws(LakeError) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw error(expected: "true or false")
    }

    /// Consumes the literal `null`.
    public mutating func parseNull() throws(LakeError) {
        skipWhitespace()
        guard matchLiteral("null") else { throw error(expected: "null") }
    }

    /// Consumes `literal` if the bytes at the cursor spell it exactly. Does not skip whitespace.
    @inline(__always)
    public mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard bytes.count - position >= n else { return false }
        let p = literal.utf8Start
        for i in 0..<n where bytes[position + i] != p[i] { return false }
        position += n
        return true
    }

    /// What kind of value starts at the cursor (after whitespace), or `nil` at the end or on a
    /// byte that cannot start a value.
    public mutating func peekKind() -> JSONValueKind? {
        guard let b = peek() else { return nil }
        switch b {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return nil
        }
    }

    /// Skips one complete value of any kind (validating it), nesting up to ``maxDepth``.
    ///
    /// - Parameter depth: the nesting depth of the value's container (0 at the top level).
    public mutating func skipValue(depth: Int = 0) throws(LakeError) {
        switch peekKind() {
        case .object:
            try enterContainer(depth: depth)
            position += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error(expected: "a string key") }
                _ = try scanString()
                try expect(UInt8(ascii: ":"), "':' after an object key")
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "',' or '}' after an object member")
        case .array:
            try enterContainer(depth: depth)
            position += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), "',' or ']' after an array element")
        case .string:
            _ = try scanString()
        case .number:
            _ = try scanNumber()
        case .bool:
            _ = try parseBool()
        case .null:
            try parseNull()
        case nil:
            throw error(expected: "a value")
        }
    }

    /// Throws if opening another container at `depth` would exceed ``maxDepth``.
    @inline(__always)
    public func enterContainer(depth: Int) throws(LakeError) {
        guard depth < maxDepth else {
            throw LakeError(.invalidInput, "column \(position + 1): nesting deeper than \(maxDepth) levels")
        }
    }

    // MARK: Errors

    /// An `.invalidInput` error at the cursor: `column N: expected X, found Y`.
    public func error(expected: String) -> LakeError {
        LakeError(.invalidInput, "column \(position + 1): expected \(expected), found \(describeToken(at: position))")
    }

    /// An `.invalidInput` error with a free-form message at byte `offset`.
    public func error(_ message: String, at offset: Int) -> LakeError {
        LakeError(.invalidInput, "column \(offset + 1): \(message)")
    }

    /// A short human description of the token starting at `offset`, for error messages:
    /// `end of input`, `'}'`, `"abc"`, `123`, `tru`, or `byte 0xFF`. Long tokens are cut at 40 characters.
    public func describeToken(at offset: Int) -> String {
        guard offset < bytes.count, offset >= 0 else { return "end of input" }
        let b = bytes[offset]
        func text(_ r: Range<Int>) -> String {
            let cut = r.count > 40
            let end = cut ? r.lowerBound + 40 : r.upperBound
            let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[r.lowerBound..<end]), as: UTF8.self)
            return cut ? s + "…" : s
        }
        if b == UInt8(ascii: "\"") {
            var i = offset + 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                if bytes[i] == UInt8(ascii: "\"") { break }
                i += 1
            }
            let end = Swift.min(i + 1, bytes.count)
            return text(offset..<end)
        }
        if Self.isWordByte(b) {
            var i = offset
            while i < bytes.count && Self.isWordByte(bytes[i]) { i += 1 }
            return text(offset..<i)
        }
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b == 0x20 { return "' '" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
    }
}

/// The kinds of JSON values, as seen from their first byte.
public enum JSONValueKind: Sendable, Hashable {
    case null
    case bool
    case number
    case string
    case array
    case object

    /// The kind's name for messages (`a string`, `an object`).
    public var article: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
