/// URI encoding as SigV4 defines it: the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`)
/// stay, every other byte of the UTF-8 form becomes `%XX` with upper-case hex; `/` stays only in
/// paths.
public enum AWSURIEncoding {
    /// Encodes `text`, keeping `/` when `keepingSlash` (paths and S3 keys).
    public static func encode(_ text: String, keepingSlash: Bool) -> String {
        var utf8 = Array(text.utf8)
        return encode(bytes: &utf8, keepingSlash: keepingSlash)
    }

    static func encode(bytes: inout [UInt8], keepingSlash: Bool) -> String {
        if bytes.allSatisfy({ isUnreserved($0) || (keepingSlash && $0 == UInt8(ascii: "/")) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` sequences (for keys returned in listings with `encoding-type=url`).
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) || text.utf8.contains(UInt8(ascii: "+")) else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]),
                let lo = hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    /// Lower-case hex of bytes (digests in the canonical request and the signature).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let lower: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(lower[Int(b >> 4)])
            out.append(lower[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
