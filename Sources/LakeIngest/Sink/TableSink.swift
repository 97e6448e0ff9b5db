import LakeCore

/// A lake table as a ``RecordSink``: opens the table at `path`, or creates it at the first
/// commit from the mapping's table settings (record key, ordering, partitions, Hive style,
/// cleaner retention) and the batch's columns.
public final class TableSink: RecordSink {
    /// The table directory.
    public let path: String
    /// The settings a new table is created with (checked against an existing one).
    public let settings: TableSettings
    /// The open table (`nil` until it exists).
    public private(set) var table: Table?
    /// The write operation of each commit: `.upsert` (default), or `.bulkInsert` for a first
    /// load whose keys are all new (no index lookups; REMOVE records are refused).
    public var operation: WriteOperation = .upsert
    /// Told about every finished phase of each commit's write (progress display, logging).
    public var progress: (@Sendable (PhaseTiming) -> Void)?
    /// How long a commit waits for another writer that holds the table (0: fail at once with
    /// `.conflict`).
    /// Retries of a commit that lost to a concurrent writer (``WriteOptions/retries``).
    public var retries = 0
    public var lockWaitMillis: Int64 = 0 {
        didSet { table?.lockWaitMillis = lockWaitMillis }
    }

    /// - Parameters:
    ///   - path: the table's location (a directory, or `s3://bucket/prefix` when object storage is
    ///     registered).
    ///   - settings: used only when the table has to be created.
    public init(path: String, settings: TableSettings = TableSettings()) throws(LakeError) {
        self.path = path
        self.settings = settings
        // Any location Table.open serves (a directory, s3://…); no table yet: created on the first batch.
        let opened: Table
        do throws(LakeError) {
            opened = try Table.open(path)
        } catch  where error.code == .notFound {
            return
        }
        try Self.check(settings, against: opened.config, path: path)
        table = opened
    }

    /// Refuses settings that contradict an existing table: another record key, ordering field
    /// or partitioning (empty settings mean "whatever the table has", except the ordering,
    /// which must be a column the mapping produces).
    static func check(_ s: TableSettings, against c: TableConfig, path: String) throws(LakeError) {
        if !s.recordKey.isEmpty && s.recordKey != c.recordKeyFields {
            throw LakeError(
                .invalidArgument,
                "the mapping's record key (\(s.recordKey.joined(separator: ", "))) differs from the table's at \(path) (\(c.recordKeyFields.joined(separator: ", ")))"
            )
        }
        let ordering = s.precombine ?? EventOrder.columnName
        if let p = c.precombineField, p != ordering {
            throw LakeError(
                .invalidArgument,
                "the table at \(path) orders changes by '\(p)', the mapping by '\(ordering)': set table.precombine to '\(p)' in the mapping (and map that column)"
            )
        }
        if !s.partitionFields.isEmpty && s.partitionFields != c.partitionFields {
            throw LakeError(
                .invalidArgument,
                "the mapping's partition fields (\(s.partitionFields.joined(separator: ", "))) differ from the table's at \(path) (\(c.partitionFields.joined(separator: ", ")))"
            )
        }
    }

    /// The table's data columns (`nil` until the table exists and has data).
    public var tableSchema: TableSchema? { table?.schema }
    /// The table's record key, or the settings' before the table exists.
    public var recordKeyFields: [String] { table?.config.recordKeyFields ?? settings.recordKey }
    /// `<table>/.hoodie/lake/errors`.
    public var errorLogDirectory: String? { path + "/" + ErrorLog.folder }

    /// Searches the completed commits, newest first (re-reading the timeline).
    public func latestExtraMetadata(where predicate: ([String: String]) -> Bool) throws(LakeError) -> [String: String]?
    {
        guard let t = table else { return nil }
        try t.refresh()
        for instant in t.timeline.completedCommits.reversed() {
            let extra = try t.commitMetadata(instant).extraMetadata
            if predicate(extra) { return extra }
        }
        return nil
    }

    /// Upserts the batch (its `_hoodie_is_deleted` rows are deletes) as one commit, creating the
    /// table first if needed.
    public func commit(_ batch: ChangeBatch, extraMetadata: [String: String]) throws(LakeError) -> SinkCommit {
        let t: Table
        if let existing = table { t = existing } else { t = try createTable(for: batch) }
        t.lockWaitMillis = lockWaitMillis
        table = t
        if case .bulkInsert = operation, batch.deletes > 0 {
            throw LakeError(
                .invalidInput,
                "a bulk insert cannot apply deletes, and the input has \(batch.deletes) REMOVE records; use upsert")
        }
        var options = WriteOptions()
        options.extraMetadata = extraMetadata
        options.progress = progress
        options.retries = retries
        let r = try t.write(batch.batch, operation: operation, options: options)
        var done = SinkCommit(
            instant: r.instant, inserted: r.inserted, updated: r.updated, deleted: r.deleted,
            ignored: r.ignored, filesWritten: r.filesWritten, bytesWritten: r.bytesWritten)
        done.durationMillis = r.durationMillis
        done.attempts = r.attempts
        return done
    }

    /// Rolls back failed writes and runs the cleaner and archival a killed writer skipped
    /// (``Table/recover()``); nothing when the table does not exist yet.
    public func recover() throws(LakeError) {
        guard let t = table else { return }
        t.lockWaitMillis = lockWaitMillis
        try t.recover()
    }

    /// The configuration a new table gets: the mapping's key (or the batch's inferred one),
    /// ordering, partitioning and further settings, checked like `lake create --set`.
    /// - Throws: `.invalidArgument` for a setting that is unknown, malformed or contradicts another.
    public func config(for batch: ChangeBatch) throws(LakeError) -> TableConfig {
        try config(recordKeyFields: batch.recordKeyFields, orderingField: batch.orderingField)
    }

    /// The table's configuration, or the one a first commit creates the table with (`nil` when
    /// the settings are invalid: the commit reports them).
    public func writeConfig(recordKeyFields: [String], orderingField: String) -> TableConfig? {
        if let t = table { return t.config }
        return try? config(recordKeyFields: recordKeyFields, orderingField: orderingField)
    }

    private func config(recordKeyFields: [String], orderingField: String) throws(LakeError) -> TableConfig {
        let name = settings.name ?? (path.split(separator: "/").last.map(String.init) ?? "table")
        let assignments: [(name: String, value: String, origin: String)] = [
            (TableConfig.Key.recordKeyFields, recordKeyFields.joined(separator: ","), "the mapping's record key"),
            (TableConfig.Key.partitionFields, settings.partitionFields.joined(separator: ","), "table.partitionFields"),
            (TableConfig.Key.hiveStylePartitioning, String(settings.hiveStyle), "table.hiveStyle"),
            (TableConfig.Key.precombineField, orderingField, "the mapping's ordering field"),
        ]
        return try TableConfig(name: name, settings: assignments + settings.assignments)
    }

    private func createTable(for batch: ChangeBatch) throws(LakeError) -> Table {
        guard !batch.recordKeyFields.isEmpty else {
            throw LakeError(
                .invalidArgument,
                "cannot create the table at \(path): no record key (give one in the mapping, or feed records with dynamodb.Keys)"
            )
        }
        return try Table.create(at: path, config: config(for: batch))
    }
}
