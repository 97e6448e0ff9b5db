/// What a snapshot read returns.
public struct ReadOptions: Sendable {
    /// Data columns to return, in this order (nil: all, in schema order).
    public var columns: [String]?
    /// Rows to keep; also prunes partitions and skips row groups by statistics.
    public var predicate: Predicate?
    /// Read the table as of this instant (`yyyyMMddHHmmssSSS`): the newest completed commit at or
    /// before it. Nil: the latest commit.
    public var asOf: String?
    /// Prefix the five `_hoodie_*` meta columns.
    public var includeMetaColumns = false
    /// On a merge-on-read table, read base files only (Hudi's read-optimized query): faster,
    /// but without the changes of delta commits since each file group's last compaction.
    /// Ignored on copy-on-write tables.
    public var readOptimized = false

    public init(
        columns: [String]? = nil, predicate: Predicate? = nil, asOf: String? = nil, includeMetaColumns: Bool = false,
        readOptimized: Bool = false
    ) {
        self.readOptimized = readOptimized
        self.columns = columns
        self.predicate = predicate
        self.asOf = asOf
        self.includeMetaColumns = includeMetaColumns
    }
}
