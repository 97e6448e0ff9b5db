import LakeParquet
import LakeBase

/// Planning: where every input row goes.
extension WriteTransaction {
    /// - Parameter found: the index entry of each winner's key (`index.lookupAll` of the winners).
    mutating func planUpserts(
        _ p: PreparedRecords, data: RecordBatch, view: FileSystemView,
        index: inout RecordIndex, found: [IndexEntry?],
        plans: inout [FileGroupID: FileGroupPlan]
    ) throws(LakeError) {
        // 1. Route each winning row by what the index says about its key. Source groups are
        //    numbered by their place among the live slices, in the order rows first touch them.
        var inserts: [String: [Int]] = [:]
        let live = view.latestSlices()
        var ordinalOf: [FileGroupID: Int] = [:]
        ordinalOf.reserveCapacity(live.count)
        for (i, s) in live.enumerated() { ordinalOf[s.fileGroupID] = i }
        var updatesOf = [[Int]](repeating: [], count: live.count)  // same-partition updates, deletes and moves
        var touched: [Int] = []
        for (j, r) in p.winners.enumerated() {
            switch found[j] {
            case .live(let partition, let fileId)?:
                if let g = ordinalOf[FileGroupID(partitionPath: partition, fileId: fileId)] {
                    if updatesOf[g].isEmpty { touched.append(g) }
                    updatesOf[g].append(r)
                } else if p.isDelete[r] {
                    result.ignored += 1
                } else {
                    inserts[p.partitions[r], default: []].append(r)
                }
            case .deleted(let o)?:
                if p.isDelete[r] {
                    if o < p.ordering[r] { index.set(p.keys[r], .deleted(ordering: p.ordering[r])) }
                    result.ignored += 1
                } else if p.ordering[r] < o {
                    result.ignored += 1  // older than the delete: must not resurrect the row
                } else {
                    inserts[p.partitions[r], default: []].append(r)
                }
            case nil:
                if p.isDelete[r] {
                    // Remember an ordered delete of an unseen key: an older insert arriving later
                    // (out-of-order change streams) must not create the row.
                    if p.isOrderedDelete(r) { index.set(p.keys[r], .deleted(ordering: p.ordering[r])) }
                    result.ignored += 1
                } else {
                    inserts[p.partitions[r], default: []].append(r)
                }
            }
        }
        // 2. Load the source groups and decide against their stored rows, group by group in
        //    parallel; then apply the decisions in group order (index changes, inserts, counts).
        let ids = touched.map { live[$0].fileGroupID }
        let tableRef = table, schemaRef = schema, prepared = p
        let slicesToLoad = touched.map { live[$0] }
        let rowsOf = touched.map { updatesOf[$0] }
        let precombine = config.precombineField.flatMap { schema.field(named: $0) }
        let precombineIndex = config.precombineField.flatMap { schema.index(of: $0) }
        let decided = storage.parallelMapRequests(ids.count) { i -> Result<GroupDecisions, LakeError> in
            do throws(LakeError) {
                let stored = try StoredRows.load(
                    slicesToLoad[i], table: tableRef, schema: schemaRef,
                    lookup: rowsOf[i].map { prepared.keys[$0] })
                return .success(
                    GroupDecisions(
                        rows: rowsOf[i], id: ids[i], slice: slicesToLoad[i], stored: stored, input: prepared,
                        precombine: precombine, precombineIndex: precombineIndex))
            } catch { return .failure(error) }
        }
        for (i, id) in ids.enumerated() {
            let d: GroupDecisions
            switch decided[i] {
            case .success(let x): d = x
            case .failure(let e): throw e
            }
            result.ignored += d.ignored
            result.deleted += d.deleted
            result.updated += d.updated
            result.inserted -= d.moved  // routeInserts counts a moved row as an insert
            for change in d.indexChanges { index.set(p.keys[change.row], change.entry) }
            for r in d.toInsert { inserts[p.partitions[r], default: []].append(r) }
            plans[id] = d.plan
        }
        try routeInserts(inserts, into: &plans, view: view, data: data, useSmallFiles: true)
    }

    /// Assigns inserted rows to file groups: first to small existing groups of their partition
    /// (smallest first) up to the target file size, then to new file groups.
    mutating func routeInserts(
        _ inserts: [String: [Int]], into plans: inout [FileGroupID: FileGroupPlan],
        view: FileSystemView, data: RecordBatch, useSmallFiles: Bool
    ) throws(LakeError) {
        guard !inserts.isEmpty else { return }
        let target = table.targetFileSize
        let bytesPerRow = try estimateBytesPerRow(view: view, data: data)
        let targetRows = max(1, Int(Double(target) / max(bytesPerRow, 1)))
        for (partition, rows) in inserts.sorted(by: { $0.key < $1.key }) {
            result.inserted += rows.count
            var pending = rows[...]
            if useSmallFiles {
                // Existing groups of the partition with room, smallest first.
                var candidates: [(id: FileGroupID, rows: Int)] = []
                for s in view.latestSlices(inPartition: partition) {
                    if let plan = plans[s.fileGroupID] {
                        candidates.append((s.fileGroupID, plan.outputRowCount))
                    } else if s.size < target {
                        let rowsNow = try footerRowCount(s)
                        candidates.append((s.fileGroupID, rowsNow))
                    }
                }
                candidates.sort { $0.rows < $1.rows || ($0.rows == $1.rows && $0.id < $1.id) }
                for c in candidates where !pending.isEmpty && c.rows < targetRows {
                    let room = targetRows - c.rows
                    let take = pending.prefix(room)
                    pending = pending.dropFirst(take.count)
                    if plans[c.id] == nil {
                        let slice = view.groups[c.id]!.latestSlice!
                        plans[c.id] = FileGroupPlan(id: c.id, baseSlice: slice, stored: nil)
                    }
                    plans[c.id]!.inserts.append(contentsOf: take)
                }
            }
            while !pending.isEmpty {
                let take = pending.prefix(targetRows)
                pending = pending.dropFirst(take.count)
                let id = FileGroupID(partitionPath: partition, fileId: table.fileIds.next())
                var plan = FileGroupPlan(id: id, baseSlice: nil, stored: nil)
                plan.inserts = Array(take)
                plans[id] = plan
            }
        }
    }

    func footerRowCount(_ s: FileSlice) throws(LakeError) -> Int {
        let r = try ParquetReaderCache.open(storage: storage, path: s.path)
        return r.rowCount
    }

    /// Bytes a row takes on disk: from the latest commit's write stats, else from the input
    /// (in-memory size with a typical compression ratio).
    func estimateBytesPerRow(view: FileSystemView, data: RecordBatch) throws(LakeError) -> Double {
        if let last = table.timeline.completedCommits.last,
            let meta = try? table.commitMetadata(last)
        {
            let stats = meta.allWriteStats
            let rows = stats.reduce(Int64(0)) { $0 + $1.numWrites }
            let bytes = stats.reduce(Int64(0)) { $0 + $1.fileSizeInBytes }
            if rows > 0 && bytes > 0 { return Double(bytes) / Double(rows) }
        }
        guard data.rowCount > 0 else { return 100 }
        return max(8, Double(data.estimatedByteSize) / Double(data.rowCount) * 0.35)
    }
}
