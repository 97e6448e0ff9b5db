import Foundation
import LakeCore
import Testing
@testable import LakeIngest

/// The pipeline with a source that is not a file: shards read concurrently, positions the
/// pipeline never looks into, resumed exactly once across restarts.
@Suite struct ShardedSourceTests {
    /// `count` shards of `perShard` records each, in the Kinesis shape (milliseconds, no
    /// SequenceNumber); shard sequence numbers are 56-digit decimals, as Kinesis gives them.
    static func shards(count: Int, perShard: Int) -> [(id: String, records: [ShardedMemorySource.Record])] {
        (0..<count).map { s in
            let records = (0..<perShard).map { i in
                let sequence =
                    "4959033827149025660855969253836157109592157598913\(String(format: "%07d", s * 100_000 + i))"
                let id = "s\(s)-\(i)"
                let line =
                    #"{"eventName":"INSERT","tableName":"orders","recordFormat":"application/json","dynamodb":{"ApproximateCreationDateTime":\#(1_700_000_000_000 + Int64(i) * 10 + Int64(s)),"Keys":{"id":{"S":"\#(id)"}},"NewImage":{"id":{"S":"\#(id)"},"shard":{"N":"\#(s)"}}}}"#
                return ShardedMemorySource.Record(sequence: sequence, line: line)
            }
            return (id: "shardId-00000000000\(s)", records: records)
        }
    }

    final class Crashes: @unchecked Sendable {
        var pending: Set<Int>
        init(_ at: Set<Int>) { pending = at }
    }

    @Test func checkpointsAndResumesExactlyOnceAcrossRestarts() throws {
        let shards = Self.shards(count: 3, perShard: 40)
        let sink = MemorySink()
        // The process dies before its 2nd and 5th commits (the window is lost, as with SIGKILL).
        let crashes = Crashes([1, 4])
        sink.failBeforeCommit = { n in crashes.pending.remove(n) != nil }
        var options = PipelineOptions()
        options.maxRecords = 17
        var runs = 0
        while runs < 10 {
            runs += 1
            // A restart: a new source, resumed from the newest checkpoint of this stream.
            let source = ShardedMemorySource(stream: "orders-stream", shards: shards)
            let before = sink.commits.count
            do {
                let pipeline = MicroBatchPipeline(source: .standardInput, sink: sink, options: options)
                let summary = try pipeline.run(source)
                #expect(summary.resumedFrom?.json == sink.commits[before - 1].extra[Checkpoint.key])
                break
            } catch {
                #expect(error.code == .io, "\(error)")
            }
        }
        #expect(runs == 3)
        // Every record exactly once.
        var ids: [String] = []
        for c in sink.commits { ids += try jsonRows(c.batch.batch, columns: ["id"]) }
        let want = shards.flatMap { s in
            s.records.indices.map { #"{"id":"s\#(shards.firstIndex { $0.id == s.id }!)-\#($0)"}"# }
        }
        #expect(ids.count == want.count && Set(ids) == Set(want))
        // Each commit holds the source's own position: a sequence number per shard, past every
        // record committed so far; the restarted run resumed from the last committed one.
        var committed = 0
        for c in sink.commits {
            let cp = try Checkpoint(json: try #require(c.extra[Checkpoint.key]))
            #expect(cp.source == "memory-shards" && cp.path == "orders-stream" && FilePosition(cp) == nil)
            guard case .object(let positions)? = cp["shards"] else { Issue.record("no shard positions"); continue }
            committed += c.batch.rowCount
            let covered = positions.reduce(0) { n, m in
                n
                    + shards.first { $0.id == m.key }!.records.filter {
                        !ShardedMemorySource.isAfter($0.sequence, m.value.stringValue!)
                    }.count
            }
            #expect(covered == committed)
        }
        // Per shard, records are committed in sequence order.
        let orders = try sink.commits.flatMap { try jsonRows($0.batch.batch, columns: ["id"]) }
        for s in 0..<shards.count {
            let mine = orders.filter { $0.hasPrefix(#"{"id":"s\#(s)-"#) }
            #expect(mine == shards[s].records.indices.map { #"{"id":"s\#(s)-\#($0)"}"# })
        }
    }
}
