/// Standard base64 (RFC 4648 §4, alphabet `A–Z a–z 0–9 + /`, `=` padding), the canonical text
/// form of binary values.
public enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the padded base64 encoding of `bytes`.
    public static func append(encoding bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let n = bytes.count
        out.reserveCapacity(out.count + (n + 2) / 3 * 4)
        alphabet.withUnsafeBufferPointer { a in
            var i = 0
            while i + 3 <= n {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(a[Int(v >> 18)])
                out.append(a[Int(v >> 12 & 63)])
                out.append(a[Int(v >> 6 & 63)])
                out.append(a[Int(v & 63)])
                i += 3
            }
            if n - i == 1 {
                let v = UInt32(bytes[i]) << 16
                out.append(a[Int(v >> 18)])
                out.append(a[Int(v >> 12 & 63)])
                out.append(UInt8(ascii: "="))
                out.append(UInt8(ascii: "="))
            } else if n - i == 2 {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                out.append(a[Int(v >> 18)])
                out.append(a[Int(v >> 12 & 63)])
                out.append(a[Int(v >> 6 & 63)])
                out.append(UInt8(ascii: "="))
            }
        }
    }

    /// The padded base64 encoding of `bytes` as a string.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        Array(bytes).withUnsafeBytes { append(encoding: $0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func value(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    /// Decodes base64 text and appends the bytes to `out`. Padding may be omitted; anything else
    /// outside the alphabet (whitespace included), misplaced padding or non-zero trailing bits
    /// are errors.
    public static func decode(_ text: UnsafeRawBufferPointer, appendingTo out: inout [UInt8]) throws(TextValueError) {
        var n = text.count
        if n > 0 && text[n - 1] == UInt8(ascii: "=") { n -= 1 }
        if n > 0 && text[n - 1] == UInt8(ascii: "=") { n -= 1 }
        if n < text.count && text.count % 4 != 0 {
            throw TextValueError("base64 padding does not complete a 4-character group")
        }
        guard n % 4 != 1 else { throw TextValueError("base64 text has a dangling character") }
        var acc: UInt32 = 0
        var bits = 0
        for i in 0..<n {
            guard let v = value(text[i]) else {
                let c = text[i]
                let shown =
                    c >= 0x21 && c < 0x7F
                    ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16, uppercase: true))"
                throw TextValueError("\(shown) at offset \(i) is not a base64 character")
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        guard acc == 0 else { throw TextValueError("base64 text has non-zero padding bits") }
    }
}
