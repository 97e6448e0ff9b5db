import LakeCore

/// Converts DynamoDB attribute values to plain JSON text ("unmarshalling"): `S` and `B`
/// become JSON strings (binary stays base64), `N` a JSON number with its exact digits, `BOOL`
/// and `NULL` themselves, `SS`/`BS` arrays of strings, `NS` an array of numbers, `L` an array
/// and `M` an object (keys in input order).
enum AttributeJSON {
    /// Appends the plain JSON of the value of type `t` at the cursor (after the descriptor's `:`).
    static func append(_ t: AttributeType, _ s: inout JSONScanner, depth: Int, to out: inout [UInt8]) throws(LakeError)
    {
        switch t {
        case .s, .b:
            let span = try s.scanString()
            appendRawString(span, s, to: &out)
        case .n:
            let span = try s.scanString()
            try appendNumber(span, s, to: &out)
        case .bool:
            out.append(contentsOf: (try s.parseBool() ? "true" : "false").utf8)
        case .null:
            _ = try s.parseBool()
            out.append(contentsOf: "null".utf8)
        case .ss, .bs, .ns:
            out.append(UInt8(ascii: "["))
            try s.forEachElement { (s, i) throws(LakeError) in
                if i > 0 { out.append(UInt8(ascii: ",")) }
                let span = try s.scanString()
                if t == .ns { try appendNumber(span, s, to: &out) } else { appendRawString(span, s, to: &out) }
            }
            out.append(UInt8(ascii: "]"))
        case .l:
            guard depth < maxAttributeDepth else { throw valueError("nested deeper than \(maxAttributeDepth) levels") }
            out.append(UInt8(ascii: "["))
            try s.forEachElement { (s, i) throws(LakeError) in
                if i > 0 { out.append(UInt8(ascii: ",")) }
                let et = try s.openAttribute()
                try append(et, &s, depth: depth + 1, to: &out)
                try s.closeAttribute()
            }
            out.append(UInt8(ascii: "]"))
        case .m:
            guard depth < maxAttributeDepth else { throw valueError("nested deeper than \(maxAttributeDepth) levels") }
            out.append(UInt8(ascii: "{"))
            var first = true
            try s.forEachMember { (s, key) throws(LakeError) in
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                appendRawString(key, s, to: &out)
                out.append(UInt8(ascii: ":"))
                let et = try s.openAttribute()
                try append(et, &s, depth: depth + 1, to: &out)
                try s.closeAttribute()
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A validated string span is valid JSON string content as it stands: copy it with quotes.
    @inline(__always)
    static func appendRawString(_ span: JSONStringSpan, _ s: JSONScanner, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: s.slice(span.range))
        out.append(UInt8(ascii: "\""))
    }

    /// The digits of an `N` string as a JSON number (checked against the JSON number grammar).
    static func appendNumber(_ span: JSONStringSpan, _ s: JSONScanner, to out: inout [UInt8]) throws(LakeError) {
        let text = s.slice(span.range)
        var sc = JSONScanner(text)
        guard !span.hasEscapes, (try? sc.scanNumber()) != nil, sc.isAtEnd else {
            throw valueError("\(quoted(text)) is not a number")
        }
        out.append(contentsOf: text)
    }
}
