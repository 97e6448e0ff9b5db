/// Why an optimistic write lost: a commit completed after this write started changed what this
/// write changed. The ``LakeError/cause`` of a `.conflict` error; the write has been rolled back
/// (its files and instant removed) by the time it is thrown, and re-planning it from the new
/// snapshot (``WriteOptions/retries``) may succeed.
///
/// ```swift
/// do { try table.write(batch, operation: .upsert, options: options) }
/// catch where error.writeConflict != nil { /* re-read, re-plan, try again */ }
/// ```
public struct WriteConflict: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the two writes both changed.
    public enum Overlap: Sendable, Hashable {
        /// Both wrote (or one replaced) this file group.
        case fileGroup(FileGroupID)
        /// One replaced this partition (insert_overwrite, delete_partition) while the other wrote in it.
        case partition(String)
        /// Both changed this record key in the record index (two inserts of the same new key).
        case key(String)
        /// The other commit wrote a new record index base at a later instant; this write's index
        /// change would be hidden behind it.
        case recordIndex
        /// The other commit has no lake record index file (another engine wrote it), so new keys
        /// cannot be checked against it.
        case unindexedCommit
        /// A commit this write's snapshot held was rolled back or restored away.
        case rolledBack(String)
    }

    /// This write's instant (rolled back).
    public var instant: String
    /// The completed commit it conflicted with.
    public var conflictingInstant: String
    /// What both changed.
    public var overlap: Overlap

    public init(instant: String, conflictingInstant: String, overlap: Overlap) {
        self.instant = instant
        self.conflictingInstant = conflictingInstant
        self.overlap = overlap
    }

    public var description: String {
        let what: String =
            switch overlap {
            case .fileGroup(let g): "both changed file group \(g)"
            case .partition(let p): "one replaced partition '\(p)' that the other wrote"
            case .key(let k): "both changed record key '\(k)'"
            case .recordIndex: "it rewrote the record index at a later instant"
            case .unindexedCommit: "it has no lake record index file, so new keys cannot be checked"
            case .rolledBack(let c): "commit \(c) this write built on was rolled back"
            }
        return "write \(instant) conflicts with commit \(conflictingInstant), completed after it started: \(what)"
    }
}

extension LakeError {
    /// The conflict that made an optimistic write lose, when this is one.
    public var writeConflict: WriteConflict? { cause as? WriteConflict }
}
