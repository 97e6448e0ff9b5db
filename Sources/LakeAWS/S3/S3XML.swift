/// Reading and writing the small XML documents of the S3 API (listings, multipart upload answers,
/// errors): machine-written, no attributes lake needs, no CDATA — a scan over elements suffices
/// and needs neither libxml2 nor Foundation's XML parser.
enum S3XML {
    /// The inner text of every `<name>…</name>` element directly or indirectly inside `text`, in
    /// order (elements of that name must not nest, as in S3's documents).
    static func elements(_ name: String, in text: Substring) -> [Substring] {
        let open = Array("<\(name)>".utf8)
        let openEmpty = Array("<\(name)/>".utf8)
        let close = Array("</\(name)>".utf8)
        var found: [Substring] = []
        let utf8 = text.utf8
        var index = utf8.startIndex
        while let start = find(open, in: utf8, from: index, alsoEmpty: openEmpty) {
            if start.empty {
                found.append(text[start.end..<start.end])
                index = start.end
                continue
            }
            guard let end = find(close, in: utf8, from: start.end, alsoEmpty: nil) else { break }
            found.append(text[start.end..<end.start])
            index = end.end
        }
        return found
    }

    /// The unescaped text of the first `<name>` element, or nil.
    static func first(_ name: String, in text: Substring) -> String? {
        elements(name, in: text).first.map { unescape(String($0)) }
    }

    private static func find(
        _ needle: [UInt8], in utf8: Substring.UTF8View, from: Substring.UTF8View.Index, alsoEmpty: [UInt8]?
    ) -> (start: Substring.UTF8View.Index, end: Substring.UTF8View.Index, empty: Bool)? {
        var i = from
        while i < utf8.endIndex {
            if utf8[i] == UInt8(ascii: "<") {
                if matches(needle, utf8, at: i) {
                    return (i, utf8.index(i, offsetBy: needle.count), false)
                }
                if let alsoEmpty, matches(alsoEmpty, utf8, at: i) {
                    return (i, utf8.index(i, offsetBy: alsoEmpty.count), true)
                }
            }
            i = utf8.index(after: i)
        }
        return nil
    }

    private static func matches(_ needle: [UInt8], _ utf8: Substring.UTF8View, at i: Substring.UTF8View.Index) -> Bool {
        var j = i
        for byte in needle {
            guard j < utf8.endIndex, utf8[j] == byte else { return false }
            j = utf8.index(after: j)
        }
        return true
    }

    /// Decodes the five named entities and numeric character references.
    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
                if let scalar { out.unicodeScalars.append(scalar) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        out += rest
        return out
    }

    /// Escapes text for an element's content.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
