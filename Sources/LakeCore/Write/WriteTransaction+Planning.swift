import LakeParquet

/// Planning: where every input row goes.
extension WriteTransaction {
    mutating func planUpserts(_ p: PreparedRecords, data: RecordBatch, view: FileSystemView,
                                      index: inout RecordIndex, plans: inout [FileGroupID: FileGroupPlan]) throws(LakeError) {
        // 1. Route each winning row by what the index says about its key.
        var updates: [FileGroupID: [Int]] = [:]     // same-partition updates, deletes and moves, by source group
        var inserts: [String: [Int]] = [:]
        let live = view.latestSlices()
        var sliceOf: [FileGroupID: FileSlice] = [:]
        for s in live { sliceOf[s.fileGroupID] = s }
        for r in p.winners {
            let key = p.keys[r]
            switch index.lookup(key) {
            case .live(let partition, let fileId)?:
                let id = FileGroupID(partitionPath: partition, fileId: fileId)
                if sliceOf[id] != nil {
                    updates[id, default: []].append(r)
                } else if p.isDelete[r] {
                    result.ignored += 1
                } else {
                    inserts[p.partitions[r], default: []].append(r)
                }
            case .deleted(let o)?:
                if p.isDelete[r] {
                    if o < p.ordering[r] { index.set(key, .deleted(ordering: p.ordering[r])) }
                    result.ignored += 1
                } else if p.ordering[r] < o {
                    result.ignored += 1       // older than the delete: must not resurrect the row
                } else {
                    inserts[p.partitions[r], default: []].append(r)
                }
            case nil:
                if p.isDelete[r] {
                    // Remember an ordered delete of an unseen key: an older insert arriving later
                    // (out-of-order change streams) must not create the row.
                    if p.isOrderedDelete(r) { index.set(key, .deleted(ordering: p.ordering[r])) }
                    result.ignored += 1
                } else {
                    inserts[p.partitions[r], default: []].append(r)
                }
            }
        }
        // 2. Load the source groups (in parallel) and decide against the stored rows.
        let ids = Array(updates.keys)
        let tableRef = table, schemaRef = schema
        let slicesToLoad = ids.map { sliceOf[$0]! }
        let lookups = ids.map { id in updates[id]!.map { p.keys[$0] } }
        let loaded = parallelMap(ids.count, parallel: true) { i -> Result<StoredRows, LakeError> in
            do throws(LakeError) { return .success(try StoredRows.load(slicesToLoad[i], table: tableRef, schema: schemaRef, lookup: lookups[i])) }
            catch { return .failure(error) }
        }
        let precombine = config.precombineField.flatMap { schema.field(named: $0) }
        let precombineIndex = config.precombineField.flatMap { schema.index(of: $0) }
        for (i, id) in ids.enumerated() {
            let stored: StoredRows
            switch loaded[i] {
            case .success(let s): stored = s
            case .failure(let e): throw e
            }
            var plan = FileGroupPlan(id: id, baseSlice: sliceOf[id], stored: stored)
            for r in updates[id]! {
                let key = p.keys[r]
                guard let s = stored.rowOfKey[key] else {
                    // The index was ahead of the data; treat as new.
                    if p.isDelete[r] { result.ignored += 1 } else { inserts[p.partitions[r], default: []].append(r) }
                    continue
                }
                let storedOrder: OrderingValue = if let f = precombine, let c = precombineIndex {
                    OrderingValue(column: stored.data.columns[c], at: s, field: f)
                } else { .null }
                if p.isDelete[r] {
                    if p.isOrderedDelete(r) && p.ordering[r] < storedOrder { result.ignored += 1; continue }
                    plan.removed.insert(s)
                    plan.numDeletes += 1
                    result.deleted += 1
                    index.set(key, .deleted(ordering: p.isOrderedDelete(r) ? p.ordering[r] : .null))
                    continue
                }
                if p.ordering[r] < storedOrder { result.ignored += 1; continue }
                if p.partitions[r] == id.partitionPath {
                    plan.replacements[s] = r
                    result.updated += 1
                } else {
                    // Partition move: out of this group now, into the new partition below.
                    plan.removed.insert(s)
                    plan.numDeletes += 1
                    inserts[p.partitions[r], default: []].append(r)
                    result.updated += 1
                    result.inserted -= 1   // routeInserts counts it as an insert
                }
            }
            plans[id] = plan
        }
        try routeInserts(inserts, into: &plans, view: view, data: data, useSmallFiles: true)
    }

    /// Assigns inserted rows to file groups: first to small existing groups of their partition
    /// (smallest first) up to the target file size, then to new file groups.
    mutating func routeInserts(_ inserts: [String: [Int]], into plans: inout [FileGroupID: FileGroupPlan],
                                       view: FileSystemView, data: RecordBatch, useSmallFiles: Bool) throws(LakeError) {
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
           let meta = try? table.commitMetadata(last) {
            let stats = meta.allWriteStats
            let rows = stats.reduce(Int64(0)) { $0 + $1.numWrites }
            let bytes = stats.reduce(Int64(0)) { $0 + $1.fileSizeInBytes }
            if rows > 0 && bytes > 0 { return Double(bytes) / Double(rows) }
        }
        guard data.rowCount > 0 else { return 100 }
        return max(8, Double(data.estimatedByteSize) / Double(data.rowCount) * 0.35)
    }
}
