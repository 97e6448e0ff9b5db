import Testing
import PropertyBased
@testable import LakeCore
import LakeTestSupport

@Suite struct PredicateParquetTests {
    private static let schema = PredicateEvaluationTests.schema

    private func pushdown(_ text: String, _ schema: ParquetSchema = Self.schema) throws -> ParquetPredicate? {
        try Result { () throws(LakeError) -> Predicate in try Predicate(parsing: text) }.get().parquetPredicate(
            schema: schema)
    }

    @Test func comparisonsBecomePhysicalScalars() throws {
        #expect(try pushdown("id > 5") == .compare(column: "id", .greater, .int(5)))
        #expect(try pushdown("5 > id") == .compare(column: "id", .less, .int(5)))
        #expect(try pushdown("i32 < 2.5") == .compare(column: "i32", .less, .int(3)))
        #expect(try pushdown("i32 <= 2.5") == .compare(column: "i32", .lessOrEqual, .int(2)))
        #expect(try pushdown("u32 > 3000000000") == .compare(column: "u32", .greater, .int(3_000_000_000)))
        #expect(try pushdown("u64 < 9223372036854775807") == .compare(column: "u64", .less, .int(Int64.max)))
        #expect(try pushdown("u64 > 9223372036854775808") == nil)
        #expect(
            try pushdown("day >= '2024-01-01'")
                == .compare(column: "day", .greaterOrEqual, .int(Int64(PredicateEvaluationTests.jan1))))
        #expect(
            try pushdown("ts = '2024-01-01T00:00:00Z'")
                == .compare(column: "ts", .equal, .int(PredicateEvaluationTests.jan1Micros)))
        #expect(try pushdown("ts_ms < '1970-01-01T00:00:00.0015Z'") == .compare(column: "ts_ms", .less, .int(2)))
        #expect(try pushdown("dec9 = 12.5") == .compare(column: "dec9", .equal, .int(1250)))
        #expect(try pushdown("dec18 > -1") == .compare(column: "dec18", .greater, .int(-10_000)))
        #expect(
            try pushdown("dec38 = 12.345")
                == .compare(column: "dec38", .equal, .bytes(PredicateEvaluationTests.fixed(12_345, width: 16))))
        #expect(
            try pushdown("dec38 < -0.0005")
                == .compare(column: "dec38", .less, .bytes([UInt8](repeating: 0, count: 16))))
        #expect(try pushdown("decba = -0.1") == .compare(column: "decba", .equal, .bytes([0xFF])))
        #expect(try pushdown("decba >= 12.8") == .compare(column: "decba", .greaterOrEqual, .bytes([0x00, 0x80])))
        #expect(try pushdown("s = 'x'") == .compare(column: "s", .equal, .bytes([0x78])))
        #expect(try pushdown("bin = 'AQI='") == .compare(column: "bin", .equal, .bytes([1, 2])))
        #expect(try pushdown("b = TRUE") == .compare(column: "b", .equal, .bool(true)))
        #expect(try pushdown("t >= '00:00:01'") == .compare(column: "t", .greaterOrEqual, .int(1000)))
        #expect(try pushdown("addr.city = 'Oslo'") == .compare(column: "addr.city", .equal, .bytes(Array("Oslo".utf8))))
    }

    @Test func floatsPushOnlyWhatNaNCannotSatisfy() throws {
        #expect(try pushdown("f < 1.5") == .compare(column: "f", .less, .double(1.5)))
        #expect(try pushdown("d <= 1.5") == .compare(column: "d", .lessOrEqual, .double(1.5)))
        #expect(try pushdown("d = 2") == .compare(column: "d", .equal, .double(2)))
        #expect(try pushdown("f > 1.5") == nil)
        #expect(try pushdown("f >= 1.5") == nil)
        #expect(try pushdown("f != 1.5") == nil)
        #expect(try pushdown("NOT f <= 1.5") == nil)
        #expect(try pushdown("NOT f > 1.5") == .compare(column: "f", .lessOrEqual, .double(1.5)))
        #expect(try pushdown("f = 'NaN'") == nil)
        #expect(try pushdown("f < 1e39") == .compare(column: "f", .less, .double(.infinity)))
        #expect(try pushdown("f = 0.1") == .compare(column: "f", .equal, .double(Double(Float(0.1)))))
        #expect(try pushdown("h = 1") == nil)
        #expect(try pushdown("local = 5") == .compare(column: "local", .equal, .int(5)))
    }

    @Test func logicIsPushedSoundly() throws {
        let i = ParquetPredicate.compare(column: "i32", .greater, .int(1))
        let s = ParquetPredicate.compare(column: "s", .equal, .bytes([0x61]))
        #expect(try pushdown("i32 > 1 AND s = 'a' AND h = 1") == .and([i, s]))
        #expect(try pushdown("i32 > 1 AND h = 1") == i)
        #expect(try pushdown("i32 > 1 OR s = 'a'") == .or([i, s]))
        #expect(try pushdown("i32 > 1 OR h = 1") == nil)
        #expect(try pushdown("NOT (i32 <= 1 OR s != 'a')") == .and([i, s]))
        #expect(try pushdown("NOT (i32 <= 1 AND s != 'a')") == .or([i, s]))
        #expect(try pushdown("NOT NOT i32 > 1") == i)
        #expect(try pushdown("i32 IN (1, 2.5, NULL, 3)") == .isIn(column: "i32", [.int(1), .int(3)]))
        #expect(try pushdown("i32 IN (2.5, NULL)") == nil)
        #expect(
            try pushdown("i32 NOT IN (1, 2)")
                == .and([.compare(column: "i32", .notEqual, .int(1)), .compare(column: "i32", .notEqual, .int(2))]))
        #expect(try pushdown("i32 NOT IN (1, NULL)") == nil)
        #expect(try pushdown("f IN (1, 'NaN')") == nil)
        #expect(try pushdown("i32 = NULL") == nil)
        #expect(try pushdown("i32 > 1e30") == nil)
        #expect(try pushdown("i32 < 1e30") == .isNotNull(column: "i32"))
        #expect(try pushdown("NOT i32 IS NULL") == .isNotNull(column: "i32"))
        #expect(try pushdown("addr.city IS NULL") == .isNull(column: "addr.city"))
        #expect(try pushdown("NOT addr.zip IS NOT NULL") == .isNull(column: "addr.zip"))
        #expect(try pushdown("addr IS NULL") == nil)
        #expect(try pushdown("tags IS NULL") == nil)
        #expect(try pushdown("nope = 1") == nil)
        #expect(try pushdown("id = 'abc'") == nil)
        #expect(try pushdown("TRUE") == nil)
        #expect(try pushdown("FALSE") == nil)
        // A dotted top-level name would be read as a struct path by the statistics lookup.
        #expect(try pushdown("\"a.b\" = 1", ParquetSchema([.int32("a.b"), .structure("a", [.int32("b")])])) == nil)
    }

    @Test func sortedDataSkipsRowGroups() throws {
        let schema = ParquetSchema([.int64("id", nullable: false), .string("s")])
        let n = 100
        let batch = RecordBatch(
            schema: schema,
            columns: [
                Column(.int64((0..<Int64(n)).map { $0 })),
                Column(
                    .byteArray(
                        ByteArrayValues(
                            strings: (0..<n).map {
                                "k" + String(repeating: "0", count: 3 - String($0).count) + String($0)
                            }))),
            ], rowCount: n)
        let reader = try Self.write(batch, rowsPerGroup: 10)
        #expect(reader.rowGroupCount == 10)
        func groups(_ text: String) throws -> [Int] { reader.rowGroups(matching: try pushdown(text, schema)) }
        #expect(try groups("id > 95") == [9])
        #expect(try groups("id >= 15 AND id < 30.5") == [1, 2, 3])
        #expect(try groups("id IN (3, 57)") == [0, 5])
        #expect(try groups("s < 'k010'") == [0])
        #expect(try groups("s = 'k042' OR id = 99") == [4, 9])
        #expect(try groups("NOT id < 90") == [9])
    }

    @Test func rowGroupsHoldingNaNAreKeptWhenNaNMatches() throws {
        // Statistics never count NaN: group 0 holds 1 and NaN but says min = max = 1.
        let schema = ParquetSchema([.double("d"), .float("f")])
        let batch = RecordBatch(
            schema: schema,
            columns: [
                Column(.double([1, .nan, 2, 3])), Column(.float([1, .nan, 2, 3])),
            ], rowCount: 4)
        let reader = try Self.write(batch, rowsPerGroup: 2)
        let group0 = try reader.readRowGroup(0)
        for column in ["d", "f"] {
            for text in [
                "\(column) > 1.5", "\(column) >= 5", "\(column) != 1", "NOT \(column) <= 1", "\(column) = 'NaN'",
                "\(column) IN ('NaN', 7)", "\(column) NOT IN (1)", "\(column) > 1e400",
            ] {
                let p = try Result { () throws(LakeError) -> Predicate in try Predicate(parsing: text) }.get()
                let keep = try Result { () throws(LakeError) -> [Bool] in try p.evaluate(group0) }.get()
                #expect(keep == [false, true], "\(text)")
                #expect(reader.rowGroups(matching: p.parquetPredicate(schema: schema)).contains(0), "\(text)")
            }
            #expect(reader.rowGroups(matching: try pushdown("\(column) < 1.5", schema)) == [0])
            #expect(reader.rowGroups(matching: try pushdown("\(column) = 2", schema)) == [1])
        }
    }

    static func write(_ batch: RecordBatch, rowsPerGroup: Int, dictionary: Bool = true) throws -> ParquetFileReader {
        var options = ParquetWriterOptions()
        options.maxRowsPerRowGroup = rowsPerGroup
        options.dictionaryEnabled = dictionary
        options.parallelEncoding = false
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: batch.schema, options: options)
        try writer.write(batch)
        _ = try writer.close()
        return try ParquetFileReader(bytes: sink.bytes)
    }

    /// For random data written with small row groups, every row a random predicate keeps lies in
    /// a row group its pushdown keeps.
    @Test func pushdownNeverSkipsAMatchingRow() async throws {
        let skipped = PredicateTally()
        await propertyCheck(count: 150, input: Gen<UInt64>.value(), Gen.int(in: 1...40)) { seed, rowCount in
            var rng = SplitMix(seed: seed)
            var table = OracleTable.random(rows: rowCount, &rng)
            // Cluster the rows by one column so that statistics can exclude something.
            let c = Int.random(in: 0..<OracleTable.columns.count, using: &rng)
            let order = (0..<rowCount).sorted { a, b in
                RowOracle.compare(table.rows[a][c], .less, table.rows[b][c]) == .t
                    || (table.rows[a][c] != .null && table.rows[b][c] == .null)
            }
            table.batch = RecordBatch(
                schema: table.batch.schema, columns: table.batch.columns.map { $0.take(order) }, rowCount: rowCount)
            table.rows = order.map { table.rows[$0] }
            table.stored = table.stored.map { s in order.map { s[$0] } }
            let reader = try Self.write(
                table.batch, rowsPerGroup: Int.random(in: 1...6, using: &rng), dictionary: Bool.random(using: &rng))
            let groups = try (0..<reader.rowGroupCount).map { g in try reader.readRowGroup(g) }
            for _ in 0..<10 {
                let (p, _) = table.randomPredicate(&rng, depth: 0)
                let pushed = p.parquetPredicate(schema: reader.schema)
                let kept = Set(reader.rowGroups(matching: pushed))
                for g in 0..<reader.rowGroupCount where !kept.contains(g) {
                    skipped.add()
                    let keep = try Result { () throws(LakeError) -> [Bool] in try p.evaluate(groups[g]) }.get()
                    #expect(
                        !keep.contains(true),
                        "row group \(g) skipped by \(String(describing: pushed)) holds rows matching \(p)")
                }
            }
        }
        #expect(skipped.value > 100, "pushdown skipped only \(skipped.value) row groups")
    }
}

/// A shared tally for property tests (to check they are not vacuous).
final class PredicateTally: @unchecked Sendable {
    private(set) var value = 0
    func add() { value += 1 }
}
