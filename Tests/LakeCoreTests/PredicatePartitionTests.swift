import Testing
import PropertyBased
@testable import LakeCore
import LakeTestSupport

@Suite struct PredicatePartitionTests {
    static let schema: [ParquetField] = [
        .string("region"), .int64("year"), .date("day"), .boolean("flag"),
        .decimal("price", precision: 9, scale: 2), .timestamp("ts"), .double("score"), .int64("v"),
        .structure("geo", [.string("country")]),
    ]

    private func might(_ text: String, _ values: [String: String?]) throws -> Bool {
        try Result { () throws(LakeError) -> Predicate in try Predicate(parsing: text) }.get()
            .mightMatch(partitionValues: values, schema: Self.schema)
    }

    @Test func prunesPartitionsThatCannotMatch() throws {
        #expect(try might("region = 'eu'", ["region": "eu"]))
        #expect(try !might("region = 'eu'", ["region": "us"]))
        #expect(try !might("region = 'eu'", ["region": String?.none]))
        #expect(try might("region IN ('eu', 'us')", ["region": "us"]))
        #expect(try !might("region NOT IN ('eu', 'us')", ["region": "us"]))
        #expect(try !might("year > 2020 AND v = 5", ["year": "2019"]))
        #expect(try might("year > 2020 AND v = 5", ["year": "2021"]))
        #expect(try !might("v = 5 AND (year > 2020 AND region = 'eu')", ["year": "2021", "region": "us"]))
        #expect(try !might("NOT year = 2020", ["year": "2020"]))
        #expect(try !might("year = 2020.5", ["year": "2020"]))
        #expect(try !might("day >= '2024-01-01'", ["day": "2023-12-31"]))
        #expect(try might("day >= '2024-01-01'", ["day": "2024-01-01"]))
        #expect(try might("price = 12.5", ["price": "12.50"]))
        #expect(try !might("price = 12.5", ["price": "12.49"]))
        #expect(try !might("flag = TRUE", ["flag": "false"]))
        #expect(try !might("ts > '2024-01-01T00:00:00Z'", ["ts": "2024-01-01T00:00:00.000000Z"]))
        #expect(try might("ts > '2024-01-01T00:00:00Z'", ["ts": "1704067200000001"]))
        #expect(try might("score = 0.1", ["score": "0.1"]))
        #expect(try might("score > 1", ["score": "nan"]))
        #expect(try !might("score < 1", ["score": "inf"]))
        #expect(try !might("geo.country = 'NO'", ["geo.country": "SE"]))
        #expect(try !might("region = 'eu' OR year = 2020", ["region": "us", "year": "2021"]))
        #expect(try might("region = 'eu' OR year = 2020", ["region": "us", "year": "2020"]))
        #expect(try !might("FALSE", [:]))
        #expect(try might("TRUE", [:]))
    }

    @Test func theDefaultPartitionHoldsNullsAndEmptyValues() throws {
        let dflt: [String: String?] = ["region": String?.none, "year": String?.none]
        #expect(try might("region IS NULL", dflt))
        #expect(try !might("region IS NOT NULL AND year IS NOT NULL", dflt))
        #expect(try might("region = ''", dflt))
        #expect(try might("region != 'eu'", dflt))
        #expect(try might("region = '__HIVE_DEFAULT_PARTITION__'", dflt))
        #expect(try !might("region = 'eu'", dflt))
        #expect(try might("year IS NULL", dflt))
        #expect(try !might("year = 0", dflt))
        #expect(try !might("year IS NULL", ["year": "2020"]))
        #expect(try might("year IS NOT NULL", ["year": "2020"]))
    }

    @Test func keepsWhatItCannotDecide() throws {
        // Conjuncts with other columns, unknown columns, type errors, unconvertible values.
        #expect(try might("year > 2020 OR v = 5", ["year": "2019"]))
        #expect(try might("nope = 1", ["nope": "2"]))
        #expect(try might("year = 'abc'", ["year": "2020"]))
        #expect(try might("year = 2020", ["year": "abc"]))
        #expect(try might("year = 2020", ["year": "2020.5"]))
        #expect(try might("region = 'eu'", ["year": "2020"]))
        // A bare date in a TIMESTAMP partition is a truncated value: the partition holds a day.
        #expect(try might("ts = '2024-01-02T05:00:00Z'", ["ts": "2024-01-02"]))
    }

    /// Rows are grouped into partitions by the text the engine writes (``KeyText``; null and
    /// empty to the default partition); a partition holding a row the predicate keeps is never
    /// pruned.
    @Test func neverPrunesAPartitionWithMatchingRows() async {
        let pruned = PredicateTally()
        await propertyCheck(count: 200, input: Gen<UInt64>.value(), Gen.int(in: 1...40)) { seed, rowCount in
            var rng = SplitMix(seed: seed)
            let table = OracleTable.random(rows: rowCount, &rng)
            let fields = OracleTable.schema.fields
            let partitionColumns = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                Int.random(in: 0..<OracleTable.columns.count, using: &rng)
            }
            var texts: [[String: String?]] = Array(repeating: [:], count: rowCount)
            for c in Set(partitionColumns) {
                let name = OracleTable.columns[c].name
                let resolved = PredicateColumn.resolve(name, in: fields)!
                let (data, validity) = try Result { () throws(LakeError) in try resolved.values(in: table.batch) }.get()
                let leaf = Column(data, validity: validity)
                for r in 0..<rowCount {
                    let t = try Result { () throws(LakeError) in try KeyText.text(leaf, r, resolved.field) }.get()
                    texts[r][name] = t == nil || t == "" || t == PartitionPath.defaultPartition ? String?.none : t
                }
            }
            var partitions: [[String: String?]: [Int]] = [:]
            for r in 0..<rowCount { partitions[texts[r], default: []].append(r) }
            for _ in 0..<10 {
                let (p, _) = table.randomPredicate(&rng, depth: 0)
                let keep = try Result { () throws(LakeError) -> [Bool] in try p.evaluate(table.batch) }.get()
                for (values, rows) in partitions where !p.mightMatch(partitionValues: values, schema: fields) {
                    pruned.add()
                    #expect(!rows.contains { keep[$0] }, "pruned partition \(values) holds rows matching \(p)")
                }
            }
        }
        #expect(pruned.value > 200, "pruned only \(pruned.value) partitions")
    }
}
