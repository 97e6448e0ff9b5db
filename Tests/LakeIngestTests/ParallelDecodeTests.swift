import Foundation
import Testing
@testable import LakeIngest

/// Large chunks are decoded on both cores (``ChangeBatchBuilder/parallelChunkBytes``): the
/// result must be exactly what decoding line by line gives — rows in input order, refused
/// records with their positions, the first error under `--on-error fail`.
@Suite struct ParallelDecodeTests {
    static let mapping: IngestMapping = {
        var m = IngestMapping(
            columns: [
                MappedColumn(source: .image(.newImage, [.init("id", .s)]), target: "id", targetType: .string),
                MappedColumn(
                    source: .image(.newImage, [.init("custName", .s)]), target: "custName", targetType: .string),
                MappedColumn(source: .image(.newImage, [.init("visits", .n)]), target: "visits", targetType: .int64),
            ], table: TableSettings(recordKey: ["id"]))
        m.derived = [
            DerivedColumn(
                target: "pk", expression: .call("substr", [.column("id"), .literal(.int(-1)), .literal(.int(1))]))
        ]
        return m
    }()

    /// The generated customer stream with a bad record every `badEvery` lines and a blank line
    /// now and then.
    static func text(badEvery: Int, records: Int = 6000) -> String {
        let stream = CustomerStream(count: records, keys: 800, seed: 5, wide: true)
        var lines: [String] = []
        for (i, l) in stream.lines.enumerated() {
            lines.append(l)
            if i % badEvery == badEvery - 1 { lines.append(#"{"eventName":"INSERT","dynamodb":{"#) }
            if i % 997 == 0 { lines.append("   ") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Decodes `text` as one chunk, or as chunks of at most `chunkLines` lines.
    static func decode(_ text: String, chunkLines: Int?, onError: ErrorPolicy = .quarantine) throws -> ChangeBatch {
        let b = try ChangeBatchBuilder(mapping: mapping, tableSchema: nil, keyFields: [], onError: onError)
        let bytes = Array(text.utf8)
        guard let n = chunkLines else {
            try b.append(SourceChunk(bytes: bytes, file: "in.jsonl"))
            return try b.finish()
        }
        var start = 0, line = 1
        while start < bytes.count {
            var end = start, taken = 0
            while end < bytes.count && taken < n {
                if bytes[end] == 0x0A { taken += 1 }
                end += 1
            }
            try b.append(
                SourceChunk(
                    bytes: Array(bytes[start..<end]), file: "in.jsonl", startOffset: Int64(start), firstLine: line))
            line += taken
            start = end
        }
        return try b.finish()
    }

    @Test func oneLargeChunkDecodesLikeSmallOnes() throws {
        let text = Self.text(badEvery: 211)
        #expect(text.utf8.count > 4 * ChangeBatchBuilder.parallelChunkBytes)
        let whole = try Self.decode(text, chunkLines: nil)
        let small = try Self.decode(text, chunkLines: 50)  // every chunk below the parallel size
        #expect(whole.recordsIn == small.recordsIn && whole.upserts == small.upserts && whole.deletes == small.deletes)
        #expect(whole.batch.rowCount == small.batch.rowCount && whole.batch.rowCount > 5000)
        #expect(try jsonRows(whole.batch) == jsonRows(small.batch))
        #expect(whole.issues.count == small.issues.count && whole.issues.count > 20)
        for (a, b) in zip(whole.issues, small.issues) {
            #expect(a.position == b.position && a.reason == b.reason && a.line == b.line)
        }
        #expect(whole.end == small.end)
    }

    @Test func theFirstBadRecordFailsTheBatchWhicheverHalfItIsIn() throws {
        let clean = Self.text(badEvery: .max)
        var lines = clean.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let late = lines.count * 3 / 4, early = lines.count / 4
        lines[late] = "not json"
        for (text, line) in [(lines.joined(separator: "\n"), late + 1)] + [
            {
                var both = lines
                both[early] = #"{"eventName":"UPSERT","dynamodb":{}}"#
                return (both.joined(separator: "\n"), early + 1)
            }()
        ] {
            #expect(text.utf8.count > 2 * ChangeBatchBuilder.parallelChunkBytes)
            do {
                _ = try Self.decode(text, chunkLines: nil, onError: .fail)
                Issue.record("a bad record was accepted")
            } catch let error as LakeError {
                #expect(error.code == .invalidInput)
                #expect(error.message.hasPrefix("in.jsonl:\(line): "), "\(error.message)")
            }
        }
    }
}
