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

extension Table {
    /// Target size of a base file in bytes (`lake.target.file.size`, default 120 MiB as in Hudi).
    public var targetFileSize: Int64 {
        (try? config.value(.targetFileSize)) ?? TableSetting.defaultTargetFileSize
    }
}
