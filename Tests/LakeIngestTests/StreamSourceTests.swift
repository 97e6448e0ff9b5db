import Foundation
import LakeAWS
import LakeCore
import LakeTestSupport
import Testing
@testable import LakeIngest

/// ``StreamSource`` through the pipeline: shards read concurrently, children after their parents,
/// exactly once across crashes (moto's Kinesis); retention and throttling (an in-memory stream).
@Suite(.serialized) struct StreamSourceTests {
    /// Runs a pipeline on `source` until the sink holds `rows` rows (or 60 s pass), then stops it.
    @discardableResult
    static func run(
        _ source: StreamSource, into sink: MemorySink, until rows: Int,
        options: PipelineOptions
    ) throws(LakeError) -> PipelineSummary {
        let stop = StopSignal()
        nonisolated(unsafe) let watched = sink  // MemorySink locks its commits
        let watcher = Thread {
            let deadline = Date(timeIntervalSinceNow: 60)
            while !stop.isRequested {
                if watched.commits.reduce(0, { $0 + $1.batch.rowCount }) >= rows || Date() > deadline { stop.request() }
                usleep(20_000)
            }
        }
        watcher.start()
        defer {
            stop.request()
            source.close()
        }
        let pipeline = MicroBatchPipeline(source: .standardInput, sink: sink, options: options, stop: stop)
        return try pipeline.run(source)
    }

    static func ids(_ sink: MemorySink) throws -> [String] {
        try sink.commits.flatMap { try jsonRows($0.batch.batch, columns: ["id"]) }
            .map { try #require(JSONValue(parsing: $0)["id"]?.stringValue) }
    }

    /// moto keeps routing records to a split shard (it never reaches the children), so records put
    /// after the split go to the other shard; the split parent must still be read to its end.
    @Test func kinesisShardsSplitAndCrashesAreReadExactlyOnce() throws {
        let moto = try LocalMotoServer()
        defer { moto.shutdown() }
        let aws = AWSClient(configuration: try AWSConfiguration.resolve(environment: moto.environment))
        _ = try aws.call(
            .kinesis, target: "Kinesis_20131202.CreateStream",
            body: Array(#"{"StreamName":"changes","ShardCount":2}"#.utf8), safety: .notRepeatable)
        let lowHalf = "1", highHalf = "170141183460469231731687303715884105729"
        func put(_ id: String, _ hash: String) throws {
            let line =
                #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1796666400000,"Keys":{"id":{"S":"\#(id)"}},"NewImage":{"id":{"S":"\#(id)"}}}}"#
            _ = try StreamWrapperTests.put(aws, stream: "changes", line: line, hashKey: hash)
        }
        for i in 0..<20 { try put("p\(i)", lowHalf); try put("o\(i)", highHalf) }
        _ = try aws.call(
            .kinesis, target: "Kinesis_20131202.SplitShard",
            body: Array(
                #"{"StreamName":"changes","ShardToSplit":"shardId-000000000000","NewStartingHashKey":"85070591730234615865843651857942052864"}"#
                    .utf8),
            safety: .notRepeatable)
        for i in 0..<25 { try put("o\(20 + i)", highHalf) }
        let total = 40 + 25

        let sink = MemorySink()
        let crashes = ShardedSourceTests.Crashes([1, 4])
        sink.failBeforeCommit = { n in crashes.pending.remove(n) != nil }
        var options = PipelineOptions()
        options.maxRecords = 9
        options.windowMillis = 300
        var runs = 0
        while runs < 10 {
            runs += 1
            let source = StreamSource(try KinesisStream(aws, name: "changes"))
            do {
                try Self.run(source, into: sink, until: total, options: options)
                break
            } catch {
                #expect(error.code == .io && error.message.contains("simulated crash"), "\(error)")
            }
        }
        #expect(runs == 3)
        let ids = try Self.ids(sink)
        #expect(ids.count == total)
        #expect(Set(ids).count == total)
        // Per shard in sequence order.
        for prefix in ["p", "o"] {
            let mine = ids.filter { $0.hasPrefix(prefix) }
            #expect(mine == mine.sorted { Int($0.dropFirst())! < Int($1.dropFirst())! })
        }
        // The last checkpoint: a sequence number per shard read, in the stream's own terms.
        let cp = try Checkpoint(json: try #require(sink.commits.last?.extra[Checkpoint.key]))
        #expect(cp.source == "kinesis" && cp.path == "arn:aws:kinesis:us-east-1:123456789012:stream/changes")
        guard case .object(let positions)? = cp["shards"] else { Issue.record("no shard positions"); return }
        #expect(Set(positions.map(\.key)).isSubset(of: ["shardId-000000000000", "shardId-000000000001"]))
        #expect(cp["from"] == .string("trim-horizon"))
    }

    @Test func childShardsAreReadOnlyAfterTheirParentsAreDrained() throws {
        // A split parent (closed) and its two children, and an unrelated shard; every shard
        // holds records from the start, so only the source's ordering keeps the children waiting.
        let stream = MemoryShardedStream(shards: [
            Self.memoryShard("parent", 0..<30, arrival: Self.base, closed: true),
            Self.memoryShard("left", 100..<120, arrival: Self.base + 100, parent: "parent"),
            Self.memoryShard("right", 200..<220, arrival: Self.base + 200, parent: "parent"),
            Self.memoryShard("other", 300..<310, arrival: Self.base),
        ])
        let sink = MemorySink()
        var options = PipelineOptions()
        options.maxRecords = 7
        options.windowMillis = 100
        let summary = try Self.run(StreamSource(stream), into: sink, until: 80, options: options)
        let ids = try Self.ids(sink)
        // Each window reports its stream statistics, and its commit stores them.
        #expect(summary.windows.allSatisfy { $0.stream?.records == $0.recordsIn && $0.stream!.bytes > 0 })
        #expect(
            summary.windows.allSatisfy { w in
                w.stream.map { $0.latencyP50 <= $0.latencyP99 && $0.latencyP99 <= $0.latencyMax } ?? false
            })
        for c in sink.commits {
            #expect(c.extra["lake.stream.bytes"] != nil && c.extra["lake.stream.lagMillis"]?.hasPrefix("{") == true)
            #expect(c.extra["lake.stream.latencyToCommitStartMillis"]?.contains("\"p99\":") == true)
        }
        #expect(ids.count == 80 && Set(ids).count == 80)
        let lastParent = try #require(ids.lastIndex { $0.hasPrefix("parent-") })
        let firstChild = try #require(ids.firstIndex { $0.hasPrefix("left-") || $0.hasPrefix("right-") })
        #expect(lastParent < firstChild)
        for prefix in ["parent-", "left-", "right-", "other-"] {
            let mine = ids.filter { $0.hasPrefix(prefix) }
            #expect(mine == mine.sorted { Int($0.dropFirst(prefix.count))! < Int($1.dropFirst(prefix.count))! })
        }
        let cp = try Checkpoint(json: try #require(sink.commits.last?.extra[Checkpoint.key]))
        #expect(cp["drained"] == .array([.string("parent")]))
        guard case .object(let positions)? = cp["shards"] else { Issue.record("no shard positions"); return }
        #expect(
            Dictionary(uniqueKeysWithValues: positions.map { ($0.key, $0.value.stringValue!) })
                == ["left": "119", "right": "219", "other": "309"])
    }

    static func memoryShard(
        _ id: String, _ range: Range<Int>, arrival: Int64, closed: Bool = false,
        parent: String? = nil
    ) -> (StreamShard, [MemoryShardedStream.Record]) {
        (
            StreamShard(id: id, parentID: parent, endingSequence: closed ? "999" : nil),
            range.map {
                MemoryShardedStream.Record(
                    sequence: $0, arrival: arrival + Int64($0),
                    line: MemoryShardedStream.line("\(id)-\($0)", shard: id, arrival: arrival + Int64($0)))
            }
        )
    }

    static let base: Int64 = 1_796_666_400_000

    static func checkpoint(_ shard: String, _ seq: String, arrived: Int64) -> Checkpoint {
        Checkpoint(
            source: "memory-stream", path: "arn:memory:stream/test",
            position: [
                JSONMember("shards", .object([JSONMember(shard, .string(seq))])),
                JSONMember("arrived", .object([JSONMember(shard, .number(JSONNumber(arrived)))])),
            ])
    }

    @Test func aCheckpointPastRetentionStopsSayingHowManyHoursAreMissing() throws {
        // The checkpoint's record (5) arrived at `base`; the shard now starts at 10, which arrived
        // 30.5 hours later: the records between were trimmed unread.
        let later = Self.base + 30 * 3_600_000 + 1_800_000
        let stream = MemoryShardedStream(shards: [Self.memoryShard("s0", 10..<20, arrival: later - 10)])
        let source = StreamSource(stream)
        defer { source.close() }
        try source.resume(from: Self.checkpoint("s0", "5", arrived: Self.base))
        let error = #expect(throws: LakeError.self) { try source.read(maxBytes: 1 << 20, maxLines: 100) }
        #expect(error?.code == .outsideRetention)
        #expect(
            error?.message.contains("memory://test shard s0: the table's checkpoint is at sequence number 5") == true)
        #expect(error?.message.contains("30.5 hours of changes are missing") == true, "\(String(describing: error))")
        #expect(error?.message.contains("--accept-data-loss") == true)

        // Accepted: a warning, then the oldest record the shard holds.
        var options = StreamSourceOptions()
        options.acceptDataLoss = true
        let accepting = StreamSource(stream, options: options)
        defer { accepting.close() }
        let warnings = LockedStrings()
        accepting.onWarning = { warnings.append($0) }
        try accepting.resume(from: Self.checkpoint("s0", "5", arrived: Self.base))
        let chunk = try Self.firstChunk(accepting)
        #expect(chunk.file == "memory://test s0 from sequence 10")
        #expect(warnings.values.count == 1 && warnings.values[0].contains("30.5 hours"))
    }

    @Test func aRetainedCheckpointResumesAfterItsRecord() throws {
        let stream = MemoryShardedStream(shards: [Self.memoryShard("s0", 0..<20, arrival: Self.base)])
        let source = StreamSource(stream)
        defer { source.close() }
        try source.resume(from: Self.checkpoint("s0", "5", arrived: Self.base + 5))
        let chunk = try Self.firstChunk(source)
        #expect(chunk.file == "memory://test s0 from sequence 6")
    }

    static func firstChunk(_ source: StreamSource) throws -> SourceChunk {
        for _ in 0..<500 {
            if case .chunk(let c) = try source.read(maxBytes: 1 << 20, maxLines: 1000) { return c }
            usleep(10_000)
        }
        throw LakeError(.io, "no chunk within 5 s")
    }

    @Test func aThrottledShardDoesNotHoldBackTheOthersWindows() throws {
        let stream = MemoryShardedStream(shards: [
            Self.memoryShard("a", 0..<5, arrival: Self.base),
            Self.memoryShard("b", 0..<5, arrival: Self.base),
        ])
        stream.throttleCalls["a"] = 6
        var streamOptions = StreamSourceOptions()
        streamOptions.maxBackoffMillis = 400
        let source = StreamSource(stream, options: streamOptions)
        let sink = MemorySink()
        var options = PipelineOptions()
        options.windowMillis = 100
        try Self.run(source, into: sink, until: 10, options: options)
        let ids = try Self.ids(sink)
        #expect(Set(ids).count == 10 && ids.count == 10)
        #expect(stream.throttled == 6)
        // While shard a was throttled, windows of shard b's records closed and committed.
        let first = try jsonRows(try #require(sink.commits.first).batch.batch, columns: ["id"])
        #expect(first.allSatisfy { $0.contains("b-") }, "\(first)")
    }
}

final class LockedStrings: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ s: String) { lock.lock(); stored.append(s); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
