import LakeCore

/// Where ingested batches go: a table (``TableSink``), or anything else that commits a batch
/// atomically together with its extra metadata (tests use an in-memory sink).
///
/// Exactly-once ingestion rests on two promises of the sink: a commit and its `extraMetadata`
/// become visible together or not at all, and ``latestExtraMetadata(where:)`` sees every
/// completed commit.
public protocol RecordSink: AnyObject {
    /// The data columns written so far; `nil` before the first commit of a new table.
    var tableSchema: TableSchema? { get }
    /// The record key fields; empty when the table does not exist yet.
    var recordKeyFields: [String] { get }
    /// Where refused records are written, or `nil` to keep them only in reports.
    var errorLogDirectory: String? { get }
    /// The `extraMetadata` of the newest completed commit for which `predicate` holds.
    func latestExtraMetadata(where predicate: ([String: String]) -> Bool) throws(LakeError) -> [String: String]?
    /// Writes one batch (upserts and deletes) as one commit with `extraMetadata`.
    func commit(_ batch: ChangeBatch, extraMetadata: [String: String]) throws(LakeError) -> SinkCommit
}

/// What one commit did.
public struct SinkCommit: Sendable, Hashable {
    /// The commit's instant time.
    public var instant: String
    public var inserted: Int
    public var updated: Int
    public var deleted: Int
    /// Rows not applied: older than what is stored or in the batch, deletes of absent keys.
    public var ignored: Int
    public var filesWritten: Int
    public var bytesWritten: Int64

    public init(instant: String, inserted: Int = 0, updated: Int = 0, deleted: Int = 0, ignored: Int = 0,
                filesWritten: Int = 0, bytesWritten: Int64 = 0) {
        self.instant = instant
        self.inserted = inserted
        self.updated = updated
        self.deleted = deleted
        self.ignored = ignored
        self.filesWritten = filesWritten
        self.bytesWritten = bytesWritten
    }
}
