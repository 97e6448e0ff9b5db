import LakeParquet

/// One write, from planning to the completed instant.
struct WriteTransaction {
    let table: Table
    let instant: String
    let operation: WriteOperation
    let schema: TableSchema
    let options: WriteOptions
    var result: CommitResult
    /// How this write shares the table (``WriteConcurrencyMode``).
    var concurrency: WriteConcurrencyMode = .singleWriter
    /// Under optimistic concurrency: how long the completion waits for the writer lock.
    var lockWaitMillis: Int64 = 0
    /// Under optimistic concurrency: this write's heartbeat, stopped before a rollback.
    var heartbeat: Heartbeat?
    /// Whether this write has already been rolled back (a conflict rolls back under the lock).
    var rolledBack = false
    /// Whether this write's `.requested` file was created (so there is an instant to roll back).
    var requested = false
    /// What this write stored in the record index (for the concurrent-commit check).
    var indexWrite: IndexWrite?

    /// The record index file a write persisted, and the changes in it.
    struct IndexWrite {
        /// A base (the whole index) rather than a delta.
        var isBase: Bool
        /// The index as this write loaded it, before its changes.
        var start: RecordIndex
        /// The keys it changed and their new entries.
        var changes: [(key: String, entry: IndexEntry)]
    }

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

        // Claim the instant before anything else: `<instant>.<action>.requested`, put-if-absent.
        try request()
        requested = true

        // Plan, listing only the partitions the batch touches. Planning writes nothing but the
        // requested file: if it fails (bad input, a damaged snapshot), withdraw the request so the
        // refused write leaves no trace on the timeline.
        let plan: WritePlan
        do throws(LakeError) {
            plan = try operation.planner.plan(data, deleteFlags: deleteFlags, in: &self, timer: &timer)
        } catch {
            withdrawRequest()
            requested = false
            throw error
        }

        // Before any data file exists: the inflight file names the partitions about to be
        // written (Hudi's workload profile), and the markers name every data file.
        let toWrite = plan.groupsToWrite
        try markInflight(toWrite)
        let markers = WriteMarkers(storage: storage, instant: instant)
        var marked: [(path: String, type: WriteMarkers.IOType)] = []
        for (task, group) in toWrite.enumerated() {
            let path = try FileGroupWriter.path(of: group, task: task, instant: instant)
            marked.append((path, group.isNew ? .create : .merge))
        }
        try markers.create(marked)
        timer.mark("begin")
        let written = try writeGroups(toWrite, data: data, prepared: plan.prepared)
        timer.mark("write groups")
        try CrashPoint.hit("commit-data", storage)

        try persistIndex(plan)
        timer.mark("index persist")
        try CrashPoint.hit("commit-index", storage)

        // Complete.
        var metadata = HoodieCommitMetadata()
        for w in written { metadata.partitionToWriteStats[w.partitionPath ?? "", default: []].append(w) }
        let replacedGroups = plan.replacedGroups
        if !replacedGroups.isEmpty || operation.action == .replacecommit {
            var map: [String: [String]] = [:]
            for g in replacedGroups { map[g.partitionPath, default: []].append(g.fileId) }
            metadata.partitionToReplaceFileIds = map
            result.fileGroupsReplaced = replacedGroups.count
            if case .deletePartitions = operation {
                // Count the rows that disappear.
                for g in replacedGroups {
                    if let s = plan.view.groups[g]?.latestSlice,
                        let r = try? ParquetReaderCache.open(storage: storage, path: s.path)
                    {
                        result.deleted += r.rowCount
                    }
                }
            }
        }
        metadata.operationType = operation.hudiOperationType
        metadata.extraMetadata = options.extraMetadata
        metadata.extraMetadata[HoodieCommitMetadata.schemaKey] = try AvroSchema.tableSchema(
            fromParquet: schema.fields, tableName: config.name
        ).jsonString
        metadata.extraMetadata["lake.index"] = "1"
        if concurrency == .optimisticConcurrencyControl {
            try completeOptimistically(metadata, written: written, plan: plan)
        } else {
            try complete(metadata, written: written)
        }
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

    /// Writes this commit's record index file, before the commit completes.
    private mutating func persistIndex(_ plan: WritePlan) throws(LakeError) {
        switch plan.index {
        case .none:
            return
        case .update(var state):
            let start = state.index
            if let p = plan.prepared {
                for (id, group) in plan.groups {
                    for r in group.inserts {
                        state.index.set(p.keys[r], .live(partition: id.partitionPath, fileId: id.fileId))
                    }
                }
            }
            // A rebuilt index, or one read from files without a checksum, is written whole.
            let whole = state.rebuilt || state.index.hasUncheckedFiles
            let wroteBase = try RecordIndexStore.persist(
                state.index, instant: instant, forceBase: whole,
                storage: storage)
            indexWrite = IndexWrite(isBase: wroteBase, start: start, changes: state.index.changes)
        case .rebaseWithoutReplaced:
            // Replaced file groups: forget the keys they held, keep every other entry (tombstones
            // included), add what this write inserts, and write a new base.
            let loaded = try RecordIndexStore.load(table: table)
            result.indexRebuild = loaded.reason
            var index = loaded.index
            let start = index
            let replaced = Set(plan.replacedGroups)
            for (k, e) in try index.allEntries() {
                if case .live(let p, let f) = e, replaced.contains(FileGroupID(partitionPath: p, fileId: f)) {
                    index.remove(k)
                }
            }
            if let p = plan.prepared {
                for (id, group) in plan.groups {
                    for r in group.inserts {
                        index.set(p.keys[r], .live(partition: id.partitionPath, fileId: id.fileId))
                    }
                }
            }
            try RecordIndexStore.persist(index, instant: instant, forceBase: true, storage: storage)
            indexWrite = IndexWrite(isBase: true, start: start, changes: index.changes)
        }
    }

    /// The view of `partitions` only, checked against the commit metadata: a write builds on
    /// the latest snapshot of the partitions it touches and refuses a damaged one (a missing base
    /// file would otherwise make its group's previous slice the base, losing rows for good).
    func listPartitions(_ partitions: Set<String>) throws(LakeError) -> FileSystemView {
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
            var stat = HoodieWriteStat(
                fileId: plan.id.fileId, path: nil, partitionPath: nil,
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
    func complete(_ metadata: HoodieCommitMetadata, written: [HoodieWriteStat]) throws(LakeError) {
        let done = Instant(timestamp: instant, action: operation.action, state: .completed)
        do throws(LakeError) {
            try Timeline.complete(done, metadata.jsonData(), in: storage)
        } catch  where error.instantConflict != nil {
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
