import LakeCore

/// One batch of change records turned into table rows: upserts and deletes in one
/// ``RecordBatch``, ready for one commit, with what was refused.
public struct ChangeBatch: Sendable {
    /// The Boolean column marking deletes (Hudi's convention; the engine does not store it).
    public static let deleteColumn = "_hoodie_is_deleted"

    /// The rows to write: data columns, the ordering column and ``deleteColumn``.
    public var batch: RecordBatch
    /// Records read (non-blank lines), refused ones included.
    public var recordsIn: Int
    /// Rows from INSERT and MODIFY records.
    public var upserts: Int
    /// Rows from REMOVE records.
    public var deletes: Int
    /// Refused records, in input order (only with ``ErrorPolicy/quarantine``).
    public var issues: [IngestIssue]
    /// The record key fields the rows are keyed by (the table's, the mapping's, or the names of
    /// the first record's `Keys`).
    public var recordKeyFields: [String]
    /// The ordering (precombine) field.
    public var orderingField: String
    /// Where the last record of the batch ends: the next record to read (file and offset just
    /// after its line), or `nil` for an empty batch.
    public var end: SourcePosition?
    /// The source's position after the batch's last record (``SourceChunk/end`` of its last
    /// chunk): stored with the commit so that a restarted stream resumes right after it.
    public var checkpoint: Checkpoint?
    /// Which attribute names own the columns renames produced, the table's record and this
    /// batch's claims (``ColumnOwners``): stored with the commit.
    public var columnOwners = ColumnOwners()
    /// The attribute names this batch renamed for the first time: column path → attribute
    /// name (``AttributeNaming``), for the report.
    public var renamedAttributes: [String: String] = [:]

    /// Rows written (upserts + deletes).
    public var rowCount: Int { batch.rowCount }
}
