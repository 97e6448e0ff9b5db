/// The kind of write recorded in commit metadata (`operationType`), with Java's
/// `WriteOperationType` enum names as written to JSON (`"UPSERT"`).
///
/// A struct rather than an enum so that names lake does not know (newer Java versions) parse
/// and round-trip unchanged.
public struct WriteOperationType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The Java enum name.
    public let rawValue: String

    /// The operation with this Java name (any string is kept as is).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Insert without looking up existing keys.
    public static let insert = WriteOperationType(rawValue: "INSERT")
    /// Insert of records already tagged with their file groups.
    public static let insertPrepped = WriteOperationType(rawValue: "INSERT_PREPPED")
    /// Insert or update by record key: lake's default write.
    public static let upsert = WriteOperationType(rawValue: "UPSERT")
    /// Upsert of records already tagged with their file groups.
    public static let upsertPrepped = WriteOperationType(rawValue: "UPSERT_PREPPED")
    /// Bulk load without merging.
    public static let bulkInsert = WriteOperationType(rawValue: "BULK_INSERT")
    /// Bulk insert of records already tagged with their file groups.
    public static let bulkInsertPrepped = WriteOperationType(rawValue: "BULK_INSERT_PREPPED")
    /// Delete by record key.
    public static let delete = WriteOperationType(rawValue: "DELETE")
    /// Delete of records already tagged with their file groups.
    public static let deletePrepped = WriteOperationType(rawValue: "DELETE_PREPPED")
    /// Bootstrap of an existing table.
    public static let bootstrap = WriteOperationType(rawValue: "BOOTSTRAP")
    /// Replaces the file groups of the partitions written (a `.replacecommit`).
    public static let insertOverwrite = WriteOperationType(rawValue: "INSERT_OVERWRITE")
    /// Replaces every file group of the table (a `.replacecommit`).
    public static let insertOverwriteTable = WriteOperationType(rawValue: "INSERT_OVERWRITE_TABLE")
    /// Clustering (a `.replacecommit`).
    public static let cluster = WriteOperationType(rawValue: "CLUSTER")
    /// Drops partitions (a `.replacecommit`).
    public static let deletePartition = WriteOperationType(rawValue: "DELETE_PARTITION")
    /// MOR compaction.
    public static let compact = WriteOperationType(rawValue: "COMPACT")
    /// MOR log compaction.
    public static let logCompact = WriteOperationType(rawValue: "LOG_COMPACT")
    /// Metadata-table indexing.
    public static let index = WriteOperationType(rawValue: "INDEX")
    /// Schema change only.
    public static let alterSchema = WriteOperationType(rawValue: "ALTER_SCHEMA")
    /// Unknown operation.
    public static let unknown = WriteOperationType(rawValue: "UNKNOWN")

    /// Every name Java Hudi 0.14 defines.
    public static let allKnown: [WriteOperationType] = [
        .insert, .insertPrepped, .upsert, .upsertPrepped, .bulkInsert, .bulkInsertPrepped, .delete,
        .deletePrepped, .bootstrap, .insertOverwrite, .insertOverwriteTable, .cluster, .deletePartition,
        .compact, .logCompact, .index, .alterSchema, .unknown,
    ]

    /// Whether the operation is recorded as a `.replacecommit` (it replaces file groups).
    public var isReplace: Bool {
        self == .insertOverwrite || self == .insertOverwriteTable || self == .cluster || self == .deletePartition
    }

    /// The Java name.
    public var description: String { rawValue }
}
