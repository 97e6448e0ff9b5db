/// Appends JSON text to a byte buffer: escaped strings, integers, floating-point numbers and
/// whole ``JSONValue``s, in compact form.
///
/// Strings are escaped minimally (`"`, `\`, and control characters; everything else is written as
/// UTF-8). Invalid UTF-8 in raw byte input is replaced by U+FFFD so the output is always valid JSON.
public enum JSONWriter {
    /// Appends `s` as a quoted, escaped JSON string.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString(utf8: UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends UTF-8 bytes as a quoted, escaped JSON string; invalid sequences become U+FFFD.
    public static func appendString(utf8 p: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(utf8: p, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the escaped content of a JSON string (without quotes); invalid UTF-8 becomes U+FFFD.
    public static func appendEscaped(utf8 p: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let n = p.count
        guard n > 0, let base = p.baseAddress else { return }
        var i = 0
        var run = 0
        while i < n {
            while i &+ 8 <= n {
                let w = UInt64(littleEndian: (base + i).loadUnaligned(as: UInt64.self))
                if JSONScanner.needsAttention(w) { break }
                i &+= 8
            }
            guard i < n else { break }
            let b = p[i]
            if b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            if b >= 0x80 {
                let l = UTF8Validation.sequenceLength(p, at: i)
                if l > 0 {
                    i += l
                    continue
                }
            }
            if i > run { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[run..<i])) }
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hexDigit(b >> 4), hexDigit(b & 0xF),
                ])
            default:
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD for a byte that starts no valid sequence
            }
            i += 1
            run = i
        }
        if n > run { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[run..<n])) }
    }

    @inline(__always)
    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "A") + v - 10 }

    /// Appends a signed integer in decimal.
    @inline(__always)
    public static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        appendInteger(v.magnitude, to: &out)
    }

    /// Appends an unsigned integer in decimal.
    public static func appendInteger(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            var x = v
            while x > 0 {
                i -= 1
                buf[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: x % 10)
                x /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
        }
    }

    /// Appends `v` zero-padded on the left to `width` digits (`v` must be non-negative).
    public static func appendPadded(_ v: Int64, width: Int, to out: inout [UInt8]) {
        var digits = 1
        var x = v.magnitude
        while x >= 10 { x /= 10; digits += 1 }
        if digits < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits)) }
        appendInteger(v, to: &out)
    }

    /// Appends a double in the shortest form that reads back exactly; NaN and infinities as the
    /// JSON strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    public static func appendDouble(_ v: Double, to out: inout [UInt8]) {
        if v.isFinite {
            if v.magnitude < 1e15 && v == v.rounded(.towardZero) {
                // Integral values print as "5.0", as the standard library does, without a String.
                if v.sign == .minus { out.append(UInt8(ascii: "-")) }
                appendInteger(UInt64(v.magnitude), to: &out)
                out.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
                return
            }
            out.append(contentsOf: v.description.utf8)
        } else {
            appendNonFinite(isNaN: v.isNaN, negative: v.sign == .minus, to: &out)
        }
    }

    /// Appends a float in the shortest form that reads back exactly as a `Float`; NaN and
    /// infinities as strings.
    public static func appendFloat(_ v: Float, to out: inout [UInt8]) {
        if v.isFinite {
            out.append(contentsOf: v.description.utf8)
        } else {
            appendNonFinite(isNaN: v.isNaN, negative: v.sign == .minus, to: &out)
        }
    }

    static func appendNonFinite(isNaN: Bool, negative: Bool, to out: inout [UInt8]) {
        if isNaN {
            out.append(contentsOf: "\"NaN\"".utf8)
        } else if negative {
            out.append(contentsOf: "\"-Infinity\"".utf8)
        } else {
            out.append(contentsOf: "\"Infinity\"".utf8)
        }
    }

    /// Appends the compact JSON text of a value.
    public static func appendValue(_ v: JSONValue, to out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.text.utf8)
        case .string(let s): appendString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendValue(e, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendString(m.key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendValue(m.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
