import LakeParquet

extension Table {
    /// Reads a snapshot: the latest committed slice of every live file group as of
    /// `options.asOf` (default: the latest completed commit).
    ///
    /// Partitions whose values cannot satisfy `options.predicate` are pruned, row groups are
    /// skipped by Parquet statistics, and the remaining rows are filtered exactly. Every file is
    /// read with the table's current schema: columns added since it was written read as null,
    /// widened columns are cast. Files are decoded on both cores.
    /// - Returns: one batch per file slice that has matching rows (order unspecified).
    /// - Throws: `.invalidArgument` for unknown columns or literals that do not fit their column;
    ///   `.notFound` if `asOf` is before the first commit.
    public func read(_ options: ReadOptions = .init()) throws(LakeError) -> [RecordBatch] {
        guard let schema else { return [] }
        let asOf = try options.asOf.map { spec throws(LakeError) in try resolveAsOf(spec) }
        let view = try FileSystemView.load(storage: storage, timeline: timeline)
        var slices = view.latestSlices(asOf: asOf)

        // Columns: requested data columns, plus what the predicate needs.
        let wanted = options.columns ?? schema.fields.map(\.name)
        for c in wanted where schema.field(named: c) == nil {
            throw LakeError(.invalidArgument, "no column '\(c)' (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
        }
        var readFields = wanted
        if let p = options.predicate {
            for c in p.columns.map({ String($0.split(separator: ".")[0]) }).sorted() where !readFields.contains(c) {
                guard schema.field(named: c) != nil else {
                    throw LakeError(.invalidArgument, "where: no column '\(c)' (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
                }
                readFields.append(c)
            }
        }
        let targetFields = readFields.map { schema.field(named: $0)! }

        // Partition pruning.
        if let p = options.predicate, config.isPartitioned {
            let scheme = config.partitionScheme
            slices = slices.filter { s in
                guard let values = try? scheme.values(of: s.partitionPath) else { return true }
                var named: [String: String?] = [:]
                for (f, v) in zip(scheme.fields, values) { named[f] = v }
                return p.mightMatch(partitionValues: named, schema: schema.fields)
            }
        }
        let fileSchema = schema.dataSchema
        let parquetFilter = options.predicate.flatMap { $0.parquetPredicate(schema: fileSchema) }
        let includeMeta = options.includeMetaColumns
        let storageRef = storage
        let predicate = options.predicate
        let chosen = slices
        let results = parallelMap(chosen.count, parallel: true) { i -> Result<RecordBatch?, LakeError> in
            do throws(LakeError) {
                return .success(try Self.readSlice(chosen[i], storage: storageRef, targetFields: targetFields,
                                                   includeMeta: includeMeta, parquetFilter: parquetFilter, predicate: predicate,
                                                   outputColumns: wanted))
            } catch { return .failure(error) }
        }
        var out: [RecordBatch] = []
        for r in results {
            switch r {
            case .success(let b?): out.append(b)
            case .success(nil): break
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

    /// The newest completed commit at or before a user time spec (instant, ISO-8601, epoch).
    /// - Throws: `.notFound` if no commit is that old.
    public func resolveAsOf(_ spec: String) throws(LakeError) -> String {
        let t = try InstantTime.parse(spec, timezone: config.timelineTimezone).value
        guard let c = timeline.completedCommits.last(where: { Instant.normalize($0.timestamp) <= t }) else {
            let first = timeline.completedCommits.first?.timestamp ?? "none"
            throw LakeError(.notFound, "no commit at or before \(spec) (earliest commit: \(first))")
        }
        return c.timestamp
    }
}
