import LakeParquet
import LakeBase

extension Table {
    /// Reads a snapshot: the latest committed slice of every live file group as of
    /// `options.asOf` (default: the latest completed commit).
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
        guard let schema else { return [] }
        let asOf = try options.asOf.map { spec throws(LakeError) in try resolveAsOf(spec) }
        let plan = try ReadColumns(options, schema: schema)
        let partitions = PartitionSelection.matching(config.isPartitioned ? options.predicate : nil,
                                                     scheme: config.partitionScheme, schema: schema.fields)
        let view = try FileSystemView.load(storage: storage, timeline: timeline, partitions: partitions)
        let snapshot = try verifiedSlices(view, asOf: asOf)
        var slices = prune(snapshot, by: options.predicate, schema: schema)
        if asOf == nil, let p = options.predicate, let keys = recordKeys(pinnedBy: p, schema: schema),
           let groups = try fileGroups(holding: keys) {
            slices = slices.filter { groups.contains($0.fileGroupID) }
        }
        return try readSlices(slices, plan, includeMeta: options.includeMetaColumns, predicate: options.predicate)
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
        switch try range.check(chosen?.normalizedTimestamp ?? t, reading: "as of \(spec)\(spec == t ? "" : " (instant \(t))")",
                               savepointsCount: chosen != nil) {
        case .readable:
            if let chosen { return chosen.timestamp }
        case .beforeFirstCommit:
            break
        }
        let first = timeline.completedCommits.first?.timestamp ?? "none"
        throw LakeError(.notFound, "no commit at or before \(spec)\(spec == t ? "" : " (instant \(t))") (earliest commit: \(first))")
    }

    // MARK: Shared by snapshot, incremental and change-feed reads

    /// The latest slice of every live file group as of `asOf` (`nil`: the latest commit), checked
    /// against the commit metadata (``WrittenSlices``): every base file the snapshot needs is
    /// there, at the size its commit wrote. Only the partitions `view` listed are checked (a read
    /// pruned by its predicate, or a write listing the partitions it touches, uses no others).
    /// - Parameter onlyGroups: check only these groups (the rest are not read).
    /// - Throws: `.corruptTable` naming a missing or damaged base file.
    func verifiedSlices(_ view: FileSystemView, asOf: String?,
                        onlyGroups: Set<FileGroupID>? = nil) throws(LakeError) -> [FileSlice] {
        let slices = view.latestSlices(asOf: asOf)
        do throws(LakeError) {
            let written = try WrittenSlices.load(timeline: timeline, storage: storage, upTo: asOf)
            try written.verify(slices, asOf: asOf, onlyGroups: onlyGroups, partitions: view.selection)
        } catch where error.code == .corruptTable {
            // An interrupted restore or rollback passes through older snapshots, whose files the
            // cleaner may have deleted: say what finishes it.
            let interrupted = timeline.pendingInstants.first { $0.action == .restore || $0.action == .rollback }
            guard let p = interrupted else {
                throw error
            }
            throw LakeError(.corruptTable, """
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

    /// Reads slices on both cores: the planned columns (meta columns first if `includeMeta`),
    /// rows filtered by `predicate`, row groups skipped by its Parquet form.
    /// - Returns: one batch per slice that has matching rows, in slice order.
    func readSlices(_ slices: [FileSlice], _ plan: ReadColumns, includeMeta: Bool, predicate: Predicate?) throws(LakeError) -> [RecordBatch] {
        try readSliceBatches(slices, plan, includeMeta: includeMeta, predicate: predicate).compactMap { $0 }
    }

    /// ``readSlices(_:_:includeMeta:predicate:)`` with one entry per slice: `nil` for a slice
    /// without (matching) rows.
    func readSliceBatches(_ slices: [FileSlice], _ plan: ReadColumns, includeMeta: Bool, predicate: Predicate? = nil) throws(LakeError) -> [RecordBatch?] {
        let parquetFilter = predicate.flatMap { $0.parquetPredicate(schema: plan.fileSchema) }
        let storageRef = storage
        let results = parallelMap(slices.count, parallel: true) { i -> Result<RecordBatch?, LakeError> in
            do throws(LakeError) {
                return .success(try Self.readSlice(slices[i], storage: storageRef, targetFields: plan.targetFields,
                                                   includeMeta: includeMeta, parquetFilter: parquetFilter, predicate: predicate,
                                                   outputColumns: plan.output))
            } catch { return .failure(error) }
        }
        var out: [RecordBatch?] = []
        out.reserveCapacity(results.count)
        for r in results {
            switch r {
            case .success(let b): out.append(b)
            case .failure(let e): throw e
            }
        }
        return out
    }

    static func readSlice(_ slice: FileSlice, storage: some TableStorage, targetFields: [ParquetField], includeMeta: Bool,
                          parquetFilter: ParquetPredicate?, predicate: Predicate?, outputColumns: [String]) throws(LakeError) -> RecordBatch? {
        let reader = try ParquetReaderCache.open(storage: storage, path: slice.path)
        let present = Set(reader.schema.fields.map(\.name))
        var columns = targetFields.map(\.name).filter { present.contains($0) }
        if includeMeta { columns = TableSchema.metaColumns.filter { present.contains($0) } + columns }
        var batches: [RecordBatch] = []
        for g in reader.rowGroups(matching: parquetFilter) {
            let raw = try lakeParquet(slice.path) { () throws(ParquetError) in try reader.readRowGroup(g, columns: columns) }
            var conformedFields = targetFields
            if includeMeta { conformedFields = TableSchema.metaColumns.map { ParquetField.string($0, nullable: true) } + conformedFields }
            var batch = try BatchConformer.conform(raw, to: conformedFields)
            if let p = predicate {
                let keep = try p.evaluate(batch)
                if !keep.contains(true) { continue }
                if keep.contains(false) { batch = batch.filter(keep) }
            }
            // Drop columns read only for the predicate.
            let outNames = (includeMeta ? TableSchema.metaColumns : []) + outputColumns
            if batch.schema.fields.count != outNames.count {
                let idx = outNames.map { batch.schema.fieldIndex($0)! }
                batch = RecordBatch(schema: ParquetSchema(idx.map { batch.schema.fields[$0] }), columns: idx.map { batch.columns[$0] }, rowCount: batch.rowCount)
            }
            batches.append(batch)
        }
        guard !batches.isEmpty else { return nil }
        if batches.count == 1 { return batches[0] }
        let cols = batches[0].schema.fields.indices.map { i in Column.concatenate(batches.map { $0.columns[i] }) }
        return RecordBatch(schema: batches[0].schema, columns: cols, rowCount: batches.reduce(0) { $0 + $1.rowCount })
    }
}

/// The data columns a read returns and the ones it must read (those plus what its predicate
/// needs), checked against the table schema.
struct ReadColumns: Sendable {
    /// Data columns to return, in order.
    let output: [String]
    /// Fields to read: `output`, then predicate-only columns.
    let targetFields: [ParquetField]
    /// The table's data schema (for the predicate's Parquet form).
    let fileSchema: ParquetSchema

    /// - Throws: `.invalidArgument` naming an unknown column (in `columns` or the predicate).
    init(_ options: ReadOptions, schema: TableSchema) throws(LakeError) {
        let names = schema.fields.map(\.name)
        let wanted = options.columns ?? names
        for c in wanted where schema.field(named: c) == nil {
            throw LakeError(.invalidArgument, "no column '\(c)' (columns: \(names.joined(separator: ", ")))")
        }
        var readFields = wanted
        if let p = options.predicate {
            for c in p.columns.map({ String($0.split(separator: ".")[0]) }).sorted() where !readFields.contains(c) {
                guard schema.field(named: c) != nil else {
                    throw LakeError(.invalidArgument, "where: no column '\(c)' (columns: \(names.joined(separator: ", ")))")
                }
                readFields.append(c)
            }
        }
        output = wanted
        targetFields = readFields.map { schema.field(named: $0)! }
        fileSchema = schema.dataSchema
    }
}
