import Foundation
import Testing
@testable import LakeIngest
import LakeTestSupport

/// A source that replays a script of reads (for window timing with a manual clock).
final class ScriptedSource: ChangeSource {
    enum Step { case lines(String), idle, end, stop(StopSignal) }
    let kind = "scripted"
    let path = "script"
    var steps: [Step]
    var offset: Int64 = 0
    var line = 1
    init(_ steps: [Step]) { self.steps = steps }
    func resume(from checkpoint: Checkpoint) throws(LakeError) {}
    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead {
        guard !steps.isEmpty else { return .end }
        switch steps.removeFirst() {
        case .lines(let t):
            var c = SourceChunk(bytes: Array(t.utf8), file: "script", startOffset: offset, firstLine: line)
            offset = c.endOffset
            line += t.split(separator: "\n").count
            c.end = FilePosition(offset: offset, line: line).checkpoint(source: kind, path: path)
            return .chunk(c)
        case .idle: return .idle
        case .end: return .end
        case .stop(let s):
            s.request()
            return .idle
        }
    }
}

@Suite struct PipelineTests {
    static func records(_ range: Range<Int>) -> String {
        range.map { i in
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":\#(1_700_000_000 + i),"Keys":{"id":{"S":"k\#(i)"}},"NewImage":{"id":{"S":"k\#(i)"},"n":{"N":"\#(i)"}},"SequenceNumber":"\#(i + 1)"}}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test func windowsByRecordCount() throws {
        let dir = TemporaryDirectory()
        let text = Self.records(0..<10)
        try dir.write("in.jsonl", text)
        let sink = MemorySink()
        var o = PipelineOptions()
        o.maxRecords = 3
        let summary = try MicroBatchPipeline(
            source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, options: o
        ).run()
        #expect(sink.commits.map(\.batch.rowCount) == [3, 3, 3, 1])
        #expect(summary.commits == 4 && summary.recordsIn == 10 && summary.stopReason == .endOfInput)
        let lineLengths = text.split(separator: "\n").map { $0.utf8.count + 1 }
        for (k, c) in sink.commits.enumerated() {
            let cp = try Checkpoint(json: try #require(c.extra[Checkpoint.key]))
            let end = min(3 * (k + 1), 10)
            let p = try #require(FilePosition(cp))
            #expect(p.offset == Int64(lineLengths[0..<end].reduce(0, +)))
            #expect(p.line == end + 1)
            #expect(cp.path == dir.path + "/in.jsonl" && cp.source == "file")
        }
    }

    @Test func windowsByBytes() throws {
        let dir = TemporaryDirectory()
        try dir.write("in.jsonl", Self.records(0..<10))
        let sink = MemorySink()
        var o = PipelineOptions()
        o.maxBytes = 400
        o.chunkBytes = 100
        try MicroBatchPipeline(source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, options: o).run()
        #expect(sink.commits.count > 2)
        #expect(sink.commits.map(\.batch.rowCount).reduce(0, +) == 10)
    }

    @Test func windowsByTime() throws {
        let clock = ManualClock()
        let source = ScriptedSource([
            .lines(Self.records(0..<2)), .idle, .lines(Self.records(2..<3)),
            .idle, .idle, .idle, .idle, .idle, .idle, .idle, .idle, .idle, .idle, .idle,
            .lines(Self.records(3..<5)), .end,
        ])
        let sink = MemorySink()
        var o = PipelineOptions()
        o.windowMillis = 1000
        o.pollMillis = 100
        let p = MicroBatchPipeline(source: .standardInput, sink: sink, options: o, clock: clock)
        var reports: [WindowReport] = []
        let summary = try p.run(source) { reports.append($0) }
        #expect(sink.commits.map(\.batch.rowCount) == [3, 2])
        #expect(summary.windows.count == 2)
        #expect(reports[0].maxLatencyMillis >= 1000 && reports[0].upserts == 3 && reports[0].errors == 0)
        #expect(
            reports[0].description.hasPrefix("commit 00000000000000001: 3 records in, 3 upserts, 0 deletes, 0 errors"))
    }

    @Test func stopFinishesTheWindow() throws {
        let stop = StopSignal()
        let source = ScriptedSource([.lines(Self.records(0..<4)), .stop(stop), .lines(Self.records(4..<6))])
        let sink = MemorySink()
        let p = MicroBatchPipeline(source: .standardInput, sink: sink, clock: ManualClock(), stop: stop)
        let summary = try p.run(source)
        #expect(summary.stopReason == .stopRequested)
        #expect(sink.commits.map(\.batch.rowCount) == [4])
    }

    /// A crash between windows (or during a commit) loses nothing and repeats nothing: the
    /// restarted pipeline resumes after the last committed record.
    @Test func resumeAfterCrashes() throws {
        let dir = TemporaryDirectory()
        let stream = CustomerStream(count: 400, keys: 60, seed: 7)
        try dir.write("in.jsonl", stream.text)
        let sink = MemorySink()
        var rng = SplitMix(seed: 99)
        var runs = 0
        var finished = false
        while !finished {
            runs += 1
            #expect(runs < 100)
            let crashAt = sink.commits.count + Int.random(in: 0...3, using: &rng)
            sink.failBeforeCommit = { $0 == crashAt }
            var o = PipelineOptions()
            o.maxRecords = Int.random(in: 1...60, using: &rng)
            let p = MicroBatchPipeline(source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, options: o)
            do {
                let summary = try p.run()
                if runs > 1 { #expect(summary.resumedFrom != nil || sink.commits.count == summary.commits) }
                finished = true
            } catch {
                #expect(error.message.contains("simulated crash"))
            }
        }
        #expect(runs > 1)
        // Every line committed exactly once, in order.
        let all = try decode(stream.text)
        #expect(try sink.committedOrders() == jsonRows(all.batch, columns: [EventOrder.columnName]))
    }

    /// The pipeline's end position, re-read after a restart, is the same checkpoint.
    @Test func checkpointsOfOtherSourcesAreIgnored() throws {
        let dir = TemporaryDirectory()
        try dir.write("a.jsonl", Self.records(0..<3))
        try dir.write("b.jsonl", Self.records(3..<5))
        let sink = MemorySink()
        try MicroBatchPipeline(source: .file(dir.path + "/a.jsonl", follow: false), sink: sink).run()
        let s = try MicroBatchPipeline(source: .file(dir.path + "/b.jsonl", follow: false), sink: sink).run()
        #expect(s.resumedFrom == nil)
        #expect(sink.commits.map(\.batch.rowCount) == [3, 2])
        // Running a again resumes at its end: nothing new.
        let again = try MicroBatchPipeline(source: .file(dir.path + "/a.jsonl", follow: false), sink: sink).run()
        #expect(
            again.resumedFrom.flatMap(FilePosition.init)?.offset == Int64(Self.records(0..<3).utf8.count)
                && again.commits == 0)
        // A one-shot load does not resume.
        var o = PipelineOptions()
        o.resume = false
        let once = try MicroBatchPipeline(source: .file(dir.path + "/a.jsonl", follow: false), sink: sink, options: o)
            .run()
        #expect(once.commits == 1 && once.recordsIn == 3)
    }

    /// A growing file tailed by a running pipeline, stopped from outside.
    @Test func tailingAFileWhileItGrows() throws {
        let dir = TemporaryDirectory()
        try dir.write("in.jsonl", Self.records(0..<5))
        let sink = MemorySink()
        var o = PipelineOptions()
        o.windowMillis = 50
        o.pollMillis = 5
        let p = MicroBatchPipeline(source: .file(dir.path + "/in.jsonl", follow: true), sink: sink, options: o)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<PipelineSummary, LakeError>?
        nonisolated(unsafe) let pipeline = p
        Thread.detachNewThread {
            result = Result { () throws(LakeError) in try pipeline.run() }
            done.signal()
        }
        func waitFor(_ rows: Int) {
            for _ in 0..<400 where sink.commitsSnapshot < rows { usleep(10_000) }
        }
        waitFor(5)
        try dir.append("in.jsonl", Self.records(5..<8))
        waitFor(8)
        p.stop.request()
        done.wait()
        let summary = try #require(try result?.get())
        #expect(summary.stopReason == .stopRequested)
        #expect(sink.commitsSnapshot == 8)
    }
}

extension MemorySink {
    /// Rows committed so far (read from another thread in tests; good enough for polling).
    var commitsSnapshot: Int { commits.reduce(0) { $0 + $1.batch.rowCount } }
}
