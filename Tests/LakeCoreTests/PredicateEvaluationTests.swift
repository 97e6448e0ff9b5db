import Testing
import PropertyBased
@testable import LakeCore
import LakeTestSupport

@Suite struct PredicateEvaluationTests {
    // MARK: A hand-made batch of every type

    static let schema = ParquetSchema([
        .int64("id", nullable: false),
        .int32("i32"),
        .primitive("u32", .int32, logical: .integer(bitWidth: 32, isSigned: false)),
        .primitive("u64", .int64, logical: .integer(bitWidth: 64, isSigned: false)),
        .float("f"),
        .double("d"),
        .primitive("h", .fixedLenByteArray, logical: .float16, typeLength: 2),
        .string("s"),
        .binary("bin"),
        .boolean("b"),
        .date("day"),
        .timestamp("ts", unit: .micros),
        .timestamp("ts_ms", unit: .millis),
        .primitive("local", .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .nanos)),
        .primitive("t", .int32, logical: .time(isAdjustedToUTC: false, unit: .millis)),
        .decimal("dec9", precision: 9, scale: 2),
        .decimal("dec18", precision: 18, scale: 4),
        .decimal("dec38", precision: 38, scale: 3),
        .decimal("decba", precision: 30, scale: 1, physical: .byteArray),
        .structure("addr", [.string("city"), .int32("zip", nullable: false)]),
        .list("tags", element: .string("e")),
    ])

    static func half(_ f: Float) -> [UInt8] {
        let b = HalfFloat.bits(rounding: f)!
        return [UInt8(b & 0xFF), UInt8(b >> 8)]
    }

    static func fixed(_ v: Int64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { k in k >= 8 ? (v < 0 ? 0xFF : 0) : UInt8(truncatingIfNeeded: v >> (8 * Int64(k))) }
    }

    /// Days and micros used below.
    static let jan1 = Int32(TemporalText.days(year: 2024, month: 1, day: 1))
    static let jan1Micros = Int64(jan1) * 86_400_000_000

    static let batch: RecordBatch = {
        let n = 5
        let valid: [Bool] = [true, false, true, true, true]
        func col(_ d: ColumnData, _ v: [Bool]? = valid) -> Column { Column(d, validity: v) }
        var h = FixedByteArrayValues(width: 2)
        for x: Float in [0.1, 0, -2, 65504, .nan] { h.append(half(x)) }
        var d38 = FixedByteArrayValues(width: 16)
        for x: Int64 in [12_345, 0, -1, Int64.max, Int64.min] { d38.append(fixed(x, width: 16)) }
        let columns: [Column] = [
            col(.int64([1, 2, 3, 4, 5]), nil),
            col(.int32([10, 0, -5, 2, 3])),
            col(.int32([Int32(bitPattern: 4_000_000_000), 0, 0, 7, Int32(bitPattern: UInt32.max)])),
            col(.int64([-1, 0, 5, Int64.max, Int64.min])),
            col(.float([0.1, 0, -0.0, .infinity, .nan])),
            col(.double([1.5, 0, -.infinity, 1e300, .nan])),
            col(.fixedByteArray(h)),
            col(.byteArray(ByteArrayValues(strings: ["apple", "", "Banana", "", "äpfel"]))),
            col(.byteArray(ByteArrayValues(arrays: [[1, 2], [], [0xFF], [], [1]]))),
            col(.boolean([true, false, false, true, false])),
            col(.int32([jan1, 0, jan1 - 1, jan1 + 1, 0])),
            col(.int64([jan1Micros, 0, jan1Micros + 1, jan1Micros - 1, -1])),
            col(.int64([Int64(jan1) * 86_400_000, 0, Int64(jan1) * 86_400_000 + 1, 5, 0])),
            col(.int64([jan1Micros * 1000, 0, 1, 2, 3])),
            col(.int32([3_600_000, 0, 3_600_001, 0, 86_399_999])),
            col(.int32([1250, 0, -1, 99, 100])),  // 12.50, -, -0.01, 0.99, 1.00
            col(.int64([125_000, 0, -10_001, 1, Int64.max])),  // 12.5, -, -1.0001, 0.0001, …
            col(.fixedByteArray(d38)),  // 12.345, -, -0.001, …
            // 1234.5, -, -0.1, 0.5, -12.8
            col(.byteArray(ByteArrayValues(arrays: [[0x30, 0x39], [], [0xFF], [0x00, 0x05], [0x80]]))),
            Column(
                .structure([
                    Column(
                        .byteArray(ByteArrayValues(strings: ["Paris", "", "Oslo", "", "Rome"])),
                        validity: [true, false, true, false, true]),
                    Column(.int32([75, 0, 1, 0, 0])),
                ]), validity: [true, false, true, true, false]),
            Column(.list(offsets: [0, 1, 1, 1, 1, 1], element: Column(.byteArray(ByteArrayValues(strings: ["x"]))))),
        ]
        return RecordBatch(schema: schema, columns: columns, rowCount: n)
    }()

    /// Row ids (1-based `id`) the expression keeps.
    private func rows(_ text: String, _ batch: RecordBatch = Self.batch) throws -> [Int] {
        let p = try Result { () throws(LakeError) -> Predicate in try Predicate(parsing: text) }.get()
        let keep = try Result { () throws(LakeError) -> [Bool] in try p.evaluate(batch) }.get()
        return keep.indices.filter { keep[$0] }.map { $0 + 1 }
    }

    private func failure(_ text: String) -> LakeError? {
        do throws(LakeError) {
            _ = try Predicate(parsing: text).evaluate(Self.batch)
            return nil
        } catch {
            return error
        }
    }

    @Test func integers() throws {
        #expect(try rows("i32 > 2") == [1, 5])
        #expect(try rows("i32 >= 2") == [1, 4, 5])
        #expect(try rows("i32 < 2") == [3])
        #expect(try rows("i32 <= 2") == [3, 4])
        #expect(try rows("i32 < 2.5") == [3, 4])
        #expect(try rows("i32 <= 2.5") == [3, 4])
        #expect(try rows("i32 > 2.5") == [1, 5])
        #expect(try rows("i32 < -4.5") == [3])
        #expect(try rows("i32 <= -5.5") == [])
        #expect(try rows("i32 = 2.0") == [4])
        #expect(try rows("i32 = 2e0") == [4])
        #expect(try rows("i32 = 0.2e1") == [4])
        #expect(try rows("i32 = 2.5") == [])
        #expect(try rows("i32 != 2.5") == [1, 3, 4, 5])
        #expect(try rows("i32 != 2") == [1, 3, 5])
        #expect(try rows("i32 < 1e30") == [1, 3, 4, 5])
        #expect(try rows("i32 > 1e30") == [])
        #expect(try rows("i32 > -2147483649") == [1, 3, 4, 5])
        #expect(try rows("i32 = 2147483648") == [])
        #expect(try rows("i32 < 1e-30") == [3])
        #expect(try rows("id IN (1, 3, 3.5, 99)") == [1, 3])
        #expect(try rows("2 < id") == [3, 4, 5])
    }

    @Test func unsignedIntegersCompareByUnsignedValue() throws {
        #expect(try rows("u32 > 3000000000") == [1, 5])
        #expect(try rows("u32 = 4294967295") == [5])
        #expect(try rows("u32 < 0") == [])
        #expect(try rows("u32 >= -1") == [1, 3, 4, 5])
        #expect(try rows("u32 IN (7, 4000000000)") == [1, 4])
        #expect(try rows("u64 = 18446744073709551615") == [1])
        #expect(try rows("u64 > 9223372036854775807") == [1, 5])
        #expect(try rows("u64 <= 9223372036854775807") == [3, 4])
        #expect(try rows("u64 IN (18446744073709551615, 5)") == [1, 3])
        #expect(try rows("u64 < 18446744073709551616") == [1, 3, 4, 5])
    }

    @Test func floatsOrderNaNAboveEverything() throws {
        // f: 0.1, null, -0.0, inf, NaN
        #expect(try rows("f = 0.1") == [1])
        #expect(try rows("f = 0") == [3])
        #expect(try rows("f > 0") == [1, 4, 5])
        #expect(try rows("f < 0.1") == [3])
        #expect(try rows("f = 'NaN'") == [5])
        #expect(try rows("f != 'NaN'") == [1, 3, 4])
        #expect(try rows("f < 'NaN'") == [1, 3, 4])
        #expect(try rows("f >= 'NaN'") == [5])
        #expect(try rows("f = 'Infinity'") == [4])
        #expect(try rows("f > 1e39") == [4, 5])
        #expect(try rows("f < 1e39") == [1, 3])
        #expect(try rows("f = 1e39") == [])
        #expect(try rows("f > -1e39") == [1, 3, 4, 5])
        #expect(try rows("f IN ('NaN', 0)") == [3, 5])
        #expect(try rows("NOT f > 1") == [1, 3])
        // d: 1.5, null, -inf, 1e300, NaN
        #expect(try rows("d > 1") == [1, 4, 5])
        #expect(try rows("d <= 1e300") == [1, 3, 4])
        #expect(try rows("d < 1e400") == [1, 3, 4])
        #expect(try rows("d >= 1e400") == [5])
        #expect(try rows("d <= -1e400") == [3])
        #expect(try rows("d = '-Infinity'") == [3])
        #expect(try rows("d = '1.5'") == [1])
        // h: 0.1, null, -2, 65504, NaN
        #expect(try rows("h = 0.1") == [1])
        #expect(try rows("h < 0") == [3])
        #expect(try rows("h >= 65504") == [4, 5])
        #expect(try rows("h > 70000") == [5])
        #expect(try rows("h IN (-2, 65504)") == [3, 4])
    }

    @Test func stringsAndBinaryCompareBytewise() throws {
        // s: apple, null, Banana, "", äpfel
        #expect(try rows("s = 'apple'") == [1])
        #expect(try rows("s < 'apple'") == [3, 4])
        #expect(try rows("s > 'apple'") == [5])
        #expect(try rows("s >= 'a'") == [1, 5])
        #expect(try rows("s = ''") == [4])
        #expect(try rows("s IN ('Banana', 'äpfel', 'x')") == [3, 5])
        #expect(try rows("s NOT IN ('Banana')") == [1, 4, 5])
        // bin: [1,2], null, [FF], [], [1]
        #expect(try rows("bin = 'AQI='") == [1])
        #expect(try rows("bin = 'AQI'") == [1])
        #expect(try rows("bin > 'AQ=='") == [1, 3])
        #expect(try rows("bin = ''") == [4])
        #expect(try rows("bin IN ('/w==', 'AQ==')") == [3, 5])
    }

    @Test func booleans() throws {
        #expect(try rows("b = TRUE") == [1, 4])
        #expect(try rows("b != true") == [3, 5])
        #expect(try rows("b < TRUE") == [3, 5])
        #expect(try rows("b IN (FALSE)") == [3, 5])
    }

    @Test func datesTimesAndTimestamps() throws {
        #expect(try rows("day = '2024-01-01'") == [1])
        #expect(try rows("day >= '2024-01-01'") == [1, 4])
        #expect(try rows("day < '2024-01-01'") == [3, 5])
        #expect(try rows("day = \(Self.jan1)") == [1])
        #expect(try rows("day = 0") == [5])
        #expect(try rows("day < 0.5") == [5])
        #expect(try rows("day IN ('2023-12-31', '1970-01-01')") == [3, 5])

        #expect(try rows("ts = '2024-01-01T00:00:00Z'") == [1])
        #expect(try rows("ts = '2024-01-01T00:00:00.000000Z'") == [1])
        #expect(try rows("ts = '2024-01-01 01:00:00+01:00'") == [1])
        #expect(try rows("ts > '2024-01-01T00:00:00Z'") == [3])
        #expect(try rows("ts >= '2024-01-01'") == [1, 3])
        #expect(try rows("ts = '2024-01-01T00:00:00.000001Z'") == [3])
        #expect(try rows("ts < '2024-01-01T00:00:00.0000005Z'") == [1, 4, 5])
        #expect(try rows("ts > '2024-01-01T00:00:00.0000005Z'") == [3])
        #expect(try rows("ts = '2024-01-01T00:00:00.0000005Z'") == [])
        #expect(try rows("ts = -1") == [5])
        #expect(try rows("ts = \(Self.jan1Micros)") == [1])

        // millis: jan1, null, jan1 + 1ms, 5, 0
        #expect(try rows("ts_ms < '2024-01-01T00:00:00.0005Z'") == [1, 4, 5])
        #expect(try rows("ts_ms >= '2024-01-01T00:00:00.0005Z'") == [3])
        #expect(try rows("ts_ms = '1970-01-01T00:00:00.005Z'") == [4])

        // local nanos: a timestamp without zone; an offset is rejected.
        #expect(try rows("local = '2024-01-01T00:00:00'") == [1])
        #expect(try rows("local <= '1970-01-01T00:00:00.000000002'") == [3, 4])
        #expect(failure("local = '2024-01-01T00:00:00+01:00'")?.message.contains("UTC offset") == true)

        // time millis: 01:00, null, 01:00:00.001, 0, 23:59:59.999
        #expect(try rows("t = '01:00:00'") == [1])
        #expect(try rows("t > '01:00:00.0005'") == [3, 5])
        #expect(try rows("t < 1000") == [4])
    }

    @Test func decimalsCompareExactlyAtAnyScale() throws {
        // dec9 (scale 2): 12.50, null, -0.01, 0.99, 1.00
        #expect(try rows("dec9 = 12.5") == [1])
        #expect(try rows("dec9 = '12.50'") == [1])
        #expect(try rows("dec9 = 12.500000") == [1])
        #expect(try rows("dec9 = 1.25e1") == [1])
        #expect(try rows("dec9 > 12.495") == [1])
        #expect(try rows("dec9 < 12.505") == [1, 3, 4, 5])
        #expect(try rows("dec9 = 12.505") == [])
        #expect(try rows("dec9 < 0") == [3])
        #expect(try rows("dec9 < 1e20") == [1, 3, 4, 5])
        #expect(try rows("dec9 IN (1, 0.99, 0.995)") == [4, 5])
        // dec18 (scale 4): 12.5, null, -1.0001, 0.0001, max
        #expect(try rows("dec18 = 12.5") == [1])
        #expect(try rows("dec18 < -1") == [3])
        #expect(try rows("dec18 > 0.00005") == [1, 4, 5])
        #expect(try rows("dec18 = 922337203685477.5807") == [5])
        // dec38 (FLBA 16, scale 3): 12.345, null, -0.001, Int64.max/1000, Int64.min/1000
        #expect(try rows("dec38 = 12.345") == [1])
        #expect(try rows("dec38 < 0") == [3, 5])
        #expect(try rows("dec38 > 9223372036854775.806") == [4])
        #expect(try rows("dec38 < -1e40") == [])
        #expect(try rows("dec38 > -1e40") == [1, 3, 4, 5])
        #expect(try rows("dec38 > -0.0015") == [1, 3, 4])
        #expect(try rows("dec38 IN (-0.001, 12.345, 7)") == [1, 3])
        // decba (BYTE_ARRAY, scale 1): 1234.5, null, -0.1, 0.5 (non-minimal bytes), -12.8
        #expect(try rows("decba = 1234.5") == [1])
        #expect(try rows("decba = 0.5") == [4])
        #expect(try rows("decba < 0") == [3, 5])
        #expect(try rows("decba > -12.81") == [1, 3, 4, 5])
        #expect(try rows("decba IN (0.5, -12.8)") == [4, 5])
        #expect(try rows("decba > 1e100") == [])
    }

    @Test func structMembersAreNullUnderANullStruct() throws {
        // addr: {Paris, 75}, null, {Oslo, 1}, {null, 0}, null
        #expect(try rows("addr.city = 'Paris'") == [1])
        #expect(try rows("addr.city IS NULL") == [2, 4, 5])
        #expect(try rows("addr.zip IS NULL") == [2, 5])
        #expect(try rows("addr.zip >= 0") == [1, 3, 4])
        #expect(try rows("addr IS NULL") == [2, 5])
        #expect(try rows("addr IS NOT NULL") == [1, 3, 4])
        #expect(try rows("tags IS NOT NULL") == [1, 2, 3, 4, 5])
    }

    @Test func threeValuedLogic() throws {
        // i32: 10, null, -5, 2, 3
        #expect(try rows("NOT i32 > 2") == [3, 4])
        #expect(try rows("i32 > 2 OR i32 IS NULL") == [1, 2, 5])
        #expect(try rows("NOT (i32 > 2 AND id > 0)") == [3, 4])
        #expect(try rows("i32 > 2 OR id = 2") == [1, 2, 5])
        #expect(try rows("NOT (i32 > 2 OR id = 2)") == [3, 4])
        #expect(try rows("i32 IN (2, NULL)") == [4])
        #expect(try rows("i32 NOT IN (2, NULL)") == [])
        #expect(try rows("i32 NOT IN (2)") == [1, 3, 5])
        #expect(try rows("i32 IN ()") == [])
        #expect(try rows("i32 NOT IN ()") == [1, 2, 3, 4, 5])
        #expect(try rows("i32 = NULL") == [])
        #expect(try rows("NOT i32 = NULL") == [])
        #expect(try rows("i32 = NULL OR id = 1") == [1])
        #expect(try rows("NOT (i32 = NULL AND id = 1)") == [2, 3, 4, 5])
        #expect(try rows("TRUE") == [1, 2, 3, 4, 5])
        #expect(try rows("NOT FALSE AND id < 3") == [1, 2])
    }

    @Test func errorsNameColumnTypeAndLiteral() {
        let e = failure("id = 'abc'")
        #expect(e?.code == .invalidArgument)
        #expect(e?.message == "where: cannot compare column id (INT64) with 'abc': expected a number")
        #expect(
            failure("nope = 1")?.message
                == "where: unknown column nope (columns: \(Self.schema.fields.map(\.name).joined(separator: ", ")))")
        #expect(failure("addr.nope = 1")?.message.hasPrefix("where: unknown column addr.nope") == true)
        #expect(failure("tags = 'a'")?.message.contains("tags is LIST") == true)
        #expect(failure("addr = 'a'")?.message.contains("addr is struct") == true)
        #expect(
            failure("s = 5")?.message
                == "where: cannot compare column s (BYTE_ARRAY (STRING)) with 5: expected a quoted string")
        #expect(failure("b = 1")?.message == "where: cannot compare column b (BOOLEAN) with 1: expected TRUE or FALSE")
        #expect(
            failure("day = '2024-13-01'")?.message
                == "where: cannot compare column day (INT32 (DATE)) with '2024-13-01': month 13 out of range 1–12")
        #expect(
            failure("dec9 = 'x'")?.message
                == "where: cannot compare column dec9 (INT32 (DECIMAL(9,2))) with 'x': 'x' is not a number")
        #expect(failure("bin = 'a b'")?.message.contains("expected base64") == true)
        #expect(failure("f = 'fast'")?.message.contains("expected a number, 'NaN'") == true)
        #expect(failure("i32 IN (1, 'x')")?.message.contains("i32 (INT32) with 'x'") == true)
        // NULL literals are not type-checked but the column must exist.
        #expect(failure("nope = NULL")?.message.hasPrefix("where: unknown column") == true)
    }

    @Test func exactTopLevelNameWinsOverStructPath() throws {
        let schema = ParquetSchema([.structure("a", [.int32("b")]), .int32("a.b")])
        let batch = RecordBatch(
            schema: schema,
            columns: [
                Column(.structure([Column(.int32([1, 2]))])),
                Column(.int32([2, 1])),
            ], rowCount: 2)
        #expect(try rows("\"a.b\" = 1", batch) == [2])
        let nested = ParquetSchema([.structure("a", [.int32("b.c"), .structure("b", [.int32("c")])])])
        let nb = RecordBatch(
            schema: nested,
            columns: [
                Column(.structure([Column(.int32([1, 2])), Column(.structure([Column(.int32([2, 1]))]))]))
            ], rowCount: 2)
        #expect(try rows("a.b.c = 1", nb) == [1])
    }

    @Test func filterKeepsFlaggedRowsInOrder() throws {
        let p = try Result { () throws(LakeError) -> Predicate in try Predicate(parsing: "i32 > 0") }.get()
        let keep = try Result { () throws(LakeError) -> [Bool] in try p.evaluate(Self.batch) }.get()
        let out = Self.batch.filter(keep)
        #expect(out.rowCount == 3)
        #expect(out.columns[0] == Column(.int64([1, 4, 5])))
        #expect(out.columns[7] == Column(.byteArray(ByteArrayValues(strings: ["apple", "", "äpfel"]))))
        #expect(Self.batch.filter([Bool](repeating: true, count: 5)) == Self.batch)
        #expect(Self.batch.filter([Bool](repeating: false, count: 5)).rowCount == 0)
    }

    // MARK: Property: evaluate agrees with a naive per-row oracle

    @Test func agreesWithRowOracle() async {
        await propertyCheck(count: 300, input: Gen<UInt64>.value(), Gen.int(in: 0...30)) { seed, rowCount in
            var rng = SplitMix(seed: seed)
            let table = OracleTable.random(rows: rowCount, &rng)
            for _ in 0..<8 {
                let (p, o) = table.randomPredicate(&rng, depth: 0)
                let got = try Result { () throws(LakeError) -> [Bool] in try p.evaluate(table.batch) }.get()
                let want = (0..<rowCount).map { o.eval(table.rows[$0]) == .t }
                #expect(got == want, "\(p)")
            }
        }
    }
}

// MARK: - The oracle

/// A plain value of one cell: exact numbers as decimal text (integers, decimals, days, timestamp
/// units), floats as `Double`, bytes, booleans.
enum OracleValue: Hashable {
    case null
    case bool(Bool)
    case exact(String)
    case float(Double)
    case bytes([UInt8])
}

/// SQL truth values.
enum OracleTruth: Equatable {
    case f, u, t
    static func and(_ a: OracleTruth, _ b: OracleTruth) -> OracleTruth {
        a == .f || b == .f ? .f : (a == .u || b == .u ? .u : .t)
    }
    static func or(_ a: OracleTruth, _ b: OracleTruth) -> OracleTruth {
        a == .t || b == .t ? .t : (a == .u || b == .u ? .u : .f)
    }
    var not: OracleTruth { self == .t ? .f : (self == .f ? .t : .u) }
}

/// A predicate over rows of plain values, mirroring ``Predicate`` with literals as plain values.
indirect enum OraclePredicate {
    case compare(Int, ComparisonOperator, OracleValue)
    case isIn(Int, [OracleValue])
    case isNull(Int)
    case isNotNull(Int)
    case and([OraclePredicate])
    case or([OraclePredicate])
    case not(OraclePredicate)

    func eval(_ row: [OracleValue]) -> OracleTruth {
        switch self {
        case .compare(let c, let op, let lit): return RowOracle.compare(row[c], op, lit)
        case .isIn(let c, let lits):
            var r = OracleTruth.f
            for l in lits { r = OracleTruth.or(r, RowOracle.compare(row[c], .equal, l)) }
            return r
        case .isNull(let c): return row[c] == .null ? .t : .f
        case .isNotNull(let c): return row[c] == .null ? .f : .t
        case .and(let ps): return ps.reduce(.t) { OracleTruth.and($0, $1.eval(row)) }
        case .or(let ps): return ps.reduce(.f) { OracleTruth.or($0, $1.eval(row)) }
        case .not(let p): return p.eval(row).not
        }
    }
}

enum RowOracle {
    static func compare(_ v: OracleValue, _ op: ComparisonOperator, _ l: OracleValue) -> OracleTruth {
        let c: Int
        switch (v, l) {
        case (.null, _), (_, .null): return .u
        case (.bool(let a), .bool(let b)): c = a == b ? 0 : (a ? 1 : -1)
        case (.exact(let a), .exact(let b)): c = compareDecimalText(a, b)
        case (.float(let a), .float(let b)):
            // NaN equals NaN and sorts above everything; -0 == +0.
            if a.isNaN || b.isNaN {
                c = a.isNaN && b.isNaN ? 0 : (a.isNaN ? 1 : -1)
            } else {
                c = a == b ? 0 : (a < b ? -1 : 1)
            }
        case (.bytes(let a), .bytes(let b)): c = a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
        default: fatalError("oracle compares \(v) with \(l)")
        }
        let holds: Bool =
            switch op {
            case .equal: c == 0
            case .notEqual: c != 0
            case .less: c < 0
            case .lessOrEqual: c <= 0
            case .greater: c > 0
            case .greaterOrEqual: c >= 0
            }
        return holds ? .t : .f
    }

    /// Compares plain decimal texts (`-12.340`, `7`, `.5`), digit by digit.
    static func compareDecimalText(_ a: String, _ b: String) -> Int {
        func parts(_ s: String) -> (neg: Bool, int: [Character], frac: [Character]) {
            var t = Substring(s)
            var neg = false
            if t.first == "-" { neg = true; t = t.dropFirst() }
            let pieces = t.split(separator: ".", omittingEmptySubsequences: false)
            var i = Array(pieces[0])
            while i.first == "0" { i.removeFirst() }
            var f = pieces.count > 1 ? Array(pieces[1]) : []
            while f.last == "0" { f.removeLast() }
            if i.isEmpty && f.isEmpty { neg = false }
            return (neg, i, f)
        }
        func magnitude(_ x: (int: [Character], frac: [Character]), _ y: (int: [Character], frac: [Character])) -> Int {
            if x.int.count != y.int.count { return x.int.count < y.int.count ? -1 : 1 }
            for (p, q) in zip(x.int, y.int) where p != q { return p < q ? -1 : 1 }
            for k in 0..<max(x.frac.count, y.frac.count) {
                let p = k < x.frac.count ? x.frac[k] : "0", q = k < y.frac.count ? y.frac[k] : "0"
                if p != q { return p < q ? -1 : 1 }
            }
            return 0
        }
        let x = parts(a), y = parts(b)
        if x.neg != y.neg { return x.neg ? -1 : 1 }
        let m = magnitude((x.int, x.frac), (y.int, y.frac))
        return x.neg ? -m : m
    }

    /// `unscaled × 10^-scale` as plain decimal text.
    static func decimalText(_ unscaled: Int64, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (unscaled < 0 ? "-" : "") + digits
    }
}

/// A random batch over every comparable type, its rows as plain values, and matching pairs of
/// random predicates and oracle predicates.
struct OracleTable {
    /// How one column is generated, stored and written as literals.
    enum Kind {
        case int32, uint16, int64, uint64, float, double, string, binary, bool
        case date, timestamp(TimeUnit), decimal(scale: Int, PhysicalType)
        case member  // addr.city: a string under a nullable struct
    }

    static let columns: [(name: String, kind: Kind)] = [
        ("i32", .int32), ("u16", .uint16), ("i64", .int64), ("u64", .uint64), ("f", .float), ("d", .double),
        ("s", .string), ("bin", .binary), ("b", .bool), ("day", .date), ("ts", .timestamp(.micros)),
        ("tsn", .timestamp(.nanos)), ("dec", .decimal(scale: 2, .int32)), ("dec18", .decimal(scale: 4, .int64)),
        ("decf", .decimal(scale: 3, .fixedLenByteArray)), ("decb", .decimal(scale: 1, .byteArray)),
        ("addr.city", .member),
    ]

    static let schema = ParquetSchema([
        .int32("i32"),
        .primitive("u16", .int32, logical: .integer(bitWidth: 16, isSigned: false)),
        .int64("i64"),
        .primitive("u64", .int64, logical: .integer(bitWidth: 64, isSigned: false)),
        .float("f"), .double("d"), .string("s"), .binary("bin"), .boolean("b"), .date("day"),
        .timestamp("ts", unit: .micros),
        .primitive("tsn", .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .nanos)),
        .decimal("dec", precision: 9, scale: 2),
        .decimal("dec18", precision: 18, scale: 4),
        .decimal("decf", precision: 30, scale: 3),
        .decimal("decb", precision: 25, scale: 1, physical: .byteArray),
        .structure("addr", [.string("city")]),
    ])

    var batch: RecordBatch
    var rows: [[OracleValue]]
    /// Stored integers per column (for literals drawn from the data).
    var stored: [[Int64?]]

    static let intPool: [Int64] = [-3, -2, -1, 0, 1, 2, 3, 100]
    static let stringPool = ["", "a", "ab", "b", "B", "é", "ab\u{0}", "zz"]
    static let floatPool: [Double] = [0, -0.0, 0.1, 1.5, -2.25, .infinity, -.infinity, .nan, 3.4e38]

    static func random(rows n: Int, _ rng: inout SplitMix) -> OracleTable {
        var rows = [[OracleValue]](repeating: [], count: n)
        var stored: [[Int64?]] = []
        var columns: [Column] = []
        var structValid: [Bool] = []
        for (_, kind) in Self.columns {
            var validity: [Bool] = []
            var ints: [Int64?] = []
            for r in 0..<n {
                let isNull = Int.random(in: 0..<5, using: &rng) == 0
                if case .member = kind, !structValid[r] { validity.append(false); ints.append(nil); continue }
                validity.append(!isNull)
                ints.append(isNull ? nil : randomStored(kind, &rng))
            }
            stored.append(ints)
            var plain: [OracleValue] = []
            let data: ColumnData
            switch kind {
            case .int32, .uint16, .date:
                data = .int32(ints.map { Int32(truncatingIfNeeded: $0 ?? 0) })
                plain = ints.map { $0.map { .exact(String($0)) } ?? .null }
            case .int64, .timestamp:
                data = .int64(ints.map { $0 ?? 0 })
                plain = ints.map { $0.map { .exact(String($0)) } ?? .null }
            case .uint64:
                data = .int64(ints.map { $0 ?? 0 })
                plain = ints.map { $0.map { .exact(String(UInt64(bitPattern: $0))) } ?? .null }
            case .float:
                let fs = ints.map { $0.map { Float(floatPool[Int($0)]) } ?? 0 }
                data = .float(fs)
                plain = zip(ints, fs).map { $0 == nil ? .null : .float(Double($1)) }
            case .double:
                data = .double(ints.map { $0.map { floatPool[Int($0)] } ?? 0 })
                plain = ints.map { $0.map { .float(floatPool[Int($0)]) } ?? .null }
            case .string, .member:
                data = .byteArray(ByteArrayValues(strings: ints.map { $0.map { stringPool[Int($0)] } ?? "" }))
                plain = ints.map { $0.map { .bytes(Array(stringPool[Int($0)].utf8)) } ?? .null }
            case .binary:
                data = .byteArray(ByteArrayValues(arrays: ints.map { $0.map(binary) ?? [] }))
                plain = ints.map { $0.map { .bytes(binary($0)) } ?? .null }
            case .bool:
                data = .boolean(ints.map { $0 == 1 })
                plain = ints.map { $0.map { .bool($0 == 1) } ?? .null }
            case .decimal(let scale, let physical):
                switch physical {
                case .int32: data = .int32(ints.map { Int32(truncatingIfNeeded: $0 ?? 0) })
                case .int64: data = .int64(ints.map { $0 ?? 0 })
                case .fixedLenByteArray:
                    var v = FixedByteArrayValues(width: 13)
                    for x in ints { v.append(PredicateEvaluationTests.fixed(x ?? 0, width: 13)) }
                    data = .fixedByteArray(v)
                default:
                    data = .byteArray(ByteArrayValues(arrays: ints.map { minimalBigEndian($0 ?? 0) }))
                }
                plain = ints.map { $0.map { .exact(RowOracle.decimalText($0, scale: scale)) } ?? .null }
            }
            for r in 0..<n { rows[r].append(plain[r]) }
            let column = Column(data, validity: validity.contains(false) ? validity : nil)
            if case .member = kind {
                columns.append(Column(.structure([column]), validity: structValid.contains(false) ? structValid : nil))
            } else {
                columns.append(column)
            }
            if columns.count == Self.columns.count - 1 {
                structValid = (0..<n).map { _ in Int.random(in: 0..<4, using: &rng) != 0 }
            }
        }
        return OracleTable(
            batch: RecordBatch(schema: schema, columns: columns, rowCount: n), rows: rows, stored: stored)
    }

    static func binary(_ v: Int64) -> [UInt8] { Array(stringPool[Int(v)].utf8) }

    /// A stored value: pool indices for floats, strings, binary; integers otherwise.
    static func randomStored(_ kind: Kind, _ rng: inout SplitMix) -> Int64 {
        switch kind {
        case .int32:
            return [intPool.randomElement(using: &rng)!, Int64(Int32.min), Int64(Int32.max)].randomElement(using: &rng)!
        case .uint16: return [0, 1, 2, 3, 65535, 40000].randomElement(using: &rng)!
        case .int64, .timestamp, .date:
            let base: Int64 = if case .date = kind { 19_000 } else { 1_700_000_000_000_000 }
            return [
                intPool.randomElement(using: &rng)!, base + intPool.randomElement(using: &rng)!,
                -base - 1,
            ].randomElement(using: &rng)!
        case .uint64: return [0, 1, 2, -1, -2, Int64.min, Int64.max].randomElement(using: &rng)!
        case .float, .double: return Int64.random(in: 0..<Int64(floatPool.count), using: &rng)
        case .string, .binary, .member: return Int64.random(in: 0..<Int64(stringPool.count), using: &rng)
        case .bool: return Int64.random(in: 0...1, using: &rng)
        case .decimal(_, let p):
            let big: Int64 = p == .int32 ? 999_999_999 : 999_999_999_999_999_999
            return [intPool.randomElement(using: &rng)!, 1250, -1250, big, -big].randomElement(using: &rng)!
        }
    }

    /// A literal for column `c` (often one of the stored values), with its oracle value.
    func randomLiteral(_ c: Int, _ rng: inout SplitMix) -> (Predicate.Literal, OracleValue) {
        if Int.random(in: 0..<12, using: &rng) == 0 { return (.null, .null) }
        let kind = Self.columns[c].kind
        let present = stored[c].compactMap { $0 }
        let v =
            present.isEmpty || Bool.random(using: &rng)
            ? Self.randomStored(kind, &rng) : present.randomElement(using: &rng)!
        /// A random fraction appended to integer text: the literal then lies between stored values.
        func fraction() -> String { Bool.random(using: &rng) ? "" : "." + String(Int.random(in: 0...999, using: &rng)) }
        switch kind {
        case .int32, .int64, .uint16:
            let t = String(v) + fraction()
            return (.number(t), .exact(t))
        case .uint64:
            let t = String(UInt64(bitPattern: v)) + fraction()
            return (.number(t), .exact(t))
        case .date:
            if Bool.random(using: &rng) {
                var out: [UInt8] = []
                TemporalText.appendDate(days: v, to: &out)
                return (.string(String(decoding: out, as: UTF8.self)), .exact(String(v)))
            }
            return (.number(String(v)), .exact(String(v)))
        case .timestamp(let unit):
            if Bool.random(using: &rng) {
                var out: [UInt8] = []
                TemporalText.appendTimestamp(v, unit: unit, utc: unit == .micros, to: &out)
                return (.string(String(decoding: out, as: UTF8.self)), .exact(String(v)))
            }
            let t = String(v) + fraction()
            return (.number(t), .exact(t))
        case .decimal(let scale, _):
            var t = RowOracle.decimalText(v, scale: scale)
            if Bool.random(using: &rng) {
                t += (t.contains(".") ? "" : ".") + String(Int.random(in: 0...9, using: &rng))
            }
            return (Bool.random(using: &rng) ? .number(t) : .string(t), .exact(t))
        case .float, .double:
            let d = Self.floatPool[Int(v)]
            let plain: OracleValue = .float(kindIsFloat(kind) ? Double(Float(d)) : d)
            if d.isNaN { return (.string("NaN"), plain) }
            if d.isInfinite { return (.string(d < 0 ? "-Infinity" : "Infinity"), plain) }
            return (.number(kindIsFloat(kind) ? Float(d).description : d.description), plain)
        case .string, .member:
            return (.string(Self.stringPool[Int(v)]), .bytes(Array(Self.stringPool[Int(v)].utf8)))
        case .binary:
            return (.string(Base64.encode(Self.binary(v))), .bytes(Self.binary(v)))
        case .bool:
            return (.bool(v == 1), .bool(v == 1))
        }
    }

    private func kindIsFloat(_ k: Kind) -> Bool { if case .float = k { true } else { false } }

    func randomPredicate(_ rng: inout SplitMix, depth: Int) -> (Predicate, OraclePredicate) {
        let c = Int.random(in: 0..<Self.columns.count, using: &rng)
        let name = Self.columns[c].name
        switch Int.random(in: 0..<(depth >= 2 ? 5 : 8), using: &rng) {
        case 0, 1, 2:
            let op = ComparisonOperator.allCases.randomElement(using: &rng)!
            let (l, o) = randomLiteral(c, &rng)
            return (.compare(column: name, op, l), .compare(c, op, o))
        case 3:
            let lits = (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomLiteral(c, &rng) }
            return (.isIn(column: name, lits.map(\.0)), .isIn(c, lits.map(\.1)))
        case 4:
            return Bool.random(using: &rng)
                ? (.isNull(column: name), .isNull(c)) : (.isNotNull(column: name), .isNotNull(c))
        case 5, 6:
            let parts = (0..<Int.random(in: 2...3, using: &rng)).map { _ in randomPredicate(&rng, depth: depth + 1) }
            return Bool.random(using: &rng)
                ? (.and(parts.map(\.0)), .and(parts.map(\.1))) : (.or(parts.map(\.0)), .or(parts.map(\.1)))
        default:
            let (p, o) = randomPredicate(&rng, depth: depth + 1)
            return (.not(p), .not(o))
        }
    }
}
