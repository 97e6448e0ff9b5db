import LakeParquet

/// What one stored file group decides for the input rows the index routed to it: which stored
/// rows are replaced or removed, which input rows lose to newer stored rows, and which become
/// inserts elsewhere. Computed per group (in parallel), applied by the planner in group order.
struct GroupDecisions: Sendable {
    var plan: FileGroupPlan
    /// Input rows that become inserts in their own partition: keys the index placed here that
    /// the file does not hold (the index was ahead of the data), and partition moves.
    var toInsert: [Int] = []
    /// Index changes, by input row: deletes recorded as tombstones.
    var indexChanges: [(row: Int, entry: IndexEntry)] = []
    var ignored = 0, deleted = 0, updated = 0
    /// Rows moved to another partition (counted as updates, not inserts).
    var moved = 0

    init(
        rows: [Int], id: FileGroupID, slice: FileSlice, stored: StoredRows, input p: PreparedRecords,
        precombine: ParquetField?, precombineIndex: Int?
    ) {
        plan = FileGroupPlan(id: id, baseSlice: slice, stored: stored)
        for r in rows {
            guard let s = stored.rowOfKey[p.keys[r]] else {
                if p.isDelete[r] { ignored += 1 } else { toInsert.append(r) }
                continue
            }
            let storedOrder: OrderingValue =
                if let f = precombine, let c = precombineIndex {
                    OrderingValue(column: stored.data.columns[c], at: s, field: f)
                } else { .null }
            if p.isDelete[r] {
                if p.isOrderedDelete(r) && p.ordering[r] < storedOrder { ignored += 1; continue }
                plan.removed.insert(s)
                plan.numDeletes += 1
                deleted += 1
                indexChanges.append((r, .deleted(ordering: p.isOrderedDelete(r) ? p.ordering[r] : .null)))
                continue
            }
            if p.ordering[r] < storedOrder { ignored += 1; continue }
            if p.partitions[r] == id.partitionPath {
                plan.replacements[s] = r
                updated += 1
            } else {
                // Partition move: out of this group now, into the new partition by the planner.
                plan.removed.insert(s)
                plan.numDeletes += 1
                toInsert.append(r)
                updated += 1
                moved += 1
            }
        }
    }
}
