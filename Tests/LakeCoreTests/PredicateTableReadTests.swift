import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// Reads of a partitioned table with a predicate (partition pruning, row-group skipping, exact
/// filtering) return exactly the rows of the full snapshot the predicate keeps.
@Suite struct PredicateTableReadTests {
    static let first = ParquetSchema([
        .string("id", nullable: false), .int64("ts"), .string("region"), .date("day"),
        .decimal("amount", precision: 9, scale: 2), .double("score"), .int32("qty"),
    ])
    /// The second write widens `qty` to DOUBLE and adds `extra`. (Its decimal is already in the
    /// table's FIXED storage: the engine refuses INT32 decimals once the table holds FIXED ones.)
    static let second = ParquetSchema([
        .string("id", nullable: false), .int64("ts"), .string("region"), .date("day"),
        .decimal("amount", precision: 9, scale: 2, physical: .fixedLenByteArray), .double("score"), .double("qty"),
        .string("extra"),
    ])

    static let regions: [String?] = ["eu", "us", "", nil, "a/b", "50%", "__HIVE_DEFAULT_PARTITION__"]
    static let scores: [Double] = [0, 1.5, -2, .nan, .infinity, 3]

    static func batch(_ schema: ParquetSchema, ids: Range<Int>) -> RecordBatch {
        let n = ids.count
        let regions = ids.map { Self.regions[$0 % Self.regions.count] }
        let wide = schema.fields.count == 8
        var columns: [Column] = [
            Column(.byteArray(ByteArrayValues(strings: ids.map { "k\($0)" }))),
            Column(.int64(ids.map { Int64($0) })),
            Column(.byteArray(ByteArrayValues(strings: regions.map { $0 ?? "" })), validity: regions.map { $0 != nil }),
            Column(.int32(ids.map { Int32(19_723 + $0 % 3) })),
            wide
                ? Column(
                    .fixedByteArray(
                        FixedByteArrayValues(
                            width: 4,
                            bytes: ids.flatMap { PredicateEvaluationTests.fixed(Int64($0 * 37 % 2000 - 500), width: 4) }
                        )),
                    validity: ids.map { $0 % 11 != 0 })
                : Column(.int32(ids.map { Int32($0 * 37 % 2000 - 500) }), validity: ids.map { $0 % 11 != 0 }),
            Column(.double(ids.map { Self.scores[$0 % Self.scores.count] })),
            wide ? Column(.double(ids.map { Double($0 % 7) / 2 })) : Column(.int32(ids.map { Int32($0 % 5) })),
        ]
        if wide { columns.append(Column(.byteArray(ByteArrayValues(strings: ids.map { "x\($0 % 4)" })))) }
        return RecordBatch(schema: schema, columns: columns, rowCount: n)
    }

    static func ids(_ batches: [RecordBatch]) -> Set<String> {
        var out = Set<String>()
        for b in batches {
            guard case .byteArray(let v)? = b.column(named: "id")?.data else { continue }
            for i in 0..<b.rowCount { out.insert(v.string(at: i)) }
        }
        return out
    }

    @Test(arguments: StorageKind.allCases)
    func predicateReadsEqualFilteredSnapshots(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let config = TableConfig(
            name: "t", recordKeyFields: ["id"], partitionFields: ["region", "day"], precombineField: "ts")
        let table = try Table.create(in: storage.make(dir), config: config)
        _ = try table.write(Self.batch(Self.first, ids: 0..<60), operation: .upsert)
        _ = try table.write(Self.batch(Self.second, ids: 40..<90), operation: .upsert)

        let all = try table.read()
        #expect(Self.ids(all).count == 90)
        let texts = [
            "region = 'eu'", "region = ''", "region IS NULL", "region = 'a/b'", "region = '50%'",
            "region = '__HIVE_DEFAULT_PARTITION__'", "region != 'eu'", "NOT region IN ('eu', 'us')",
            "day >= '2024-01-02'", "day = '2024-01-01' AND amount > 10", "amount < 5.005 OR region IS NULL",
            "amount IS NULL", "score > 1", "score = 'NaN'", "score <= 1.5", "id = 'k5'", "id IN ('k1', 'k77')",
            "ts > 50", "ts >= 10 AND ts < 20.5", "qty > 2.5", "qty = 2", "extra IS NULL",
            "extra = 'x1' OR region = 'us'", "NOT (day = '2024-01-03' OR qty < 1)",
        ]
        for text in texts {
            let p = try Result { () throws(LakeError) -> LakeCore.Predicate in try Predicate(parsing: text) }.get()
            var expected = Set<String>()
            for b in all {
                let keep = try Result { () throws(LakeError) -> [Bool] in try p.evaluate(b) }.get()
                expected.formUnion(Self.ids([b.filter(keep)]))
            }
            let got = try Result { () throws(LakeError) -> [RecordBatch] in try table.read(ReadOptions(predicate: p)) }
                .get()
            #expect(Self.ids(got) == expected, "\(text)")
            #expect(got.reduce(0) { $0 + $1.rowCount } == expected.count, "\(text)")
        }
        let bad = try Result { () throws(LakeError) -> LakeCore.Predicate in try Predicate(parsing: "ts = 'abc'") }
            .get()
        #expect(throws: LakeError.self) { try table.read(ReadOptions(predicate: bad)) }
    }
}
