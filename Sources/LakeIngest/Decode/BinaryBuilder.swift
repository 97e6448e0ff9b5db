import LakeCore

/// Binary (`B`, base64 on the wire, decoded).
final class BinaryBuilder: ValueBuilder {
    var values = ByteArrayValues()

    override var type: ColumnType? { .binary }

    override func appendTextValue(_ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext) throws(LakeError) {
        switch t {
        case .b:
            let start = values.bytes.count
            do throws(TextValueError) {
                try Base64.decode(text, appendingTo: &values.bytes)
            } catch {
                values.bytes.removeLast(values.bytes.count - start)
                throw valueError("\(quoted(text)) is not valid base64: \(error.reason)")
            }
            values.offsets.append(values.bytes.count)
        case .s where !strict:
            values.append(text)
        default:
            throw mismatch(t)
        }
    }

    override func appendPlaceholder() { values.appendEmpty() }

    override func truncate(to n: Int) {
        guard n < count else { return }
        super.truncate(to: n)
        values.bytes.removeLast(values.bytes.count - values.offsets[n])
        values.offsets.removeLast(values.offsets.count - n - 1)
    }

    override func finish() -> Column? {
        let v = values
        values = ByteArrayValues()
        return Column(.byteArray(v), validity: takeValidity())
    }

    override var estimatedByteCount: Int { values.bytes.count + 8 * values.offsets.count }
}
