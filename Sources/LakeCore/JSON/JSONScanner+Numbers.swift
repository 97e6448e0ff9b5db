/// A JSON number as it appears in the input, validated against the RFC 8259 grammar.
public struct JSONNumberSpan: Sendable, Hashable {
    /// Offsets of the number's text.
    public var range: Range<Int>
    /// True when the text has neither a fraction nor an exponent (`-12`, `0`).
    public var isInteger: Bool

    /// A span over already validated number text.
    public init(range: Range<Int>, isInteger: Bool) {
        self.range = range
        self.isInteger = isInteger
    }
}

extension JSONScanner {
    /// Scans a number at the cursor (after whitespace) per the RFC 8259 grammar
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and returns its span.
    ///
    /// The cursor ends after the number. What follows is not checked here (the caller expects a
    /// delimiter), so `12ab` scans `12` and the caller reports `ab`.
    public mutating func scanNumber() throws(LakeError) -> JSONNumberSpan {
        skipWhitespace()
        let start = position
        let n = bytes.count
        var i = position
        var isInteger = true
        if i < n && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, Self.isDigit(bytes[i]) else {
            position = i
            throw error(expected: i == start ? "a number" : "a digit after '-'")
        }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < n && Self.isDigit(bytes[i]) {
                throw error("leading zeros are not allowed in a number", at: start)
            }
        } else {
            while i < n && Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < n, Self.isDigit(bytes[i]) else {
                position = i
                throw error(expected: "a digit after the decimal point")
            }
            while i < n && Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            isInteger = false
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < n, Self.isDigit(bytes[i]) else {
                position = i
                throw error(expected: "a digit in the exponent")
            }
            while i < n && Self.isDigit(bytes[i]) { i += 1 }
        }
        position = i
        return JSONNumberSpan(range: start..<i, isInteger: isInteger)
    }

    /// The raw bytes of a span.
    @inline(__always)
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The text of a span (for messages and rare slow paths).
    public func text(_ range: Range<Int>) -> String {
        String(decoding: slice(range), as: UTF8.self)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
}
