import LakeCore

/// `lake upsert --cdc`: a whole file (or standard input) of change records applied to a table as
/// one commit, creating the table from the mapping's settings if it does not exist.
///
/// Unlike a ``MicroBatchPipeline`` stream it does not resume: every run reads its whole input
/// (re-applying changes is harmless — each row keeps its newest change — but makes a commit).
/// The commit still records where the input ended (``Checkpoint``).
///
/// ```swift
/// let report = try CDCUpsert(table: "/lake/customer", input: .file("changes.jsonl", follow: false),
///                            mapping: try IngestMapping.load(path: "mapping.json")).run()
/// ```
public struct CDCUpsert: Sendable {
    /// The table directory.
    public var table: String
    /// The records: a file (read to its end) or standard input.
    public var input: SourceSpec
    /// How records become rows, and the settings of a table to create.
    public var mapping: IngestMapping
    /// What to do with bad records.
    public var onError: ErrorPolicy
    /// `.upsert` (default) or `.bulkInsert` (a first load of new keys, without index lookups).
    public var operation: WriteOperation
    /// How long the commit waits for another writer (0: fail at once).
    public var lockWaitMillis: Int64 = 0
    /// Retries of a commit that lost to a concurrent writer (``WriteOptions/retries``).
    public var retries = 0
    /// Told the records and bytes read so far after each chunk of input (progress display).
    public var onRead: (@Sendable (_ records: Int, _ bytes: Int) -> Void)?
    /// Told about every finished phase of the write (progress display, logging).
    public var progress: (@Sendable (PhaseTiming) -> Void)?

    public init(
        table: String, input: SourceSpec, mapping: IngestMapping = .inferred, onError: ErrorPolicy = .quarantine,
        operation: WriteOperation = .upsert
    ) {
        self.table = table
        self.input = input
        self.mapping = mapping
        self.onError = onError
        self.operation = operation
    }

    /// Applies the input. Returns what the commit did, or `nil` for an input without records.
    /// - Throws: ``LakeError`` as ``MicroBatchPipeline/run(onCommit:)`` does; with
    ///   ``ErrorPolicy/fail`` nothing is committed.
    public func run() throws(LakeError) -> WindowReport? {
        let sink = try TableSink(path: table, settings: mapping.table)
        sink.operation = operation
        sink.lockWaitMillis = lockWaitMillis
        sink.retries = retries
        sink.progress = progress
        var options = PipelineOptions()
        options.windowMillis = .max
        options.maxRecords = nil
        options.maxBytes = nil
        options.resume = false
        options.onError = onError
        let pipeline = MicroBatchPipeline(source: input, sink: sink, mapping: mapping, options: options)
        pipeline.onRead = onRead
        return try pipeline.run().windows.last
    }
}
