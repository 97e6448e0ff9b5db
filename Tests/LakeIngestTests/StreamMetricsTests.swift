import LakeCore
import Testing

@testable import LakeIngest

/// The Prometheus exposition of a stream's metrics, line by line (the live test on moto parses a
/// scrape with prometheus-client and checks it against what was sent).
struct StreamMetricsTests {
    static func window(
        records: Int, bytes: Int, errors: Int, commitMillis: Int64?, attempts: Int = 1, lag: [String: Int64]
    )
        -> WindowReport
    {
        var commit: SinkCommit?
        if let ms = commitMillis {
            commit = SinkCommit(instant: "20261207120000000")
            commit!.durationMillis = ms
            commit!.attempts = attempts
        }
        var r = WindowReport(
            commit: commit, recordsIn: records, upserts: records - errors, deletes: 0, errors: errors, errorLog: nil,
            checkpoint: nil, maxLatencyMillis: 0, meanLatencyMillis: 0)
        r.stream = StreamWindow(
            records: records, bytes: bytes, errors: errors, arrivals: [1000, 1100, 1200, 1900], lagMillis: lag,
            now: 2000)
        return r
    }

    @Test func countersGaugesAndTheHistogramAddUp() {
        let m = StreamMetrics()
        #expect(m.exposition().contains("lake_stream_records_total 0\n"))
        m.record(
            Self.window(records: 100, bytes: 4000, errors: 2, commitMillis: 40, lag: ["s-1": 250, "s-2": 0]),
            nowMillis: 1_700_000_000_000)
        m.record(
            Self.window(records: 50, bytes: 1000, errors: 0, commitMillis: 700, attempts: 3, lag: ["s-1": 10]),
            nowMillis: 1_700_000_001_500)
        let text = m.exposition()
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "# TYPE lake_stream_records_total counter", "lake_stream_records_total 150",
            "lake_stream_bytes_total 5000", "lake_stream_refused_records_total 2", "lake_stream_commits_total 2",
            "lake_stream_conflicts_total 2",
            "# TYPE lake_stream_iterator_age_milliseconds gauge",
            #"lake_stream_iterator_age_milliseconds{shard="s-1"} 10"#,
            #"lake_stream_iterator_age_milliseconds{shard="s-2"} 0"#,
            "# TYPE lake_stream_commit_duration_seconds histogram",
            #"lake_stream_commit_duration_seconds_bucket{le="0.025"} 0"#,
            #"lake_stream_commit_duration_seconds_bucket{le="0.05"} 1"#,
            #"lake_stream_commit_duration_seconds_bucket{le="0.5"} 1"#,
            #"lake_stream_commit_duration_seconds_bucket{le="1"} 2"#,
            #"lake_stream_commit_duration_seconds_bucket{le="+Inf"} 2"#,
            "lake_stream_commit_duration_seconds_sum 0.74", "lake_stream_commit_duration_seconds_count 2",
            // Arrivals 1000, 1100, 1200, 1900 committed at 2000: latencies 100, 800, 900, 1000.
            #"lake_stream_ingest_to_commit_milliseconds{quantile="0.5"} 800"#,
            #"lake_stream_ingest_to_commit_milliseconds{quantile="1"} 1000"#,
            "lake_stream_last_commit_timestamp_seconds 1700000001.5",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in\n\(text)")
        }
    }

    @Test func labelValuesAndHelpAreEscaped() {
        var t = PrometheusText()
        t.family("x", type: .gauge, help: "a \\ b\nc")
        t.sample("x", labels: [("shard", "a\"b\\c\nd")], value: .infinity)
        t.sample("x", value: 0.25)
        #expect(t.output == "# HELP x a \\\\ b\\nc\n# TYPE x gauge\nx{shard=\"a\\\"b\\\\c\\nd\"} +Inf\nx 0.25\n")
    }
}
