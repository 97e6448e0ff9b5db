/// What one write does with its input. Every write is one instant on the timeline.
public enum WriteOperation: Sendable, Hashable {
    /// Insert new keys, update existing ones (event-time ordered). Rows whose
    /// `_hoodie_is_deleted` column is true are deletes.
    case upsert
    /// Like upsert (lake never writes duplicate keys).
    case insert
    /// Write the rows into new file groups without looking keys up: the caller promises new keys.
    case bulkInsert
    /// Delete the input's keys. Rows carrying the precombine field delete only rows not newer.
    case delete
    /// Replace every partition present in the input with exactly the input's rows (a replacecommit).
    case insertOverwrite
    /// Remove whole partitions, given as partition paths (a replacecommit).
    case deletePartitions([String])

    /// Java Hudi's `WriteOperationType` name, stored as `operationType` in the commit.
    public var hudiOperationType: WriteOperationType {
        switch self {
        case .upsert: .upsert
        case .insert: .insert
        case .bulkInsert: .bulkInsert
        case .delete: .delete
        case .insertOverwrite: .insertOverwrite
        case .deletePartitions: .deletePartition
        }
    }

    /// The timeline action of the instant: `replacecommit` for operations that replace file groups.
    public var action: Instant.Action {
        switch self {
        case .insertOverwrite, .deletePartitions: .replacecommit
        default: .commit
        }
    }

    /// A short lower-case name (`upsert`, `insert_overwrite`, …).
    public var name: String {
        switch self {
        case .upsert: "upsert"
        case .insert: "insert"
        case .bulkInsert: "bulk_insert"
        case .delete: "delete"
        case .insertOverwrite: "insert_overwrite"
        case .deletePartitions: "delete_partition"
        }
    }
}

/// Settings of one write.
public struct WriteOptions: Sendable {
    /// Stored in the commit's `extraMetadata` (e.g. a stream checkpoint).
    public var extraMetadata: [String: String] = [:]
    /// Called as each phase of the write finishes (for progress display); runs on the writing thread.
    public var progress: (@Sendable (PhaseTiming) -> Void)?
    /// How this write shares the table with other writers; `nil`: the table's
    /// `write.concurrency.mode` (``TableSetting/writeConcurrencyMode``).
    public var concurrencyMode: WriteConcurrencyMode?
    /// Under optimistic concurrency: how many times a write that lost to a concurrent commit
    /// (``LakeError/writeConflict``) is re-planned from the new snapshot and tried again before
    /// its conflict is thrown. 0: never.
    public var retries = 0
    public init() {}
}

/// How long one phase of a write took.
public struct PhaseTiming: Sendable, Hashable, CustomStringConvertible {
    /// `list`, `prepare`, `index load`, `plan`, `begin`, `write groups`, `index persist`, `commit`.
    public var name: String
    public var millis: Int64
    public var description: String { "\(name) \(millis) ms" }
}

/// What a write did.
public struct CommitResult: Sendable, Hashable {
    public var instant: String
    public var operation: WriteOperation
    /// Rows in the input.
    public var recordsIn = 0
    public var inserted = 0
    public var updated = 0
    public var deleted = 0
    /// Input rows that changed nothing: superseded in the batch, older than the stored row or
    /// delete, deletes of absent keys.
    public var ignored = 0
    public var filesWritten = 0
    public var partitionsWritten = 0
    public var bytesWritten: Int64 = 0
    public var durationMillis: Int64 = 0
    /// File groups replaced (insert_overwrite, delete_partition).
    public var fileGroupsReplaced = 0
    /// How long each phase of the write took, in order.
    public var phases: [PhaseTiming] = []
    /// Why this write rebuilt the record index from the base files (a missing or damaged index
    /// file, a commit by another engine); `nil` when it used the index as it was.
    public var indexRebuild: String?
    /// How many times the write was planned: 1, plus one per retry after a conflict.
    public var attempts = 1

    public init(instant: String, operation: WriteOperation) {
        self.instant = instant
        self.operation = operation
    }
}
