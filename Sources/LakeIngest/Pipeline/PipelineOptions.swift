/// How a ``MicroBatchPipeline`` cuts its input into commits.
///
/// A window opens when its first record is read and closes when ``windowMillis`` have passed
/// since then, when it holds ``maxRecords`` records or ``maxBytes`` bytes of input, when the
/// input ends, or on a stop request — whichever comes first. Each window with records becomes
/// one commit.
public struct PipelineOptions: Sendable, Hashable {
    /// The window length in milliseconds (default 100 s, the Glue streaming default). Text such
    /// as `100s` or `500ms` parses with ``TimeSpan/init(parsing:)``.
    public var windowMillis: Int64 = 100_000
    /// The most records per window (`nil`: no limit).
    public var maxRecords: Int?
    /// The most input bytes per window (default 256 MiB, which bounds memory). Text such as
    /// `256MiB` parses with ``ByteSize/init(parsing:)``.
    public var maxBytes: Int? = 256 << 20
    /// What to do with records that cannot be ingested.
    public var onError: ErrorPolicy = .quarantine
    /// Resume after the newest checkpoint of the same source (streams), first letting the sink
    /// finish what a killed earlier process left (``RecordSink/recover()``). A one-shot load
    /// (`lake upsert --cdc`) reads its whole input every time (its write recovers anyway).
    public var resume = true
    /// How long to wait before polling an idle source again.
    public var pollMillis: Int64 = 100
    /// Input bytes read per step (the window's limits are checked between steps).
    public var chunkBytes = 4 << 20

    public init() {}
}
