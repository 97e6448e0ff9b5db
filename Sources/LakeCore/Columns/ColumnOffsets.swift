/// The offsets of a list or map column being built: entry `i`'s children are
/// `offsets[i]..<offsets[i + 1]` of the child builders. Shared by the list builders of both JSON
/// decoders (see ``ColumnSlots``).
///
/// Invariant: `offsets[0] == 0` and there is one more offset than entries.
public struct ColumnOffsets: Sendable {
    /// The offsets into the children, starting at 0.
    public private(set) var offsets: [Int] = [0]

    /// No entries.
    public init() {}

    /// Closes an entry whose children end at `childCount` (an empty entry when no children were
    /// appended since the last one).
    @inline(__always)
    public mutating func append(_ childCount: Int) { offsets.append(childCount) }

    /// Drops the entries beyond `n` and returns how many children the first `n` entries hold
    /// (what the children are truncated to).
    public mutating func truncate(to n: Int) -> Int {
        if offsets.count > n + 1 { offsets.removeLast(offsets.count - (n + 1)) }
        return offsets[n]
    }

    /// Returns the offsets for a finished column and resets to no entries.
    public mutating func take() -> [Int] {
        defer { offsets = [0] }
        return offsets
    }

    /// Approximate bytes held.
    public var byteCount: Int { offsets.count * 8 }
}
