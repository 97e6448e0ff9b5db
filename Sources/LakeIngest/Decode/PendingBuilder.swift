import LakeCore

/// A column whose type is not known yet: only nulls so far (inference).
final class PendingBuilder: ValueBuilder {
    /// The column path the typed builder gets (struct members are named under it), or `nil` for
    /// values whose names lake does not derive.
    let path: String?

    init(path: String?) {
        self.path = path
        super.init(strict: true)
    }

    override var type: ColumnType? { nil }
    override var isPending: Bool { true }
    override func appendPlaceholder() {}
    override func finish() -> Column? {
        _ = takeValidity()
        return nil
    }
}
