import LakeParquet
import LakeBase

extension Table {
    /// Reads a snapshot: the latest committed slice of every live file group as of
    /// `options.asOf` (default: the latest completed commit) — ``plan(_:)``, then
    /// ``read(_:)-(ReadPlan)``.
    ///
    /// `options.asOf` takes any form ``InstantTime/parse(_:timezone:)`` accepts (a 17- or
    /// 14-digit instant, ISO-8601 / RFC 3339, epoch seconds or milliseconds) and reads the newest
    /// completed commit at or before it (see ``resolveAsOf(_:)``).
    ///
    /// Partitions whose values cannot satisfy `options.predicate` are pruned, row groups are
    /// skipped by Parquet statistics, and the remaining rows are filtered exactly. Every file is
    /// read with the table's current schema: columns added since it was written read as null,
    /// widened columns are cast. Files are decoded on both cores.
    /// - Returns: one batch per file slice that has matching rows (order unspecified).
    /// - Throws: `.invalidArgument` for unknown columns, literals that do not fit their column, or
    ///   an `asOf` that cannot be parsed; `.notFound` if `asOf` is before the table's first
    ///   commit; `.outsideRetention` if it is before the earliest instant still readable (the
    ///   cleaner removed the file versions it needs; the message names that instant);
    ///   `.corruptTable` if a base file the snapshot needs is missing or not the size its commit
    ///   wrote (the message names it; nothing older is served instead).
    public func read(_ options: ReadOptions = .init()) throws(LakeError) -> [RecordBatch] {
        // One snapshot for the whole read, whatever another thread's write does meanwhile.
        if !isPinned { return try snapshot().read(options) }
        return try read(plan(options))
    }

    /// Executes a plan eagerly: reads its slices on both cores and returns every batch at once.
    /// - Returns: one batch per slice of ``ReadPlan/slices`` that has rows the plan keeps, in
    ///   slice order (the batches ``readBatches(_:)`` returns, in the same order); each has
    ///   ``ReadPlan/schema``.
    /// - Throws: `.corruptTable` (or a storage error) naming a file that cannot be read — for
    ///   instance removed by the cleaner since the plan was made.
    public func read(_ plan: ReadPlan) throws(LakeError) -> [RecordBatch] {
        try readSliceBatches(plan).compactMap { $0 }
    }

    /// Executes a plan lazily: a reader that decodes one slice when asked for its batch, so at
    /// most one slice's rows are in memory at a time (the caller's batches aside).
    /// - Returns: the batches of ``read(_:)-(ReadPlan)``, one ``ReadBatches/next()`` call each.
    public func readBatches(_ plan: ReadPlan) -> ReadBatches {
        ReadBatches(plan: plan, storage: storage)
    }

    /// The newest completed commit at or before a user time spec (instant, ISO-8601, epoch).
    /// - Parameter spec: any form ``InstantTime/parse(_:timezone:)`` accepts, read in the
    ///   table's timeline time zone.
    /// - Returns: the commit's instant time, as written on the timeline.
    /// - Throws: `.invalidArgument` if `spec` is not a time; `.notFound` if no commit is that
    ///   old (the table did not exist yet); `.outsideRetention` if the commit it selects is
    ///   before ``earliestReadableInstant()`` and not pinned by a savepoint (the message names
    ///   that instant).
    public func resolveAsOf(_ spec: String) throws(LakeError) -> String {
        let t = try InstantTime.parse(spec, timezone: config.timelineTimezone).value
        let range = try readableRange()
        let chosen = timeline.completedCommits.last(where: { $0.normalizedTimestamp <= t })
        // The state the read would see: the chosen commit, or "before every commit".
        switch try range.check(
            chosen?.normalizedTimestamp ?? t, reading: "as of \(spec)\(spec == t ? "" : " (instant \(t))")",
            savepointsCount: chosen != nil)
        {
        case .readable:
            if let chosen { return chosen.timestamp }
        case .beforeFirstCommit:
            break
        }
        let first = timeline.completedCommits.first?.timestamp ?? "none"
        throw LakeError(
            .notFound, "no commit at or before \(spec)\(spec == t ? "" : " (instant \(t))") (earliest commit: \(first))"
        )
    }

    // MARK: Shared by snapshot, incremental and change-feed reads

    /// The latest slice of every live file group as of `asOf` (`nil`: the latest commit), checked
    /// against the commit metadata (``WrittenSlices``): every base file the snapshot needs is
    /// there, at the size its commit wrote. Only the partitions `view` listed are checked (a read
    /// pruned by its predicate, or a write listing the partitions it touches, uses no others).
    /// - Parameter onlyGroups: check only these groups (the rest are not read).
    /// - Throws: `.corruptTable` naming a missing or damaged base file.
    func verifiedSlices(
        _ view: FileSystemView, asOf: String?,
        onlyGroups: Set<FileGroupID>? = nil
    ) throws(LakeError) -> [FileSlice] {
        let slices = view.latestSlices(asOf: asOf)
        do throws(LakeError) {
            let written = try WrittenSlices.load(timeline: timeline, storage: storage, upTo: asOf)
            try written.verify(slices, asOf: asOf, onlyGroups: onlyGroups, partitions: view.selection)
        } catch  where error.code == .corruptTable {
            // An interrupted restore or rollback passes through older snapshots, whose files the
            // cleaner may have deleted: say what finishes it.
            let interrupted = timeline.pendingInstants.first { $0.action == .restore || $0.action == .rollback }
            guard let p = interrupted else {
                throw error
            }
            throw LakeError(
                .corruptTable,
                """
                \(error.message). A \(p.action.rawValue) (\(p.timestamp)) was interrupted: the next write, or \
                'lake rollback', finishes it
                """)
        }
        return slices
    }

    /// Drops slices of partitions whose values cannot satisfy `predicate`.
    func prune(_ slices: [FileSlice], by predicate: Predicate?, schema: TableSchema) -> [FileSlice] {
        guard let p = predicate, config.isPartitioned else { return slices }
        let scheme = config.partitionScheme
        return slices.filter { s in
            guard let values = try? scheme.values(of: s.partitionPath) else { return true }
            var named: [String: String?] = [:]
            for (f, v) in zip(scheme.fields, values) { named[f] = v }
            return p.mightMatch(partitionValues: named, schema: schema.fields)
        }
    }

    /// Reads a plan's slices on both cores.
    /// - Returns: one entry per slice, in slice order: `nil` for a slice without rows the plan keeps.
    func readSliceBatches(_ plan: ReadPlan) throws(LakeError) -> [RecordBatch?] {
        let storageRef = storage
        return try parallelMap(plan.slices.count, parallel: true) { i throws(LakeError) in
            try Self.readSlice(plan.slices[i], of: plan, storage: storageRef)
        }
    }

    /// Reads one slice of `plan`: the planned columns (meta columns first if the plan includes
    /// them), rows filtered by its predicate (row groups skipped by the Parquet form) and, for an
    /// incremental plan, by commit time. `nil` if no row is kept.
    static func readSlice(
        _ slice: FileSlice, of plan: ReadPlan,
        storage: some TableStorage
    ) throws(LakeError) -> RecordBatch? {
        let byCommit = plan.commitTimes
        // An incremental read filters on `_hoodie_commit_time`: read the meta columns for it.
        let readMeta = plan.includeMetaColumns || byCommit != nil
        let read: RecordBatch?
        if let merge = plan.logMerge, !slice.logFiles.isEmpty {
            read = try readMergedSlice(slice, merge: merge, storage: storage, plan: plan, includeMeta: readMeta)
        } else {
            read = try readBaseFile(slice, storage: storage, plan: plan, includeMeta: readMeta)
        }
        guard var batch = read else { return nil }
        if let byCommit {
            guard let kept = keepCommitTimes(batch, byCommit) else { return nil }
            batch = kept
            if !plan.includeMetaColumns {
                let n = TableSchema.metaColumns.count
                batch = RecordBatch(
                    schema: ParquetSchema(Array(batch.schema.fields.dropFirst(n))),
                    columns: Array(batch.columns.dropFirst(n)), rowCount: batch.rowCount)
            }
        }
        return batch
    }

    /// Reads a slice's base file: the plan's fields (meta columns first if `includeMeta`), rows
    /// filtered by its predicate, predicate-only columns dropped.
    static func readBaseFile(
        _ slice: FileSlice, storage: some TableStorage, plan: ReadPlan,
        includeMeta: Bool
    ) throws(LakeError) -> RecordBatch? {
        let targetFields = plan.readFields, predicate = plan.predicate
        let reader = try ParquetReaderCache.open(storage: storage, path: slice.path)
        let present = Set(reader.schema.fields.map(\.name))
        var columns = targetFields.map(\.name).filter { present.contains($0) }
        if includeMeta { columns = TableSchema.metaColumns.filter { present.contains($0) } + columns }
        var batches: [RecordBatch] = []
        for g in reader.rowGroups(matching: plan.parquetPredicate) {
            let raw = try lakeParquet(slice.path) { () throws(ParquetError) in
                try reader.readRowGroup(g, columns: columns)
            }
            var conformedFields = targetFields
            if includeMeta { conformedFields = ReadPlan.metaFields + conformedFields }
            var batch = try BatchConformer.conform(raw, to: conformedFields)
            if let p = predicate {
                let keep = try p.evaluate(batch)
                if !keep.contains(true) { continue }
                if keep.contains(false) { batch = batch.filter(keep) }
            }
            // Drop columns read only for the predicate.
            let outNames = (includeMeta ? TableSchema.metaColumns : []) + plan.columns
            if batch.schema.fields.count != outNames.count {
                let idx = outNames.map { batch.schema.fieldIndex($0)! }
                batch = RecordBatch(
                    schema: ParquetSchema(idx.map { batch.schema.fields[$0] }),
                    columns: idx.map { batch.columns[$0] }, rowCount: batch.rowCount)
            }
            batches.append(batch)
        }
        guard !batches.isEmpty else { return nil }
        if batches.count == 1 { return batches[0] }
        let cols = batches[0].schema.fields.indices.map { i in Column.concatenate(batches.map { $0.columns[i] }) }
        return RecordBatch(schema: batches[0].schema, columns: cols, rowCount: batches.reduce(0) { $0 + $1.rowCount })
    }
}
