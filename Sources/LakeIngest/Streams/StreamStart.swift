import LakeCore

/// Where a stream source starts reading when the table has no checkpoint of it yet (a first run).
/// Later runs resume after the checkpoint whatever this says.
public enum StreamStart: Sendable, Hashable, CustomStringConvertible {
    /// The oldest record each shard still holds (`--start trim-horizon`, the default).
    case trimHorizon
    /// Only records that arrive from now on (`--start latest`).
    case latest
    /// Records that arrived at or after this time, epoch milliseconds (`--start at-timestamp:T`).
    case atTimestamp(millis: Int64)

    /// Parses `trim-horizon`, `latest`, or `at-timestamp:T` with `T` an ISO 8601 time
    /// (`2026-12-07T18:00:00Z`) or epoch seconds (`1796666400`) or milliseconds.
    /// - Throws: ``LakeError`` `.invalidArgument` naming the text.
    public init(parsing text: String) throws(LakeError) {
        switch text {
        case "trim-horizon": self = .trimHorizon
        case "latest": self = .latest
        default:
            let prefix = "at-timestamp:"
            guard text.hasPrefix(prefix), text.count > prefix.count else {
                throw LakeError(
                    .invalidArgument,
                    "'\(text)' is not a start position: use trim-horizon, latest or "
                        + "at-timestamp:T (T an ISO 8601 time such as 2026-12-07T18:00:00Z, or epoch seconds)")
            }
            let t = Array(text.dropFirst(prefix.count).utf8)
            let millis: Int64? = t.withUnsafeBytes { p in
                if t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 || $0 == UInt8(ascii: ".") }) {
                    return try? EpochTime.millis(p)
                }
                return try? TemporalText.parseTimestamp(p, unit: .millis, utc: true)
            }
            guard let m = millis else {
                throw LakeError(
                    .invalidArgument,
                    "'\(text)': the time after at-timestamp: is neither an ISO 8601 "
                        + "time (2026-12-07T18:00:00Z) nor epoch seconds")
            }
            self = .atTimestamp(millis: m)
        }
    }

    /// The text form (`trim-horizon`, `latest`, `at-timestamp:<epoch ms>`).
    public var description: String {
        switch self {
        case .trimHorizon: "trim-horizon"
        case .latest: "latest"
        case .atTimestamp(let m): "at-timestamp:\(m)"
        }
    }
}

/// How a ``StreamSource`` reads its shards.
public struct StreamSourceOptions: Sendable, Hashable {
    /// Where a first run starts.
    public var start: StreamStart = .trimHorizon
    /// Go on when the checkpoint is older than the stream's retention (records were trimmed
    /// unread): each such shard restarts at its oldest record. Off by default: the source
    /// refuses, saying how many hours of changes are missing.
    public var acceptDataLoss = false
    /// Records asked for per `GetRecords` call (Kinesis allows 10,000, DynamoDB Streams 1,000).
    public var recordsPerCall = 1000
    /// Records a shard's reader keeps ready before it waits for the pipeline to take them.
    public var bufferedRecordsPerShard = 10_000
    /// How long a shard's reader waits after a call that returned nothing new; `nil`: the
    /// stream's own pace (``ShardedStream/idlePollMillis``: Kinesis allows five `GetRecords` per
    /// shard per second, DynamoDB Streams four).
    public var idlePollMillis: Int64?
    /// How often shards are listed again to find new ones even when none closed.
    public var listIntervalMillis: Int64 = 30_000
    /// The longest wait between calls while AWS keeps throttling after the client's own retries.
    public var maxBackoffMillis: Int64 = 5_000

    public init() {}
}
