import Foundation
import Testing
@testable import LakeIngest
import LakeTestSupport

/// Bad input: quarantined with its position and reason (default), or failing the batch.
@Suite struct ErrorPolicyTests {
    static let good =
        #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1700000000,"Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"},"d":{"S":"2024-01-01"}},"SequenceNumber":"1"}}"#

    static let mapping: IngestMapping = {
        var m = IngestMapping(
            columns: [
                MappedColumn(source: .image(.newImage, [.init("id", .s)]), target: "id", targetType: .string),
                MappedColumn(source: .image(.newImage, [.init("d", .s)]), target: "d", targetType: .string),
            ], table: TableSettings(recordKey: ["id"]))
        m.derived = [DerivedColumn(target: "day", expression: .call("to_date", [.column("d")]))]
        return m
    }()

    static let bad: [(String, String)] = [
        (#"{"eventName":"INSERT","dynamodb":{"#, "expected"),
        ("not json at all", "expected"),
        (
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{},"NewImage":{"d":{"S":"x"}}}} trailing"#,
            "after the JSON value"
        ),
        (
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{},"NewImage":{"d":{"S":"2024-01-01"}}}}"#,
            "no value for the key column 'id'"
        ),
        (
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"NewImage":{"id":{"NULL":true}}}}"#,
            "no value for the key column 'id'"
        ),
        (
            #"{"eventName":"UPSERT","dynamodb":{"ApproximateCreationDateTime":1,"NewImage":{"id":{"S":"b"}}}}"#,
            "eventName 'UPSERT' is not INSERT, MODIFY or REMOVE"
        ),
        (#"{"dynamodb":{"ApproximateCreationDateTime":1,"NewImage":{"id":{"S":"b"}}}}"#, "the record has no eventName"),
        (
            #"{"eventName":"INSERT","dynamodb":{"NewImage":{"id":{"S":"b"}}}}"#,
            "no dynamodb.ApproximateCreationDateTime"
        ),
        (
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":"soon","NewImage":{"id":{"S":"b"}}}}"#,
            "is not a time"
        ),
        (
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"NewImage":{"id":{"S":"b"}},"SequenceNumber":"12x"}}"#,
            "SequenceNumber '12x'"
        ),
        (
            #"{"eventName":"MODIFY","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{"id":{"S":"b"}},"StreamViewType":"NEW_AND_OLD_IMAGES"}}"#,
            "the MODIFY record has no NewImage"
        ),
        (#"{"eventName":"REMOVE","dynamodb":{"ApproximateCreationDateTime":1}}"#, "neither Keys nor OldImage"),
        (
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"NewImage":{"id":{"S":"b"},"id":{"S":"c"}}}}"#,
            "attribute 'id' appears twice"
        ),
        (
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"NewImage":{"id":{"S":"b"},"d":{"S":"no date"}}}}"#,
            "to_date: 'no date' is not a date"
        ),
        (
            "{\"eventName\":\"INSERT\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,\"NewImage\":{\"id\":{\"S\":\"\u{01}\"}}}}",
            "unescaped control character"
        ),
    ]

    @Test func quarantineKeepsGoing() throws {
        var lines = [Self.good]
        for (l, _) in Self.bad {
            lines.append(l);
            lines.append(Self.good.replacingOccurrences(of: #""S":"a""#, with: #""S":"g\#(lines.count)""#))
        }
        let text = lines.joined(separator: "\r\n") + "\n\n   \n"
        let b = try decode(text, mapping: Self.mapping, file: "in.jsonl")
        #expect(b.recordsIn == 1 + 2 * Self.bad.count)
        #expect(b.rowCount == 1 + Self.bad.count)
        #expect(b.upserts == b.rowCount && b.deletes == 0)
        #expect(b.issues.count == Self.bad.count)
        var offset = Int64(Self.good.utf8.count + 2)
        for (k, issue) in b.issues.enumerated() {
            #expect(issue.position.line == 2 + 2 * k)
            #expect(issue.position.file == "in.jsonl")
            #expect(issue.position.offset == offset)
            #expect(issue.reason.contains(Self.bad[k].1), "line \(issue.position.line): \(issue.reason)")
            #expect(String(decoding: issue.line, as: UTF8.self) == Self.bad[k].0)
            offset += Int64(Self.bad[k].0.utf8.count + 2 + lines[2 + 2 * k].utf8.count + 2)
        }
        // The good rows are all there, in order.
        #expect(try jsonRows(b.batch, columns: ["id"]).first == #"{"id":"a"}"#)
        #expect(try jsonRows(b.batch, columns: ["day"]).allSatisfy { $0 == #"{"day":"2024-01-01"}"# })
    }

    @Test func failStopsAtTheFirstBadRecord() throws {
        for (k, (line, reason)) in Self.bad.enumerated() {
            let text = Self.good + "\n" + line + "\n" + Self.good + "\n"
            do {
                _ = try decode(text, mapping: Self.mapping, onError: .fail, file: "f.jsonl")
                Issue.record("bad record \(k) accepted")
            } catch let error as LakeError {
                #expect(error.code == .invalidInput)
                #expect(error.message.hasPrefix("f.jsonl:2: "), "\(error.message)")
                #expect(error.message.contains(reason), "\(error.message)")
            }
        }
    }

    /// A stream without new images cannot be upserted from: that stops regardless of the policy.
    @Test(arguments: ["KEYS_ONLY", "OLD_IMAGE"])
    func keysOnlyStreamsAreRefused(_ view: String) throws {
        let modify =
            #"{"eventName":"MODIFY","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{"id":{"S":"b"}},"StreamViewType":"\#(view)"}}"#
        for policy in ErrorPolicy.allCases {
            do {
                _ = try decode(Self.good + "\n" + modify, mapping: Self.mapping, onError: policy)
                Issue.record("accepted a \(view) MODIFY")
            } catch let error as LakeError {
                #expect(error.code == .unsupported)
                #expect(
                    error.message.contains("view type is \(view)") && error.message.contains("NEW_AND_OLD_IMAGES"),
                    "\(error.message)")
            }
        }
        // Deletes from such a stream are fine.
        let remove =
            #"{"eventName":"REMOVE","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{"id":{"S":"b"}},"StreamViewType":"\#(view)"}}"#
        let b = try decode(remove, mapping: Self.mapping)
        #expect(b.deletes == 1 && b.issues.isEmpty)
    }

    /// The error log through the pipeline: one JSON line per refused record, named after the
    /// batch's first position, recorded in the commit.
    @Test func errorLogBesideTheTable() throws {
        let dir = TemporaryDirectory()
        let input = Self.good + "\n" + Self.bad[3].0 + "\n" + Self.bad[0].0 + "\n"
        try dir.write("in.jsonl", input)
        let sink = MemorySink()
        sink.errorDirectory = dir.path + "/errors"
        var options = PipelineOptions()
        options.resume = false
        let p = MicroBatchPipeline(
            source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, mapping: Self.mapping, options: options)
        let summary = try p.run()
        #expect(summary.windows.count == 1 && summary.errors == 2 && summary.recordsIn == 3)
        let log = try #require(summary.windows[0].errorLog)
        #expect(log == dir.path + "/errors/in.jsonl@0.jsonl")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let entries = try text.split(separator: "\n").map { try JSONParser().parse(String($0)) }
        #expect(entries.count == 2)
        #expect(entries[0]["line"]?.numberValue?.int64 == 2)
        #expect(entries[0]["offset"]?.numberValue?.int64 == Int64(Self.good.utf8.count + 1))
        #expect(entries[0]["reason"]?.stringValue?.contains("key column 'id'") == true)
        #expect(entries[0]["record"]?.stringValue == Self.bad[3].0)
        #expect(entries[1]["file"]?.stringValue == dir.path + "/in.jsonl")
        #expect(sink.commits[0].extra["lake.ingest.errors"] == "2")
        #expect(sink.commits[0].extra["lake.ingest.errorLog"] == ".hoodie/lake/errors/in.jsonl@0.jsonl")
        // With fail, nothing is committed and no log is written.
        let sink2 = MemorySink()
        sink2.errorDirectory = dir.path + "/errors2"
        options.onError = .fail
        let p2 = MicroBatchPipeline(
            source: .file(dir.path + "/in.jsonl", follow: false), sink: sink2, mapping: Self.mapping, options: options)
        #expect(throws: LakeError.self) { try p2.run() }
        #expect(sink2.commits.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/errors2"))
    }
}
