/// A JSON string as it appears in the input: the bytes between the quotes, escapes still encoded.
///
/// A span returned by ``JSONScanner/scanString()`` has been fully validated (escapes, surrogate
/// pairs, UTF-8, no raw control characters), so decoding it cannot fail. When ``hasEscapes`` is
/// false the raw bytes *are* the string's UTF-8.
public struct JSONStringSpan: Sendable, Hashable {
    /// Offsets of the content, excluding the quotes.
    public var range: Range<Int>
    /// Whether the content contains backslash escapes.
    public var hasEscapes: Bool

    /// A span over already validated string content.
    public init(range: Range<Int>, hasEscapes: Bool) {
        self.range = range
        self.hasEscapes = hasEscapes
    }
}

extension JSONScanner {
    /// Scans a string starting at the cursor (which must be on `"`, after whitespace), validating
    /// it completely, and returns its span. The cursor ends after the closing quote.
    ///
    /// Rejects raw control characters (U+0000–U+001F), invalid escapes, unpaired surrogates in
    /// `\u` escapes, invalid UTF-8 and a missing closing quote.
    public mutating func scanString() throws(LakeError) -> JSONStringSpan {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw error(expected: "a string") }
        let open = position
        position += 1
        let start = position
        var hasEscapes = false
        let n = bytes.count
        guard let base = bytes.baseAddress else { throw error("unterminated string", at: open) }
        while true {
            // Eight bytes at a time while none is a quote, a backslash, a control or non-ASCII byte.
            while position &+ 8 <= n {
                let w = UInt64(littleEndian: (base + position).loadUnaligned(as: UInt64.self))
                if Self.needsAttention(w) { break }
                position &+= 8
            }
            guard position < n else { throw error("unterminated string", at: open) }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let span = JSONStringSpan(range: start..<position, hasEscapes: hasEscapes)
                position += 1
                return span
            }
            if b == UInt8(ascii: "\\") {
                hasEscapes = true
                try scanEscape()
            } else if b < 0x20 {
                throw error("unescaped control character U+\(Self.hex4(UInt16(b))) in a string", at: position)
            } else if b < 0x80 {
                position += 1
            } else {
                try scanUTF8Sequence()
            }
        }
    }

    /// Scans a string and appends its decoded UTF-8 to `out`.
    public mutating func parseString(into out: inout [UInt8]) throws(LakeError) {
        let span = try scanString()
        appendContents(of: span, to: &out)
    }

    /// Scans a string and returns it.
    public mutating func parseString() throws(LakeError) -> String {
        let span = try scanString()
        if !span.hasEscapes {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[span.range]), as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(span.range.count)
        appendContents(of: span, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the decoded UTF-8 of a span returned by ``scanString()`` to `out`.
    public func appendContents(of span: JSONStringSpan, to out: inout [UInt8]) {
        if !span.hasEscapes {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[span.range]))
            return
        }
        var i = span.range.lowerBound
        let end = span.range.upperBound
        while i < end {
            var j = i
            while j < end && bytes[j] != UInt8(ascii: "\\") { j += 1 }
            if j > i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j])) }
            guard j < end else { return }
            let e = bytes[j + 1]
            i = j + 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(hexValue(at: j + 2))
                i = j + 6
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    let low = UInt32(hexValue(at: j + 8))
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i = j + 12
                }
                Self.appendUTF8(scalar: scalar, to: &out)
            default: out.append(e)  // " \ /
            }
        }
    }

    /// Whether a span returned by ``scanString()`` decodes to exactly `utf8`.
    public func contents(of span: JSONStringSpan, equal utf8: UnsafeRawBufferPointer) -> Bool {
        if !span.hasEscapes {
            guard span.range.count == utf8.count else { return false }
            var i = 0
            var k = span.range.lowerBound
            while i < utf8.count {
                if bytes[k] != utf8[i] { return false }
                i += 1
                k += 1
            }
            return true
        }
        var decoded: [UInt8] = []
        appendContents(of: span, to: &decoded)
        return decoded.withUnsafeBytes { $0.elementsEqual(utf8) }
    }

    // MARK: Validation helpers

    /// True when any byte of `w` is `"`, `\`, below 0x20 or at least 0x80 (may report false
    /// positives, never false negatives).
    @inline(__always)
    static func needsAttention(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let q = w ^ (ones &* 0x22)
        let s = w ^ (ones &* 0x5C)
        let hasQuote = (q &- ones) & ~q
        let hasSlash = (s &- ones) & ~s
        let hasControl = (w &- (ones &* 0x20)) & ~w
        return ((hasQuote | hasSlash | hasControl) & high) | (w & high) != 0
    }

    /// Validates the escape at the cursor (on `\`) and advances past it.
    mutating func scanEscape() throws(LakeError) {
        let at = position
        guard position + 1 < bytes.count else { throw error("unterminated escape in a string", at: at) }
        let e = bytes[position + 1]
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            let unit = try scanHex4(at: position + 2, escapeAt: at)
            position += 6
            if unit >= 0xDC00 && unit < 0xE000 {
                throw error("unpaired low surrogate \\u\(Self.hex4(unit)) in a string", at: at)
            }
            if unit >= 0xD800 && unit < 0xDC00 {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw error("high surrogate \\u\(Self.hex4(unit)) not followed by a low surrogate escape", at: at)
                }
                let low = try scanHex4(at: position + 2, escapeAt: position)
                guard low >= 0xDC00 && low < 0xE000 else {
                    throw error(
                        "high surrogate \\u\(Self.hex4(unit)) followed by \\u\(Self.hex4(low)), not a low surrogate",
                        at: at)
                }
                position += 6
            }
        default:
            throw error("invalid escape \(describeEscape(e)) in a string", at: at)
        }
    }

    private func describeEscape(_ e: UInt8) -> String {
        if e >= 0x21 && e < 0x7F { return "'\\\(Character(Unicode.Scalar(e)))'" }
        return "'\\' followed by byte 0x\(String(e, radix: 16, uppercase: true))"
    }

    private func scanHex4(at offset: Int, escapeAt: Int) throws(LakeError) -> UInt16 {
        guard offset + 4 <= bytes.count else { throw error("truncated \\u escape in a string", at: escapeAt) }
        var v: UInt16 = 0
        for k in 0..<4 {
            guard let d = Self.hexDigit(bytes[offset + k]) else {
                throw error("invalid \\u escape: '\(describeToken(at: offset + k))' is not a hex digit", at: escapeAt)
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    /// The value of 4 hex digits known to be valid.
    private func hexValue(at offset: Int) -> UInt16 {
        var v: UInt16 = 0
        for k in 0..<4 { v = v << 4 | UInt16(Self.hexDigit(bytes[offset + k]) ?? 0) }
        return v
    }

    @inline(__always)
    static func hexDigit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    /// Validates one multi-byte UTF-8 sequence at the cursor (RFC 3629: no overlongs, no
    /// surrogates, nothing above U+10FFFF) and advances past it.
    mutating func scanUTF8Sequence() throws(LakeError) {
        let length = UTF8Validation.sequenceLength(bytes, at: position)
        guard length > 0 else {
            throw error(
                "invalid UTF-8 sequence starting with byte 0x\(String(bytes[position], radix: 16, uppercase: true)) in a string",
                at: position)
        }
        position += length
    }

    /// Appends the UTF-8 encoding of a Unicode scalar value.
    @inline(__always)
    static func appendUTF8(scalar c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(c))
        } else if c < 0x800 {
            out.append(UInt8(0xC0 | (c >> 6)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else if c < 0x10000 {
            out.append(UInt8(0xE0 | (c >> 12)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (c >> 18)))
            out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        }
    }
}
