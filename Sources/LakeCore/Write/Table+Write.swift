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
    /// completes the instant by creating `.hoodie/<instant>.commit` last, put-if-absent. It lists
    /// only the partitions the batch touches, and marks every data file before writing it
    /// (`.hoodie/.temp/<instant>/`), so a rollback finds the files without listing the table.
    /// - Returns: what the write did.
    /// - Throws: `.invalidInput` for rows without a key or with values that do not fit;
    ///   `.schemaMismatch` for incompatible columns; `.conflict` if another writer holds the table,
    ///   or completed this instant first — then ``LakeError/instantConflict`` names the instant and
    ///   the write has been undone.
    @discardableResult
    public func write(_ input: RecordBatch, operation: WriteOperation, options: WriteOptions = .init()) throws(LakeError) -> CommitResult {
        let started = InstantTime.systemNowMillis()
        let lock = try WriterLock.acquire(storage, timeoutMillis: lockWaitMillis)
        defer { lock.release() }
        try refresh()
        try config.checkLakeSettings()
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
        // Hudi's names are never data: a meta column in the input would be silently replaced.
        if let f = data.schema.fields.first(where: { TableSchema.isReserved($0.name) }) {
            throw LakeError(.invalidInput, "input column '\(f.name)': names starting with \(TableSchema.reservedPrefix) are "
                            + "reserved for Hudi's own columns (lake writes the meta columns itself); drop or rename the column")
        }

        // Schema.
        let newSchema: TableSchema
        switch operation {
        case .delete, .deletePartitions:
            guard let s = schema else { throw LakeError(.invalidArgument, "the table has no data yet; nothing to delete") }
            newSchema = s
        default:
            newSchema = try (schema ?? TableSchema([])).evolved(with: data.schema)
            do throws(LakeError) {
                try Self.validate(config, against: newSchema)
            } catch {
                // The table's key, precombine or partition field is missing from the data.
                throw LakeError(.invalidInput, "input: \(error.message)")
            }
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
        timer.observer = options.progress
        defer { timer.report() }
        let isDeleteOp: Bool = if case .delete = operation { true } else { false }
        var replacedGroups: [FileGroupID] = []

        // Claim the instant before anything else: `<instant>.<action>.requested`, put-if-absent.
        try request()

        // Plan, listing only the partitions the batch touches.
        var plans: [FileGroupID: FileGroupPlan] = [:]
        var prepared: PreparedRecords?
        var indexState: RecordIndexStore.Loaded?
        var rebuildIndexBase = false
        let view: FileSystemView

        // Planning writes nothing but the requested file: if it fails (bad input, a damaged
        // snapshot), withdraw the request so the refused write leaves no trace on the timeline.
        do throws(LakeError) {
            switch operation {
            case .deletePartitions(let paths):
                view = try listPartitions(Set(paths))
                timer.mark("list")
                let doomed = Set(paths)
                for s in view.latestSlices() where doomed.contains(s.partitionPath) { replacedGroups.append(s.fileGroupID) }
                rebuildIndexBase = true
            case .insertOverwrite:
                let p = try PreparedRecords(batch: data, config: config, allDeletes: false, deleteFlags: nil)
                prepared = p
                result.ignored += data.rowCount - p.winners.count
                let targets = Set(p.winners.map { p.partitions[$0] })
                view = try listPartitions(targets)
                timer.mark("list")
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
                // New file groups only: nothing stored needs listing.
                view = FileSystemView(groups: [:], replaced: [:])
                try routeInserts(byPartition, into: &plans, view: view, data: data, useSmallFiles: false)
                indexState = try RecordIndexStore.load(table: table)
                result.indexRebuild = indexState?.reason
            case .upsert, .insert, .delete:
                let p = try PreparedRecords(batch: data, config: config, allDeletes: isDeleteOp, deleteFlags: deleteFlags)
                timer.mark("prepare")
                prepared = p
                result.ignored += data.rowCount - p.winners.count
                var loaded = try RecordIndexStore.load(table: table)
                result.indexRebuild = loaded.reason
                timer.mark("index load")
                // Where the batch's keys are (the index) and where its rows go (their partitions).
                let found = loaded.index.lookupAll(p.winners.map { p.keys[$0] })
                var touched = Set<String>()
                for (j, r) in p.winners.enumerated() {
                    if case .live(let partition, _)? = found[j] { touched.insert(partition) }
                    if !p.isDelete[r] { touched.insert(p.partitions[r]) }
                }
                view = try listPartitions(touched)
                timer.mark("list")
                try planUpserts(p, data: data, view: view, index: &loaded.index, found: found, plans: &plans)
                timer.mark("plan")
                indexState = loaded
            }
        } catch {
            withdrawRequest()
            throw error
        }

        // Before any data file exists: the inflight file names the partitions about to be
        // written (Hudi's workload profile), and the markers name every data file.
        let toWrite = plans.values.filter { !$0.replacements.isEmpty || !$0.removed.isEmpty || !$0.inserts.isEmpty }
            .sorted { $0.id < $1.id }
        try markInflight(toWrite)
        let markers = WriteMarkers(storage: storage, instant: instant)
        var marked: [(path: String, type: WriteMarkers.IOType)] = []
        for (task, plan) in toWrite.enumerated() {
            let path = try FileGroupWriter.path(of: plan, task: task, instant: instant)
            marked.append((path, plan.isNew ? .create : .merge))
        }
        try markers.create(marked)
        timer.mark("begin")
        let written = try writeGroups(toWrite, data: data, prepared: prepared)
        timer.mark("write groups")
        try CrashPoint.hit("commit-data", storage)

        // Index.
        if var state = indexState {
            if let p = prepared {
                for (id, plan) in plans {
                    for r in plan.inserts { state.index.set(p.keys[r], .live(partition: id.partitionPath, fileId: id.fileId)) }
                }
            }
            // A rebuilt index, or one read from files without a checksum, is written whole.
            let whole = state.rebuilt || state.index.hasUncheckedFiles
            try RecordIndexStore.persist(state.index, instant: instant, forceBase: whole, storage: storage)
        } else if rebuildIndexBase {
            // Replaced file groups: forget the keys they held, keep every other entry (tombstones
            // included), add what this write inserts, and write a new base.
            let loaded = try RecordIndexStore.load(table: table)
            result.indexRebuild = loaded.reason
            var index = loaded.index
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
        try complete(metadata, written: written)
        try CrashPoint.hit("commit-completed", storage)
        // The markers served their purpose; a failure to delete them does not fail the commit
        // (the next writer's recovery sweeps markers of completed instants).
        if !marked.isEmpty { try? markers.deleteCreated() }
        timer.mark("commit")
        result.phases = timer.phases
        result.filesWritten = written.count
        result.partitionsWritten = Set(written.map { $0.partitionPath ?? "" }).count
        result.bytesWritten = written.reduce(0) { $0 + $1.fileSizeInBytes }
        return result
    }

    /// The view of `partitions` only, checked against the commit metadata: a write builds on
    /// the latest snapshot of the partitions it touches and refuses a damaged one (a missing base
    /// file would otherwise make its group's previous slice the base, losing rows for good).
    private func listPartitions(_ partitions: Set<String>) throws(LakeError) -> FileSystemView {
        let view = try FileSystemView.load(storage: storage, timeline: table.timeline, partitions: .only(partitions))
        _ = try table.verifiedSlices(view, asOf: nil)
        return view
    }

    // MARK: Instant files

    /// Creates `<instant>.<action>.requested` exclusively: of two writers that picked the same
    /// instant, one fails here with `.alreadyExists`, before anything is written.
    private func request() throws(LakeError) {
        let requested = Instant(timestamp: instant, action: operation.action, state: .requested)
        try storage.createExclusive(Timeline.path(of: requested), [])
        try CrashPoint.hit("commit-requested", storage)
    }

    /// Deletes this write's `<instant>.<action>.requested` (best effort: a leftover is rolled back
    /// by the next writer): used when planning fails before anything else was written.
    private func withdrawRequest() {
        let requested = Instant(timestamp: instant, action: operation.action, state: .requested)
        _ = try? storage.delete(Timeline.path(of: requested))
    }

    /// Writes the inflight file with the workload profile: one write stat (file id, previous
    /// instant, planned inserts and updates) per file group about to be written, by partition,
    /// as Java Hudi's inflight file has it.
    private func markInflight(_ plans: [FileGroupPlan]) throws(LakeError) {
        var inflight = HoodieCommitMetadata()
        inflight.operationType = operation.hudiOperationType
        for plan in plans {
            var stat = HoodieWriteStat(fileId: plan.id.fileId, path: nil, partitionPath: nil,
                                       prevCommit: plan.baseSlice?.instantTime ?? HoodieWriteStat.nullCommit,
                                       numUpdateWrites: Int64(plan.replacements.count),
                                       numInserts: Int64(plan.inserts.count), runtimeStats: nil)
            stat.totalWriteErrors = 0
            inflight.partitionToWriteStats[plan.id.partitionPath, default: []].append(stat)
        }
        let file = Instant(timestamp: instant, action: operation.action, state: .inflight)
        try storage.write(Timeline.path(of: file), inflight.jsonData())
        try CrashPoint.hit("commit-inflight", storage)
    }

    /// Publishes the completed instant, put-if-absent. If another writer completed it first, this
    /// write's own files go (data files the winner's metadata does not name, its record-index
    /// file and its markers) and the typed conflict is thrown.
    private func complete(_ metadata: HoodieCommitMetadata, written: [HoodieWriteStat]) throws(LakeError) {
        let done = Instant(timestamp: instant, action: operation.action, state: .completed)
        do throws(LakeError) {
            try Timeline.complete(done, metadata.jsonData(), in: storage)
        } catch where error.instantConflict != nil {
            let theirs = try? table.timeline.commitMetadata(of: done, in: storage)
            let named = Set(theirs?.allWriteStats.compactMap(\.path) ?? [])
            for w in written { if let p = w.path, !named.contains(p) { _ = try? storage.delete(p) } }
            for base in [true, false] {
                _ = try? storage.delete(RecordIndexStore.fileName(base: base, instant: instant))
            }
            try? WriteMarkers(storage: storage, instant: instant).delete()
            throw error
        }
    }

}

extension Table {
    /// Target size of a base file in bytes (`lake.target.file.size`, default 120 MiB as in Hudi).
    public var targetFileSize: Int64 {
        (try? config.value(.targetFileSize)) ?? TableSetting.defaultTargetFileSize
    }
}
