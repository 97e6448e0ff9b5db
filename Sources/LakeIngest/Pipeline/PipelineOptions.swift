/// How a ``MicroBatchPipeline`` cuts its input into commits.
///
/// A window opens when its first record is read and closes when ``windowMillis`` have passed
/// since then, when it holds ``maxRecords`` records or ``maxBytes`` bytes of input, when the
/// input ends, or on a stop request — whichever comes first. Each window with records becomes
/// one commit.
public struct PipelineOptions: Sendable, Hashable {
    /// The window length in milliseconds (default 100 s, the Glue streaming default).
    public var windowMillis: Int64 = 100_000
    /// The most records per window (`nil`: no limit).
    public var maxRecords: Int?
    /// The most input bytes per window (default 256 MiB, which bounds memory).
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

    /// Parses a window length: `100s`, `500ms`, `2m`, `1h`, or a bare number of seconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let t = text.trimmed.lowercased()
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count)), v > 0 else { return nil }
            return Int64(v * scale)
        }
        guard let v = Double(t), v > 0 else { return nil }
        return Int64(v * 1000)
    }

    /// Parses a byte size: `1048576`, `64k`, `256M`, `1G` (binary multiples).
    public static func parseBytes(_ text: String) -> Int? {
        let t = text.trimmed.lowercased()
        let units: [(String, Int)] = [("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("kb", 1 << 10), ("mb", 1 << 20),
                                      ("gb", 1 << 30), ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("b", 1)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Int(t.dropLast(suffix.count)), v > 0 else { return nil }
            return v * scale
        }
        guard let v = Int(t), v > 0 else { return nil }
        return v
    }
}
