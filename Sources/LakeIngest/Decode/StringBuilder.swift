import LakeCore

/// Strings (`S`), or JSON text of any attribute (`json` columns).
final class StringBuilder: ByteArrayValueBuilder {
    /// Write every attribute as plain JSON text instead of requiring a string.
    let json: Bool

    init(json: Bool, strict: Bool) {
        self.json = json
        super.init(strict: strict)
    }

    override var type: ColumnType? { json ? .json : .string }

    override func appendValue(_ t: AttributeType, _ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        if json {
            let start = values.bytes.count
            do throws(LakeError) {
                try AttributeJSON.append(t, &s, depth: 0, to: &values.bytes)
            } catch {
                values.bytes.removeLast(values.bytes.count - start)
                throw error
            }
            values.offsets.append(values.bytes.count)
            return
        }
        if t == .s {
            s.skipWhitespace()
            let span = try s.scanString()
            if span.hasEscapes {
                s.appendContents(of: span, to: &values.bytes)
                values.offsets.append(values.bytes.count)
            } else {
                values.append(s.slice(span.range))
            }
            return
        }
        guard !strict else { throw mismatch(t) }
        switch t {
        case .n, .b:
            s.skipWhitespace()
            let span = try s.scanString()
            s.appendContents(of: span, to: &values.bytes)
            values.offsets.append(values.bytes.count)
        case .bool:
            s.skipWhitespace()
            values.append((try s.parseBool() ? "true" : "false").utf8)
        default:
            throw mismatch(t)
        }
    }

    override func appendTextValue(
        _ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext
    ) throws(LakeError) {
        if strict && t != .s && !json { throw mismatch(t) }
        if json && t != .n {
            JSONWriter.appendString(utf8: text, to: &values.bytes)
            values.offsets.append(values.bytes.count)
            return
        }
        values.append(text)
    }

    override func appendBool(_ v: Bool) throws(LakeError) {
        if strict && !json { throw mismatch(.bool) }
        values.append((v ? "true" : "false").utf8)
    }
}
