import LakeParquet

/// What a change did to a record.
public enum ChangeOperation: String, Sendable, Hashable, CaseIterable {
    /// The key was not in the table before the commit and is after it.
    case insert
    /// The key was in the table before the commit and the commit wrote a new version of it
    /// (possibly with equal values, possibly in another partition).
    case update
    /// The key was in the table before the commit and is not after it (a delete, or its
    /// partition was overwritten or deleted without it).
    case delete
}

/// Every change to a table's records in a window of commits, with the record before and after
/// each change: the result of ``Table/changes(_:options:)``.
///
/// Each row of a batch is one change, in this ``schema``:
///
/// | column | type | meaning |
/// |---|---|---|
/// | `_change_op` | string, required | `insert`, `update` or `delete` (``ChangeOperation``) |
/// | `_change_commit_time` | string, required | the instant of the commit that made the change |
/// | `_change_record_key` | string, required | the record key (`_hoodie_record_key`) |
/// | `before` | struct, nullable | the record before the commit; null for inserts |
/// | `after` | struct, nullable | the record after the commit; null for deletes |
///
/// `before` and `after` hold the five `_hoodie_*` meta columns if the read asked for them
/// (``ReadOptions/includeMetaColumns``), then the requested data columns in table schema form
/// (older file versions read with the current schema, as snapshot reads do). A query engine
/// reads them as `after.name`, `before.price`; `lake changes` prints them as nested JSON objects.
///
/// Batches come in commit order, one per commit that changed something, rows sorted by record
/// key (byte order). A key changes at most once per commit.
public struct ChangeFeed: Sendable {
    /// The operation column.
    public static let operationColumn = "_change_op"
    /// The commit time column.
    public static let commitTimeColumn = "_change_commit_time"
    /// The record key column.
    public static let recordKeyColumn = "_change_record_key"
    /// The struct column holding the record before the change.
    public static let beforeColumn = "before"
    /// The struct column holding the record after the change.
    public static let afterColumn = "after"

    /// The schema of every batch (also when there are none).
    public let schema: ParquetSchema
    /// One batch per commit that changed records, oldest first; rows sorted by record key.
    public let batches: [RecordBatch]
    /// Every completed commit in the window, oldest first, including commits that changed nothing.
    public let commits: [String]

    /// A feed; `batches` must have `schema`.
    public init(schema: ParquetSchema, batches: [RecordBatch], commits: [String]) {
        self.schema = schema
        self.batches = batches
        self.commits = commits
    }

    /// The schema of change batches whose `before`/`after` structs hold `recordFields`.
    public static func schema(recordFields: [ParquetField]) -> ParquetSchema {
        ParquetSchema([
            .string(operationColumn, nullable: false),
            .string(commitTimeColumn, nullable: false),
            .string(recordKeyColumn, nullable: false),
            .structure(beforeColumn, recordFields, nullable: true),
            .structure(afterColumn, recordFields, nullable: true),
        ])
    }

    /// The number of changes.
    public var count: Int { batches.reduce(0) { $0 + $1.rowCount } }

    /// The number of changes of one kind.
    public func count(of operation: ChangeOperation) -> Int {
        var n = 0
        let want = Array(operation.rawValue.utf8)
        for b in batches {
            guard case .byteArray(let ops)? = b.columns.first?.data else { continue }
            for i in 0..<b.rowCount where ops[i].elementsEqual(want) { n += 1 }
        }
        return n
    }
}
