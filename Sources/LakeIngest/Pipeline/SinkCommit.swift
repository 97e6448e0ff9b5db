/// What one commit did.
public struct SinkCommit: Sendable, Hashable {
    /// The commit's instant time.
    public var instant: String
    /// Rows with new keys.
    public var inserted: Int
    /// Rows that replaced stored rows.
    public var updated: Int
    /// Stored rows deleted.
    public var deleted: Int
    /// Rows not applied: older than what is stored or in the batch, deletes of absent keys.
    public var ignored: Int
    /// Base files written.
    public var filesWritten: Int
    /// Bytes of base files written.
    public var bytesWritten: Int64
    /// How long the table write took, milliseconds (0 when the sink does not measure it).
    public var durationMillis: Int64 = 0
    /// How many times the write was planned: 1, plus one per retry after a conflict.
    public var attempts = 1

    public init(
        instant: String, inserted: Int = 0, updated: Int = 0, deleted: Int = 0, ignored: Int = 0,
        filesWritten: Int = 0, bytesWritten: Int64 = 0
    ) {
        self.instant = instant
        self.inserted = inserted
        self.updated = updated
        self.deleted = deleted
        self.ignored = ignored
        self.filesWritten = filesWritten
        self.bytesWritten = bytesWritten
    }
}
