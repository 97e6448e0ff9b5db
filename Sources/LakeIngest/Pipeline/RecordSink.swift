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
    /// The configuration rows are written with: the table's, or the one the first commit
    /// creates the table with (record key, key generator, partitioning). With it, rows the
    /// write would refuse for their key or partition path are quarantined one by one instead of
    /// failing the commit (``ChangeBatchBuilder/finish(writeConfig:)``). `nil`: no such check.
    func writeConfig(recordKeyFields: [String], orderingField: String) -> TableConfig?
    /// Writes one batch (upserts and deletes) as one commit with `extraMetadata`.
    func commit(_ batch: ChangeBatch, extraMetadata: [String: String]) throws(LakeError) -> SinkCommit
    /// Finishes what an earlier process left undone (failed writes, services after its last
    /// commit) before ingestion resumes; the pipeline calls it once when it starts.
    func recover() throws(LakeError)
}

extension RecordSink {
    /// Nothing to recover (a sink without table services).
    public func recover() throws(LakeError) {}

    /// No write configuration: rows are not checked before the commit.
    public func writeConfig(recordKeyFields: [String], orderingField: String) -> TableConfig? { nil }
}
