import Foundation
import Testing
@testable import LakeIngest

/// Parse throughput, run by hand:
/// `LAKE_INGEST_BENCH=1 swift test -c release --filter LakeIngestTests.ParseBenchmarkTests`
/// Prints MB/s of change records decoded into columns on one core (no assertion on time).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LAKE_INGEST_BENCH"] != nil))
struct ParseBenchmarkTests {
    func measure(_ label: String, _ text: String, mapping: IngestMapping, rounds: Int = 5) throws {
        let bytes = Array(text.utf8)
        var best = Double.infinity
        var bestCPU = Double.infinity
        var rows = 0
        func cpuSeconds() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
        for _ in 0..<rounds {
            let cpuStart = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let b = try ChangeBatchBuilder(mapping: mapping, tableSchema: nil, keyFields: [], onError: .fail)
            var offset = 0
            let chunk = 4 << 20
            while offset < bytes.count {
                var end = min(offset + chunk, bytes.count)
                while end < bytes.count && bytes[end - 1] != 0x0A { end += 1 }
                try b.append(SourceChunk(bytes: Array(bytes[offset..<end]), file: "bench", startOffset: Int64(offset)))
                offset = end
            }
            let batch = try b.finish()
            rows = batch.rowCount
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            bestCPU = min(bestCPU, cpuSeconds() - cpuStart)
        }
        let mb = Double(bytes.count) / 1e6
        print(
            "parse \(label): \(String(format: "%.1f", mb)) MB, \(rows) rows, best \(String(format: "%.3f", best)) s = \(String(format: "%.0f", mb / best)) MB/s wall, \(String(format: "%.0f", mb / bestCPU)) MB/s of thread CPU time, \(String(format: "%.0f", Double(rows) / bestCPU / 1000)) k records/s"
        )
    }

    @Test func customerStream() throws {
        let s = CustomerStream(count: 300_000, keys: 50_000, wide: true)
        let mapping = try IngestMapping.load(path: Fixtures.repositoryRoot + "/samples/customer/mapping.json")
        try measure("customer, seed mapping", s.text, mapping: mapping)
        try measure("customer, inferred", s.text, mapping: .inferred)
    }
}
