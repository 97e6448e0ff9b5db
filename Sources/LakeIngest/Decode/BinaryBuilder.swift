import LakeCore

/// Binary (`B`, base64 on the wire, decoded).
final class BinaryBuilder: ByteArrayValueBuilder {

    override var type: ColumnType? { .binary }

    override func appendTextValue(
        _ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext
    ) throws(LakeError) {
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
}
