import LakeCore

/// Booleans (`BOOL`; in a mapping-typed column also `S` "true"/"false" and `N` 0/1).
final class BooleanBuilder: ValueBuilder {
    var values: [Bool] = []

    override var type: ColumnType? { .boolean }

    override func appendBool(_ v: Bool) throws(LakeError) { values.append(v) }

    override func appendTextValue(
        _ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext
    ) throws(LakeError) {
        guard !strict else { throw mismatch(t) }
        let lower = String(decoding: text, as: UTF8.self).lowercased()
        switch (t, lower) {
        case (.s, "true"), (.n, "1"): values.append(true)
        case (.s, "false"), (.n, "0"): values.append(false)
        default: throw valueError("\(quoted(text)) is not a boolean")
        }
    }

    override func appendPlaceholder() { values.append(false) }

    override func truncate(to n: Int) {
        guard n < count else { return }
        super.truncate(to: n)
        values.removeLast(values.count - n)
    }

    override func finish() -> Column? {
        let v = values
        values = []
        return Column(.boolean(v), validity: takeValidity())
    }
}
