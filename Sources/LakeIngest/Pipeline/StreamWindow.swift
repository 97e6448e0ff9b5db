#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeCore

/// A source that knows when its records arrived and how far behind its shards are (a live stream):
/// the pipeline asks it once per window, as the window is committed.
public protocol StreamStatisticsSource: ChangeSource {
    /// The arrival times (epoch milliseconds) of the records handed out since the last call, and
    /// each shard's lag now (milliseconds behind its newest record, when the service reports it).
    func takeWindowStatistics() -> (arrivals: [Int64], lagMillis: [String: Int64])
}

/// What a window of a live stream looked like: its input, each shard's lag, and how long its
/// records took from arriving in the stream to being committed.
public struct StreamWindow: Sendable, Hashable, CustomStringConvertible {
    /// Records and input bytes in the window.
    public var records: Int
    public var bytes: Int
    /// Per shard: milliseconds behind its newest record when the window closed.
    public var lagMillis: [String: Int64]
    /// Arrival-to-commit latency of the window's records (p50, p99, max), milliseconds; measured
    /// to the commit's completion for the report, to its start for the commit's own metadata.
    public var latencyP50: Int64
    public var latencyP99: Int64
    public var latencyMax: Int64
    /// Records refused in the window.
    public var errors: Int

    /// The statistics of `arrivals` as of `now` (epoch milliseconds).
    init(records: Int, bytes: Int, errors: Int, arrivals: [Int64], lagMillis: [String: Int64], now: Int64) {
        self.records = records
        self.bytes = bytes
        self.errors = errors
        self.lagMillis = lagMillis
        let latencies = arrivals.map { max(0, now - $0) }.sorted()
        func percentile(_ p: Int) -> Int64 {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, (latencies.count - 1) * p / 100)]
        }
        latencyP50 = percentile(50)
        latencyP99 = percentile(99)
        latencyMax = latencies.last ?? 0
    }

    /// `window: 1200 records, 480116 bytes in, 0 errors; lag shardId-000000000001 0 ms;
    /// latency from arrival p50 812 ms, p99 1190 ms, max 1203 ms`
    public var description: String {
        var s = "window: \(records) records, \(bytes) bytes in, \(errors) errors; lag "
        s +=
            lagMillis.isEmpty
            ? "unknown" : lagMillis.keys.sorted().map { "\($0) \(lagMillis[$0]!) ms" }.joined(separator: ", ")
        s += "; latency from arrival p50 \(latencyP50) ms, p99 \(latencyP99) ms, max \(latencyMax) ms"
        return s
    }

    /// The `extraMetadata` entries a commit stores (`lake.stream.*`).
    var metadata: [String: String] {
        var lag: [UInt8] = []
        JSONWriter.appendValue(
            .object(lagMillis.keys.sorted().map { JSONMember($0, .number(JSONNumber(lagMillis[$0]!))) }),
            to: &lag)
        return [
            "lake.stream.bytes": String(bytes), "lake.stream.lagMillis": String(decoding: lag, as: UTF8.self),
            "lake.stream.latencyToCommitStartMillis":
                "{\"p50\":\(latencyP50),\"p99\":\(latencyP99),\"max\":\(latencyMax)}",
        ]
    }

    /// The wall clock in epoch milliseconds.
    static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
