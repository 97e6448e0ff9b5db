import Foundation
import Testing
@testable import LakeIngest
import LakeTestSupport

/// Damaged and hostile input never crashes or hangs: every line becomes a row or a refused
/// record, and the batch stays consistent.
@Suite struct HostileInputTests {
    static func lines() throws -> [String] {
        try (Fixtures.lines("dynamodb-streams.jsonl") + Fixtures.lines("kinesis-wrapped.jsonl")).split(separator: "\n")
            .map(String.init)
    }

    @Test func mutatedRecords() throws {
        var rng = SplitMix(seed: 11)
        let base = try Self.lines()
        let mappings: [IngestMapping] = [.inferred, try IngestMapping.load(path: FixtureRecordTests.mappingPath)]
        for round in 0..<300 {
            var text: [String] = []
            for _ in 0..<8 {
                var bytes = Array(base[Int.random(in: 0..<base.count, using: &rng)].utf8)
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    guard !bytes.isEmpty else { break }
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<5, using: &rng) {
                    case 0: bytes[i] = UInt8.random(in: 0x20...0x7E, using: &rng)
                    case 1: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...30, using: &rng)))
                    case 2: bytes.insert(contentsOf: Array(#"{"M":{"x":"#.utf8), at: i)
                    case 3: bytes[i] = UInt8.random(in: 0x80...0xFF, using: &rng)
                    default: bytes.insert(contentsOf: Array(#""N":"9e99999","#.utf8), at: i)
                    }
                }
                text.append(String(decoding: bytes.filter { $0 != 0x0A }, as: UTF8.self))
            }
            let m = mappings[round % 2]
            let b = try ChangeBatchBuilder(
                mapping: m, tableSchema: nil, keyFields: ["item", "price"], onError: .quarantine)
            let input = SourceChunk(bytes: Array(text.joined(separator: "\n").utf8), file: "fuzz")
            let outcome = Result { () throws(LakeError) -> ChangeBatch in
                try b.append(input)
                return try b.finish()
            }
            switch outcome {
            case .success(let batch):
                #expect(batch.rowCount + batch.issues.count == batch.recordsIn)
                for c in batch.batch.columns { #expect(c.count == batch.rowCount) }
            case .failure(let e):
                // Only a stream-level refusal may stop the batch.
                #expect(e.code == .unsupported, "\(e.message)")
            }
        }
    }

    @Test func deepNestingIsRefused() throws {
        let depth = 5000
        let nested =
            String(repeating: #"{"M":{"a":"#, count: depth) + #"{"S":"x"}"# + String(repeating: "}}", count: depth)
        let rec =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"},"deep":\#(nested)}}}"#
        let b = try decode(rec)
        #expect(b.rowCount == 0)
        #expect(
            b.issues.first?.reason.contains("nested deeper") == true
                || b.issues.first?.reason.contains("nesting deeper") == true,
            "\(b.issues.first?.reason ?? "")")
        let list = String(repeating: #"{"L":["#, count: depth) + #"{"N":"1"}"# + String(repeating: "]}", count: depth)
        let rec2 = rec.replacingOccurrences(of: nested, with: list)
        #expect(try decode(rec2).issues.count == 1)
        var m = try AttributeTypeTests.mapping("json")
        m.columns[1] = MappedColumn(source: .image(.newImage, [.init("deep")]), target: "deep", targetType: .json)
        #expect(try decode(rec, mapping: m).issues.count == 1)
    }

    /// Maps nested deeper than Hudi readers read are refused per record, and a refused record
    /// types no column: the next record's `deep` is a string column.
    @Test func aRefusedRecordTypesNoColumn() throws {
        func rec(_ id: String, _ deep: String) -> String {
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{"id":{"S":"\#(id)"}},"#
                + #""NewImage":{"id":{"S":"\#(id)"},"deep":\#(deep)}}}"#
        }
        func nested(_ depth: Int) -> String {
            String(repeating: #"{"M":{"a":"#, count: depth) + #"{"S":"x"}"# + String(repeating: "}}", count: depth)
        }
        let b = try decode([rec("a", nested(31)), rec("b", nested(0)), rec("c", nested(30))].joined(separator: "\n"))
        #expect(b.issues.map(\.position.line) == [1, 3], "\(b.issues.map(\.reason))")
        #expect(b.issues.first?.reason.contains("deeper than 30 levels") == true, "\(b.issues.first?.reason ?? "")")
        #expect(b.rowCount == 1)
        let deep = b.batch.schema.fields.first { $0.name == "deep" }
        #expect(deep?.isPrimitive == true && deep?.physicalType == .byteArray, "\(String(describing: deep))")
        // 30 levels alone are accepted.
        #expect(try decode(rec("c", nested(30))).rowCount == 1)
    }

    @Test func hugeNumbersAndTimes() throws {
        let rec =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":9e999,"Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"},"n":{"N":"1e999999"}}}}"#
        let b = try decode(rec)
        #expect(b.issues.first?.reason.contains("out of range") == true, "\(b.issues)")
        let t =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"},"n":{"N":"1e999999"}}}}"#
        let m = try AttributeTypeTests.mapping("timestamp_nanos", source: "dynamodb.NewImage.v")
        let r = try decode(t.replacingOccurrences(of: #""id":{"S":"a"},"n""#, with: #""k":{"S":"1"},"v""#), mapping: m)
        #expect(r.issues.count == 1 && r.rowCount == 0, "\(r.issues) \(r.batch.columns)")
        // Inferred: a number too large for double is refused, not infinite.
        let inf = try decode(t)
        #expect(inf.issues.first?.reason.contains("is not a number") == true, "\(inf.issues)")
    }
}
