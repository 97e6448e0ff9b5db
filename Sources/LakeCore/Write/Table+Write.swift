import LakeParquet

extension Table {
    /// The Hudi control column that marks deletes inside an upsert batch.
    public static let deleteMarkerColumn = "_hoodie_is_deleted"

    /// Writes one commit.
    ///
    /// The write rolls back failed earlier writes, reconciles the input's schema with the table's
    /// (adding nullable columns; widening INT32 → INT64 and FLOAT → DOUBLE; refusing anything
    /// else), dedups the input by record key, locates existing keys with the record index,
    /// rewrites every touched file group copy-on-write (on both cores), writes new file groups
    /// for inserts that do not fit in small existing ones, and completes the instant by creating
    /// `.hoodie/<instant>.commit` last, put-if-absent. It lists only the partitions the batch
    /// touches, and marks every data file before writing it (`.hoodie/.temp/<instant>/`), so a
    /// rollback finds the files without listing the table.
    ///
    /// How it shares the table with other writers follows ``WriteOptions/concurrencyMode``, else
    /// the table's `write.concurrency.mode` (``WriteConcurrencyMode``): a single writer holds the
    /// writer lock throughout; an optimistic writer beats a heartbeat, plans against the
    /// snapshot it started from and takes the lock only to check the commits completed since and
    /// complete — a conflicting write is rolled back and, with ``WriteOptions/retries``,
    /// re-planned from the new snapshot.
    /// - Returns: what the write did.
    /// - Throws: `.invalidInput` for rows without a key or with values that do not fit;
    ///   `.schemaMismatch` for incompatible columns; `.conflict` if another writer holds the table
    ///   (past ``lockWaitMillis``), completed this instant first (``LakeError/instantConflict``),
    ///   or — optimistic writes — completed a conflicting commit (``LakeError/writeConflict``
    ///   names it and what both changed); in every case the write has been undone.
    @discardableResult
    public func write(
        _ input: RecordBatch, operation: WriteOperation, options: WriteOptions = .init()
    ) throws(LakeError) -> CommitResult {
        try requireWritable("write to")
        let mode: WriteConcurrencyMode
        if let m = options.concurrencyMode { mode = m } else { mode = try config.value(.writeConcurrencyMode) }
        if mode == .optimisticConcurrencyControl {
            return try writeOptimistically(input, operation: operation, options: options)
        }
        let started = InstantTime.systemNowMillis()
        let lock = try acquireWriterLock()
        defer { lock.release() }
        try refresh()
        try config.checkLakeSettings()
        try rollbackFailedWrites()
        let (data, deleteFlags, newSchema) = try conformInput(input, operation: operation)

        let instant = clock.next(after: timeline.latestTimestamp).value
        var txn = WriteTransaction(
            table: self, instant: instant, operation: operation, schema: newSchema, options: options)
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

    /// How long an optimistic write waits at least for the writer lock, held by others only for
    /// recovery, a completion or the table services: 60 seconds.
    public static let optimisticLockWaitMillis: Int64 = 60_000

    /// ``write(_:operation:options:)`` under optimistic concurrency control.
    private func writeOptimistically(
        _ input: RecordBatch, operation: WriteOperation,
        options: WriteOptions
    ) throws(LakeError) -> CommitResult {
        let started = InstantTime.systemNowMillis()
        let lockWait = max(lockWaitMillis, Self.optimisticLockWaitMillis)
        var attempt = 0
        while true {
            // Finish what failed writers left (only writes whose heartbeat expired), briefly
            // locked — and only when something is pending that no live writer owns.
            let snap = try snapshot(timeline: Timeline.load(from: storage))
            snap.lockWaitMillis = lockWait
            let live = try LiveWriters(table: snap, mode: .optimisticConcurrencyControl)
            if snap.timeline.pendingInstants.contains(where: { !($0.action.isWrite && live.isLive($0)) }) {
                try snap.withWriterLock { () throws(LakeError) in try snap.rollbackFailedWrites() }
                try snap.refresh()
            }
            try snap.config.checkLakeSettings()
            let (data, deleteFlags, newSchema) = try snap.conformInput(input, operation: operation)

            // The heartbeat is created (exclusively) before the instant is requested.
            let beats = try HeartbeatSettings(config: snap.config)
            var instant = ""
            var heartbeat: Heartbeat?
            while heartbeat == nil {
                instant = snap.clock.next(after: snap.timeline.latestTimestamp).value
                do throws(LakeError) {
                    heartbeat = try Heartbeat.start(
                        storage: storage, instant: instant, intervalMillis: beats.intervalMillis)
                } catch  where error.code == .alreadyExists {
                    continue  // another writer took this instant time; the clock moves on
                }
            }
            var txn = WriteTransaction(
                table: snap, instant: instant, operation: operation, schema: newSchema,
                options: options)
            txn.concurrency = .optimisticConcurrencyControl
            txn.lockWaitMillis = lockWait
            txn.heartbeat = heartbeat
            var result: CommitResult
            do throws(LakeError) {
                result = try txn.run(data, deleteFlags: deleteFlags)
            } catch {
                if txn.requested && !txn.rolledBack {
                    // Undo this write now, under the lock; keep the original error.
                    try? snap.withWriterLock { () throws(LakeError) in
                        heartbeat?.stop()
                        try snap.rollbackPendingWrite(instant)
                    }
                }
                heartbeat?.stop()
                clock = snap.clock
                let retryable = error.writeConflict != nil || error.instantConflict != nil
                guard retryable else { throw error }
                if attempt < options.retries {
                    attempt += 1
                    continue
                }
                if options.retries > 0 {
                    throw LakeError(
                        error.code, error.message + " (gave up after \(options.retries) retries)",
                        cause: error.cause)
                }
                throw error
            }
            heartbeat?.stop()
            clock = snap.clock
            fileIds = snap.fileIds
            try refresh()
            // The table services, under the writer lock; their failure does not undo the commit.
            do throws(LakeError) {
                let services = try snapshot()
                services.lockWaitMillis = lockWait
                try services.withWriterLock { () throws(LakeError) in try services.afterCommit(result) }
                try refresh()
            } catch {
                if error.message.hasPrefix("commit \(result.instant) completed") { throw error }
                throw LakeError(
                    error.code,
                    "commit \(result.instant) completed, but the table services after it "
                        + "failed: \(error.message)", cause: error)
            }
            result.durationMillis = InstantTime.systemNowMillis() - started
            result.attempts = attempt + 1
            return result
        }
    }

    /// Separates the delete markers from the data, refuses Hudi's reserved names, and reconciles
    /// the input's schema with the table's: the data conformed to the new schema.
    func conformInput(
        _ input: RecordBatch,
        operation: WriteOperation
    ) throws(LakeError) -> (RecordBatch, [Bool]?, TableSchema) {
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
            throw LakeError(
                .invalidInput,
                "input column '\(f.name)': names starting with \(TableSchema.reservedPrefix) are "
                    + "reserved for Hudi's own columns (lake writes the meta columns itself); drop or rename the column"
            )
        }

        // Schema.
        let newSchema: TableSchema
        switch operation {
        case .delete, .deletePartitions:
            guard let s = schema else {
                throw LakeError(.invalidArgument, "the table has no data yet; nothing to delete")
            }
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
        return (data, deleteFlags, newSchema)
    }

    /// Rolls back the pending write `instant` (this writer's own, after a failure or conflict),
    /// recording a `.rollback` instant. Call with the writer lock held.
    func rollbackPendingWrite(_ instant: String) throws(LakeError) {
        timeline = try Timeline.load(from: storage)
        let t = Instant.normalize(instant)
        guard let pending = timeline.pendingCommits.first(where: { $0.normalizedTimestamp == t }) else { return }
        _ = try runRollback(try planRollback(pending, wasCompleted: false))
    }
}

extension Table {
    /// Target size of a base file in bytes (`lake.target.file.size`, default 120 MiB as in Hudi).
    public var targetFileSize: Int64 {
        (try? config.value(.targetFileSize)) ?? TableSetting.defaultTargetFileSize
    }
}
