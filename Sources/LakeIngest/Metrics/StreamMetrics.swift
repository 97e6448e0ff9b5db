import Synchronization

/// The live figures of a running stream, for scraping (`lake stream --metrics-port`): updated
/// from each committed window's ``WindowReport`` and rendered in the Prometheus text format.
///
/// | metric | type | meaning |
/// |---|---|---|
/// | `lake_stream_records_total` | counter | records read into committed windows (`rate()` gives records per second) |
/// | `lake_stream_bytes_total` | counter | input bytes of those records |
/// | `lake_stream_refused_records_total` | counter | records refused (quarantined) |
/// | `lake_stream_commits_total` | counter | commits made |
/// | `lake_stream_conflicts_total` | counter | commits re-planned after losing to a concurrent writer |
/// | `lake_stream_iterator_age_milliseconds{shard}` | gauge | per shard, milliseconds behind its newest record (as Kinesis/DynamoDB Streams report it) when the last window closed |
/// | `lake_stream_commit_duration_seconds` | histogram | how long each commit's table write took |
/// | `lake_stream_ingest_to_commit_milliseconds{quantile}` | gauge | the last window's latency from a record's arrival in the stream to its commit: p50 (0.5), p99 (0.99), max (1) |
/// | `lake_stream_last_commit_timestamp_seconds` | gauge | when the last commit completed (Unix time) |
///
/// Thread-safe: the pipeline records, the metrics endpoint's thread renders.
public final class StreamMetrics: Sendable {
    /// Upper bounds of the commit-duration histogram, seconds.
    public static let commitBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    struct State {
        var records: Int64 = 0
        var bytes: Int64 = 0
        var refused: Int64 = 0
        var commits: Int64 = 0
        var conflicts: Int64 = 0
        var lagMillis: [String: Int64] = [:]
        var commitBucketCounts = [Int64](repeating: 0, count: StreamMetrics.commitBuckets.count)
        var commitCount: Int64 = 0
        var commitSumMillis: Int64 = 0
        var latency: (p50: Int64, p99: Int64, max: Int64)?
        var lastCommitSeconds: Double?
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds one committed window, completed now.
    public func record(_ report: WindowReport) { record(report, nowMillis: StreamWindow.nowMillis()) }

    /// Adds one committed window completed at `nowMillis` (epoch milliseconds).
    public func record(_ report: WindowReport, nowMillis: Int64) {
        state.withLock { s in
            s.records += Int64(report.recordsIn)
            s.refused += Int64(report.errors)
            if let w = report.stream {
                s.bytes += Int64(w.bytes)
                for (shard, lag) in w.lagMillis { s.lagMillis[shard] = lag }
                s.latency = (w.latencyP50, w.latencyP99, w.latencyMax)
            }
            if let c = report.commit {
                s.commits += 1
                s.conflicts += Int64(max(0, c.attempts - 1))
                let seconds = Double(c.durationMillis) / 1000
                for (i, bound) in Self.commitBuckets.enumerated() where seconds <= bound {
                    s.commitBucketCounts[i] += 1
                }
                s.commitCount += 1
                s.commitSumMillis += c.durationMillis
                s.lastCommitSeconds = Double(nowMillis) / 1000
            }
        }
    }

    /// The metrics in the Prometheus text format (version 0.0.4).
    public func exposition() -> String {
        let s = state.withLock { $0 }
        var t = PrometheusText()
        func counter(_ name: String, _ help: String, _ v: Int64) {
            t.family(name, type: .counter, help: help)
            t.sample(name, value: Double(v))
        }
        counter("lake_stream_records_total", "Records read into committed windows.", s.records)
        counter("lake_stream_bytes_total", "Input bytes of the records read into committed windows.", s.bytes)
        counter("lake_stream_refused_records_total", "Records refused (quarantined or failing the window).", s.refused)
        counter("lake_stream_commits_total", "Commits made by this stream.", s.commits)
        counter(
            "lake_stream_conflicts_total", "Commits re-planned after a concurrent writer committed first.", s.conflicts)
        t.family(
            "lake_stream_iterator_age_milliseconds", type: .gauge,
            help: "Per shard: milliseconds behind the shard's newest record when the last window closed.")
        for shard in s.lagMillis.keys.sorted() {
            t.sample(
                "lake_stream_iterator_age_milliseconds", labels: [("shard", shard)], value: Double(s.lagMillis[shard]!))
        }
        t.family(
            "lake_stream_commit_duration_seconds", type: .histogram, help: "How long each commit's table write took.")
        for (i, bound) in Self.commitBuckets.enumerated() {
            t.sample(
                "lake_stream_commit_duration_seconds_bucket", labels: [("le", PrometheusText.format(bound))],
                value: Double(s.commitBucketCounts[i]))
        }
        t.sample("lake_stream_commit_duration_seconds_bucket", labels: [("le", "+Inf")], value: Double(s.commitCount))
        t.sample("lake_stream_commit_duration_seconds_sum", value: Double(s.commitSumMillis) / 1000)
        t.sample("lake_stream_commit_duration_seconds_count", value: Double(s.commitCount))
        t.family(
            "lake_stream_ingest_to_commit_milliseconds", type: .gauge,
            help:
                "The last window's latency from a record's arrival in the stream to its commit (quantile 1 is the max)."
        )
        if let l = s.latency {
            t.sample("lake_stream_ingest_to_commit_milliseconds", labels: [("quantile", "0.5")], value: Double(l.p50))
            t.sample("lake_stream_ingest_to_commit_milliseconds", labels: [("quantile", "0.99")], value: Double(l.p99))
            t.sample("lake_stream_ingest_to_commit_milliseconds", labels: [("quantile", "1")], value: Double(l.max))
        }
        t.family(
            "lake_stream_last_commit_timestamp_seconds", type: .gauge,
            help: "When the last commit completed (Unix time).")
        if let c = s.lastCommitSeconds { t.sample("lake_stream_last_commit_timestamp_seconds", value: c) }
        return t.output
    }
}
