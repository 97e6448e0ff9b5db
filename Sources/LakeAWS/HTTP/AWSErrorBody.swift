import Foundation

/// The error code and message of a service's error answer, read from either protocol's shape:
/// REST-XML (`<Error><Code>NoSuchKey</Code><Message>…</Message></Error>`) or AWS JSON
/// (`{"__type": "com.amazon.coral.service#ThrottlingException", "message": "…"}`, also
/// `x-amzn-ErrorType`).
///
/// Error bodies are small; a scan for the two fields suffices and never throws.
public struct AWSErrorBody: Sendable, Equatable {
    public var code: String?
    public var message: String?

    public init(code: String?, message: String?) {
        self.code = code
        self.message = message
    }

    /// Reads the code and message of an error response.
    public init(response: AWSResponse) {
        let text = String(decoding: response.body, as: UTF8.self)
        var code: String?
        var message: String?
        if text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
            code = Self.jsonString(text, field: "__type") ?? Self.jsonString(text, field: "code")
            message = Self.jsonString(text, field: "message") ?? Self.jsonString(text, field: "Message")
        } else {
            code = Self.xmlElement(text, "Code")
            message = Self.xmlElement(text, "Message")
        }
        if code == nil, let type = response.header("x-amzn-errortype") { code = type }
        if code == nil, let header = response.header("x-amz-error-code") { code = header }
        // "com.amazon.coral.service#ThrottlingException" and "ThrottlingException:http://…" → the name.
        if var c = code {
            if let hash = c.lastIndex(of: "#") { c = String(c[c.index(after: hash)...]) }
            if let colon = c.firstIndex(of: ":") { c = String(c[..<colon]) }
            code = c.isEmpty ? nil : c
        }
        self.init(code: code, message: message)
    }

    /// The text of the first `<name>…</name>` element, unescaped.
    static func xmlElement(_ text: String, _ name: String) -> String? {
        guard let open = text.range(of: "<\(name)>"),
            let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return S3XML.unescape(String(text[open.upperBound..<close.lowerBound]))
    }

    /// The string value of the first `"field": "…"` in a JSON text (escapes decoded).
    static func jsonString(_ text: String, field: String) -> String? {
        let bytes = Array(text.utf8)
        let needle = Array("\"\(field)\"".utf8)
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], Array(bytes[i..<i + needle.count]) == needle {
                var j = i + needle.count
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D {
                    j += 1
                }
                guard j < bytes.count, bytes[j] == UInt8(ascii: ":") else {
                    i += 1
                    continue
                }
                j += 1
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D {
                    j += 1
                }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") else { return nil }
                return decodeJSONString(bytes, from: j + 1)
            }
            i += 1
        }
        return nil
    }

    static func decodeJSONString(_ bytes: [UInt8], from start: Int) -> String? {
        var out: [UInt8] = []
        var j = start
        while j < bytes.count {
            let b = bytes[j]
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if b == UInt8(ascii: "\\"), j + 1 < bytes.count {
                let e = bytes[j + 1]
                j += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard j + 4 <= bytes.count,
                        let v = UInt32(String(decoding: bytes[j..<j + 4], as: UTF8.self), radix: 16)
                    else { return nil }
                    j += 4
                    out.append(contentsOf: Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(b)
            j += 1
        }
        return nil
    }
}
