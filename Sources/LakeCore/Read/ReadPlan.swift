import LakeParquet

/// A read decided before any data file is opened: which file slices it reads, which columns it
/// returns and reads, and which rows it keeps — the result of ``Table/plan(_:)`` (snapshot and
/// time-travel reads) or ``Table/planIncremental(_:options:)`` (incremental reads).
///
/// Planning lists only the partitions the predicate can match, verifies every slice against the
/// commit metadata (a missing or damaged base file fails the plan, not the read), and — for a
/// snapshot of the latest commit whose predicate pins the record key — keeps only the file
/// groups the record index names. Executing a plan reads exactly ``slices``: eagerly with
/// ``Table/read(_:)-(ReadPlan)`` (slices decoded on both cores) or lazily, one slice at a time,
/// with ``Table/readBatches(_:)``. Both return the same batches in the same order.
///
/// A plan belongs to the table that made it and to that table's timeline at planning time; the
/// cleaner may remove its files later, so execute it soon after planning.
///
/// Each slice is read as one unit (``FileSlice``): its base file, merged — in a merge-on-read
/// table, unless the read is read-optimized — with the records of its log files
/// (``LogRecordMerge``).
public struct ReadPlan: Sendable {
    /// The commit whose state the plan reads: the resolved as-of instant, the latest completed
    /// commit for a snapshot without `asOf`, the window's end for an incremental read; `nil`
    /// when the table has no commits (or no schema yet) and the plan reads nothing.
    public let instant: String?
    /// For an incremental read, the completed commits of the window, oldest first: only rows
    /// whose `_hoodie_commit_time` is one of them are returned. `nil` for a snapshot.
    public let commits: [String]?
    /// The slices to read, sorted by partition path and file id; one batch at most per slice.
    public let slices: [FileSlice]
    /// The data columns every batch holds, in order (after the meta columns if
    /// ``includeMetaColumns``).
    public let columns: [String]
    /// Whether batches begin with the five `_hoodie_*` meta columns.
    public let includeMetaColumns: Bool
    /// The schema of every batch the plan returns.
    public let schema: ParquetSchema
    /// The fields read from each file, in table-schema form: ``columns``, then the columns only
    /// the predicate needs (read, filtered on, then dropped).
    public let readFields: [ParquetField]
    /// The rows kept (evaluated exactly on every row read); `nil`: all rows.
    public let predicate: Predicate?
    /// The part of ``predicate`` that Parquet row-group statistics decide (row groups it rules
    /// out are not decoded); `nil` when nothing can be pushed down.
    public let parquetPredicate: ParquetPredicate?
    /// The record keys the predicate pins, as `_hoodie_record_key` holds them (`id:1001` for a
    /// complex key), when the record index narrowed ``slices`` to the file groups holding them;
    /// `nil` when the index was not used (no pinned key, an as-of read, or an index that is not
    /// current).
    public let pinnedKeys: [String]?
    /// The commit-time filter of an incremental read.
    let commitTimes: CommitTimeSet?
    /// For a merge-on-read table (not read-optimized): how slices with log files are merged;
    /// `nil` reads base files only.
    public let logMerge: LogRecordMerge?

    /// Whether the plan reads base files only although the table is merge-on-read.
    public var isReadOptimized: Bool { logMerge == nil && readOptimized }
    private let readOptimized: Bool

    init(
        instant: String?, commits: [String]? = nil, slices: [FileSlice], columns: ReadColumns,
        includeMetaColumns: Bool, predicate: Predicate?, pinnedKeys: [String]? = nil,
        logMerge: LogRecordMerge? = nil, readOptimized: Bool = false
    ) {
        self.logMerge = logMerge
        self.readOptimized = readOptimized
        self.instant = instant
        self.commits = commits
        self.slices = slices
        self.columns = columns.output
        self.includeMetaColumns = includeMetaColumns
        let meta = includeMetaColumns ? Self.metaFields : []
        self.schema = ParquetSchema(meta + columns.targetFields.prefix(columns.output.count))
        self.readFields = columns.targetFields
        self.predicate = predicate
        self.parquetPredicate = predicate.flatMap { $0.parquetPredicate(schema: columns.fileSchema) }
        self.pinnedKeys = pinnedKeys
        self.commitTimes = commits.map { CommitTimeSet($0) }
    }

    /// A plan that reads nothing (a table without a schema or without commits).
    static func empty(instant: String? = nil, commits: [String]? = nil) -> ReadPlan {
        ReadPlan(
            instant: instant, commits: commits, slices: [], columns: .none,
            includeMetaColumns: false, predicate: nil)
    }

    /// The five meta columns as they are read (nullable strings).
    static let metaFields = TableSchema.metaColumns.map { ParquetField.string($0, nullable: true) }

    /// Total bytes of the files the plan reads (log files included unless read-optimized).
    public var bytes: Int64 {
        slices.reduce(0) { $0 + $1.size + (logMerge == nil ? 0 : $1.logFiles.reduce(0) { $0 + $1.size }) }
    }
}
