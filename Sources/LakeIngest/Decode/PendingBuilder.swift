import LakeCore

/// A column whose type is not known yet: only nulls so far (inference).
final class PendingBuilder: ValueBuilder {
    init() { super.init(strict: true) }

    override var type: ColumnType? { nil }
    override var isPending: Bool { true }
    override func appendPlaceholder() {}
    override func finish() -> Column? {
        _ = takeValidity()
        return nil
    }
}
