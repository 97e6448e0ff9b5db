/// The slots of a column being built from decoded values: how many there are and which are null.
///
/// The bookkeeping shared by the column builders of both JSON decoders (``RowJSONDecoder`` for
/// row input, the change-record decoder of `LakeIngest`): a builder appends its storage for a
/// value (or a placeholder for a null) and then one slot here; on a refused row or record it
/// truncates its storage and its slots to the same count; ``take()`` hands the validity to the
/// finished ``Column``.
///
/// Invariant: ``validity`` is `nil` until the first null, then holds one entry per slot.
public struct ColumnSlots: Sendable {
    /// The number of slots appended.
    public var count = 0
    /// `false` marks a null slot; `nil` while every slot holds a value.
    public var validity: [Bool]?

    /// No slots.
    public init() {}

    /// Appends a slot holding a value.
    @inline(__always)
    public mutating func appendValue() {
        validity?.append(true)
        count += 1
    }

    /// Appends a null slot.
    public mutating func appendNull() {
        if validity == nil { validity = Array(repeating: true, count: count) }
        validity!.append(false)
        count += 1
    }

    /// Drops the slots beyond `n` (nothing when there are `n` or fewer).
    public mutating func truncate(to n: Int) {
        guard n < count else { return }
        if validity != nil { validity!.removeLast(validity!.count - n) }
        count = n
    }

    /// Returns the validity for a finished column and resets to no slots.
    public mutating func take() -> [Bool]? {
        let v = validity
        validity = nil
        count = 0
        return v
    }
}
