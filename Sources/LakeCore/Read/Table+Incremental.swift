import LakeParquet
import LakeBase

extension Table {
    /// Reads the rows inserted or updated by the commits in `window` — exactly what Hudi's
    /// incremental query returns (hudi-rs `HudiQueryType.Incremental`).
    ///
    /// The rows are those of the file slices **live at `until`** in the file groups that the
    /// window's commits wrote (their write stats), minus groups a replacecommit in the window
    /// replaced, whose `_hoodie_commit_time` is one of the window's commit instants (exact
    /// membership). So each key appears at most once, with its latest version as of `until`,
    /// and only if that version was written inside the window: a row inserted in the window and
    /// updated after `until` shows its version at `until`; a row deleted in the window does not
    /// appear (deletes are visible only in the change feed, ``changes(_:options:)``).
    /// It is ``planIncremental(_:options:)``, then ``read(_:)-(ReadPlan)``.
    ///
    /// `options.columns`, `options.predicate` and `options.includeMetaColumns` work as for
    /// ``read(_:)``; `options.asOf` must be `nil`.
    /// - Returns: one batch per file slice with matching rows (order unspecified); empty if
    ///   the window holds no commits.
    /// - Throws: `.invalidArgument` for a bound that is not a time, `since` after `until`, an
    ///   `asOf` together with a window, unknown columns or bad literals; `.outsideRetention`
    ///   if `since` is before the earliest readable instant (the message names it);
    ///   `.corruptTable` if a base file the read needs is missing or damaged.
    public func readIncremental(_ window: ReadWindow, options: ReadOptions = .init()) throws(LakeError) -> [RecordBatch]
    {
        // One snapshot for the whole read, whatever another thread's write does meanwhile.
        if !isPinned { return try snapshot().readIncremental(window, options: options) }
        return try read(planIncremental(window, options: options))
    }

    /// The rows of `batch` (meta columns first) whose `_hoodie_commit_time` is exactly one of
    /// `instants`; `nil` if none is.
    static func keepCommitTimes(_ batch: RecordBatch, _ instants: CommitTimeSet) -> RecordBatch? {
        guard let column = batch.column(named: TableSchema.metaColumns[0]), case .byteArray(let times) = column.data
        else {
            return nil
        }
        var keep = [Bool](repeating: false, count: batch.rowCount)
        var any = false, all = true
        times.bytes.withUnsafeBufferPointer { bytes in
            times.offsets.withUnsafeBufferPointer { offsets in
                for r in 0..<batch.rowCount where !column.isNull(r) {
                    let text = UnsafeBufferPointer(rebasing: bytes[offsets[r]..<offsets[r + 1]])
                    if instants.contains(text) {
                        keep[r] = true
                        any = true
                    }
                }
            }
        }
        for k in keep where !k { all = false; break }
        if !any { return nil }
        return all ? batch : batch.filter(keep)
    }
}
