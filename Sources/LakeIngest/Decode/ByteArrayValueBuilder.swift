import LakeCore

/// The storage shared by the builders of byte-array columns (``StringBuilder``,
/// ``BinaryBuilder``): values appended to one ``ByteArrayValues``, truncated on a failed record,
/// handed over at ``finish()``. Subclasses decide what an attribute appends.
class ByteArrayValueBuilder: ValueBuilder {
    var values = ByteArrayValues()

    override func appendPlaceholder() { values.appendEmpty() }

    override func truncate(to n: Int) {
        super.truncate(to: n)
        values.truncate(to: n)
    }

    override func finish() -> Column? {
        let v = values
        values = ByteArrayValues()
        return Column(.byteArray(v), validity: takeValidity())
    }

    override var estimatedByteCount: Int { values.bytes.count + 8 * values.offsets.count }
}
