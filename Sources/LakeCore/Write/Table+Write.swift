import LakeParquet

extension Table {
    /// The Hudi control column that marks deletes inside an upsert batch.
    public static let deleteMarkerColumn = "_hoodie_is_deleted"

    /// Writes one commit.
    ///
    /// The write takes the writer lock, rolls back any failed earlier write, reconciles the
    /// input's schema with the table's (adding nullable columns; widening INT32 → INT64 and
    /// FLOAT → DOUBLE; refusing anything else), dedups the input by record key, locates existing
    /// keys with the record index, rewrites every touched file group copy-on-write (on both
    /// cores), writes new file groups for inserts that do not fit in small existing ones, and
    /// completes the instant by writing `.hoodie/<instant>.commit` last.
    /// - Returns: what the write did.
    /// - Throws: `.invalidInput` for rows without a key or with values that do not fit;
    ///   `.schemaMismatch` for incompatible columns; `.conflict` if another writer holds the table.
    @discardableResult
    public func write(_ input: RecordBatch, operation: WriteOperation, options: WriteOptions = .init()) throws(LakeError) -> CommitResult {
        let started = InstantTime.systemNowMillis()
        let lock = try WriterLock.acquire(storage, timeoutMillis: lockWaitMillis)
        defer { lock.release() }
        try refresh()
        try rollbackFailedWrites()

        // Separate the delete markers from the data.
        var deleteFlags: [Bool]?
        var data = input
        if let i = input.schema.fieldIndex(Self.deleteMarkerColumn) {
            let c = input.columns[i]
            guard case .boolean(let flags) = c.data else {
                throw LakeError(.invalidInput, "column \(Self.deleteMarkerColumn) must be boolean")
            }
            deleteFlags = (0..<flags.count).map { !c.isNull($0) && flags[$0] }
            var fields = input.schema.fields, cols = input.columns
            fields.remove(at: i); cols.remove(at: i)
            data = RecordBatch(schema: ParquetSchema(fields), columns: cols, rowCount: input.rowCount)
        }
        let metaInInput = data.schema.fields.indices.filter { TableSchema.metaColumns.contains(data.schema.fields[$0].name) }
        if !metaInInput.isEmpty {
            let keep = data.schema.fields.indices.filter { !metaInInput.contains($0) }
            data = RecordBatch(schema: ParquetSchema(keep.map { data.schema.fields[$0] }), columns: keep.map { data.columns[$0] }, rowCount: data.rowCount)
        }

        // Schema.
        let newSchema: TableSchema
        switch operation {
        case .delete, .deletePartitions:
            guard let s = schema else { throw LakeError(.invalidArgument, "the table has no data yet; nothing to delete") }
            newSchema = s
        default:
            newSchema = try (schema ?? TableSchema([])).evolved(with: data.schema)
            try Self.validate(config, against: newSchema)
            data = try BatchConformer.conform(data, to: newSchema.fields)
        }

        let instant = clock.next(after: timeline.latestTimestamp).value
        var txn = WriteTransaction(table: self, instant: instant, operation: operation, schema: newSchema, options: options)
        var result: CommitResult
        do throws(LakeError) {
            result = try txn.run(data, deleteFlags: deleteFlags)
        } catch {
            // Undo this write now (the next writer would otherwise do it); keep the original error.
            timeline = (try? Timeline.load(from: storage)) ?? timeline
            try? rollbackFailedWrites()
            throw error
        }
        try refresh()
        try afterCommit(result)
        result.durationMillis = InstantTime.systemNowMillis() - started
        return result
    }
}

/// One write, from planning to the completed instant.
struct WriteTransaction {
    let table: Table
    let instant: String
    let operation: WriteOperation
    let schema: TableSchema
    let options: WriteOptions
    var result: CommitResult

    init(table: Table, instant: String, operation: WriteOperation, schema: TableSchema, options: WriteOptions) {
        self.table = table
        self.instant = instant
        self.operation = operation
        self.schema = schema
        self.options = options
        self.result = CommitResult(instant: instant, operation: operation)
    }

    var config: TableConfig { table.config }
    var storage: any TableStorage { table.storage }

    mutating func run(_ data: RecordBatch, deleteFlags: [Bool]?) throws(LakeError) -> CommitResult {
        result.recordsIn = data.rowCount
        var timer = PhaseTimer()
        defer { timer.report() }
        let isDeleteOp: Bool = if case .delete = operation { true } else { false }
        var replacedGroups: [FileGroupID] = []
        let view = try FileSystemView.load(storage: storage, timeline: table.timeline)
        timer.mark("list")

        // Begin the instant before any data file exists.
        try begin()

        var plans: [FileGroupID: FileGroupPlan] = [:]
        var prepared: PreparedRecords?
        var indexState: RecordIndexStore.Loaded?
        var rebuildIndexBase = false

        switch operation {
        case .deletePartitions(let paths):
            let doomed = Set(paths)
            for s in view.latestSlices() where doomed.contains(s.partitionPath) { replacedGroups.append(s.fileGroupID) }
            rebuildIndexBase = true
        case .insertOverwrite:
            let p = try PreparedRecords(batch: data, config: config, allDeletes: false, deleteFlags: nil)
            prepared = p
            result.ignored += data.rowCount - p.winners.count
            let targets = Set(p.winners.map { p.partitions[$0] })
            for s in view.latestSlices() where targets.contains(s.partitionPath) { replacedGroups.append(s.fileGroupID) }
            var byPartition: [String: [Int]] = [:]
            for r in p.winners { byPartition[p.partitions[r], default: []].append(r) }
            try routeInserts(byPartition, into: &plans, view: view, data: data, useSmallFiles: false)
            rebuildIndexBase = true
        case .bulkInsert:
            let p = try PreparedRecords(batch: data, config: config, allDeletes: false, deleteFlags: nil)
            prepared = p
            result.ignored += data.rowCount - p.winners.count
            var byPartition: [String: [Int]] = [:]
            for r in p.winners { byPartition[p.partitions[r], default: []].append(r) }
            try routeInserts(byPartition, into: &plans, view: view, data: data, useSmallFiles: false)
            indexState = try RecordIndexStore.load(table: table, view: view)
        case .upsert, .insert, .delete:
            let p = try PreparedRecords(batch: data, config: config, allDeletes: isDeleteOp, deleteFlags: deleteFlags)
            timer.mark("prepare")
            prepared = p
            result.ignored += data.rowCount - p.winners.count
            var loaded = try RecordIndexStore.load(table: table, view: view)
            timer.mark("index load")
            try planUpserts(p, data: data, view: view, index: &loaded.index, plans: &plans)
            timer.mark("plan")
            indexState = loaded
        }

        // Write every touched file group.
        timer.mark("begin")
        let written = try writeGroups(plans, data: data, prepared: prepared)
        timer.mark("write groups")
        try CrashPoint.hit("commit-data", storage)

        // Index.
        if var state = indexState {
            if let p = prepared {
                for (id, plan) in plans {
                    for r in plan.inserts { state.index.set(p.keys[r], .live(partition: id.partitionPath, fileId: id.fileId)) }
                }
            }
            try RecordIndexStore.persist(state.index, instant: instant, forceBase: state.rebuilt, storage: storage)
        } else if rebuildIndexBase {
            // Replaced file groups: forget the keys they held, keep every other entry (tombstones
            // included), add what this write inserts, and write a new base.
            var index = try RecordIndexStore.load(table: table, view: view).index
            let replaced = Set(replacedGroups)
            for (k, e) in try index.allEntries() {
                if case .live(let p, let f) = e, replaced.contains(FileGroupID(partitionPath: p, fileId: f)) {
                    index.remove(k)
                }
            }
            if let p = prepared {
                for (id, plan) in plans {
                    for r in plan.inserts { index.set(p.keys[r], .live(partition: id.partitionPath, fileId: id.fileId)) }
                }
            }
            try RecordIndexStore.persist(index, instant: instant, forceBase: true, storage: storage)
        }

        timer.mark("index persist")
        try CrashPoint.hit("commit-index", storage)
        // Complete.
        var metadata = HoodieCommitMetadata()
        for w in written { metadata.partitionToWriteStats[w.partitionPath ?? "", default: []].append(w) }
        if !replacedGroups.isEmpty || operation.action == .replacecommit {
            var map: [String: [String]] = [:]
            for g in replacedGroups { map[g.partitionPath, default: []].append(g.fileId) }
            metadata.partitionToReplaceFileIds = map
            result.fileGroupsReplaced = replacedGroups.count
            if case .deletePartitions = operation {
                // Count the rows that disappear.
                for g in replacedGroups {
                    if let s = view.groups[g]?.latestSlice,
                       let r = try? ParquetReaderCache.open(storage: storage, path: s.path) { result.deleted += r.rowCount }
                }
            }
        }
        metadata.operationType = operation.hudiOperationType
        metadata.extraMetadata = options.extraMetadata
        metadata.extraMetadata[HoodieCommitMetadata.schemaKey] = try AvroSchema.tableSchema(fromParquet: schema.fields, tableName: config.name).jsonString
        metadata.extraMetadata["lake.index"] = "1"
        try complete(metadata)
        try CrashPoint.hit("commit-completed", storage)
        timer.mark("commit")
        result.filesWritten = written.count
        result.partitionsWritten = Set(written.map { $0.partitionPath ?? "" }).count
        result.bytesWritten = written.reduce(0) { $0 + $1.fileSizeInBytes }
        return result
    }

    // MARK: Instant files

    private func begin() throws(LakeError) {
        let action = operation.action
        try storage.createExclusive(Timeline.path(of: Instant(timestamp: instant, action: action, state: .requested)), [])
        try CrashPoint.hit("commit-requested", storage)
        var inflight = HoodieCommitMetadata()
        inflight.operationType = operation.hudiOperationType
        try storage.write(Timeline.path(of: Instant(timestamp: instant, action: action, state: .inflight)), inflight.jsonData())
        try CrashPoint.hit("commit-inflight", storage)
    }

    private func complete(_ metadata: HoodieCommitMetadata) throws(LakeError) {
        let done = Instant(timestamp: instant, action: operation.action, state: .completed)
        try storage.write(Timeline.path(of: done), metadata.jsonData())
    }

    // MARK: Planning

    private mutating func planUpserts(_ p: PreparedRecords, data: RecordBatch, view: FileSystemView,
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
    private mutating func routeInserts(_ inserts: [String: [Int]], into plans: inout [FileGroupID: FileGroupPlan],
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

    private func footerRowCount(_ s: FileSlice) throws(LakeError) -> Int {
        let r = try ParquetReaderCache.open(storage: storage, path: s.path)
        return r.rowCount
    }

    /// Bytes a row takes on disk: from the latest commit's write stats, else from the input
    /// (in-memory size with a typical compression ratio).
    private func estimateBytesPerRow(view: FileSystemView, data: RecordBatch) throws(LakeError) -> Double {
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

    // MARK: Writing

    private func writeGroups(_ plans: [FileGroupID: FileGroupPlan], data: RecordBatch, prepared: PreparedRecords?) throws(LakeError) -> [HoodieWriteStat] {
        // A group whose rows all stay as they are (every change was older) is not rewritten.
        let ordered = plans.values.filter { !$0.replacements.isEmpty || !$0.removed.isEmpty || !$0.inserts.isEmpty }.sorted { $0.id < $1.id }
        let tableRef = table, schemaRef = schema, instantRef = instant
        let keys = prepared?.keys ?? []
        let results = parallelMap(ordered.count, parallel: true) { i -> Result<HoodieWriteStat, LakeError> in
            do throws(LakeError) {
                var plan = ordered[i]
                if plan.stored == nil, let slice = plan.baseSlice {
                    plan.stored = try StoredRows.load(slice, table: tableRef, schema: schemaRef)
                }
                return .success(try FileGroupWriter(table: tableRef, schema: schemaRef, instant: instantRef, task: i)
                    .write(plan, input: data, keys: keys))
            } catch {
                return .failure(error)
            }
        }
        var stats: [HoodieWriteStat] = []
        var partitionsSeen = Set<String>()
        for r in results {
            switch r {
            case .success(let s):
                stats.append(s)
                if let p = s.partitionPath, !p.isEmpty, partitionsSeen.insert(p).inserted {
                    try writePartitionMetadata(p)
                }
            case .failure(let e): throw e
            }
        }
        return stats
    }

    private func writePartitionMetadata(_ partition: String) throws(LakeError) {
        let path = StoragePath.join(partition, PartitionMetadata.fileName)
        if try storage.exists(path) { return }
        let meta = PartitionMetadata(commitTime: instant, partitionDepth: PartitionPath.depth(partition))
        try storage.write(path, meta.serialized(savedAtMillis: InstantTime.systemNowMillis()))
    }
}

extension Table {
    /// Target size of a base file in bytes (`lake.target.file.size`, default 120 MiB as in Hudi).
    public var targetFileSize: Int64 {
        config.lake["lake.target.file.size"].flatMap(Int64.init) ?? 120 * 1024 * 1024
    }
}
