import Testing
import PropertyBased
@testable import LakeCore

@Suite struct ValueTextFormatterTests {
    private func json(
        _ field: ParquetField, _ data: ColumnData, at i: Int = 0, validity: [Bool]? = nil
    ) throws -> String {
        try ValueFormatter(field: field).json(Column(data, validity: validity), at: i)
    }

    private func text(_ field: ParquetField, _ data: ColumnData, at i: Int = 0) throws -> String {
        var out: [UInt8] = []
        try ValueFormatter(field: field).appendText(Column(data), at: i, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Dates

    static let dateCases: [(Int32, String)] = [
        (0, "1970-01-01"), (-1, "1969-12-31"), (59, "1970-03-01"), (11016, "2000-02-29"), (11017, "2000-03-01"),
        (-25509, "1900-02-28"), (-25508, "1900-03-01"), (19782, "2024-02-29"), (-719_162, "0001-01-01"),
        (2_932_896, "9999-12-31"), (2_932_897, "+010000-01-01"), (-719_163, "+000000-12-31"),
        (-719_528, "+000000-01-01"), (-719_529, "-000001-12-31"), (-141_427, "1582-10-15"),
        (Int32.max, "+5881580-07-11"), (Int32.min, "-5877641-06-23"),
    ]

    @Test(arguments: ValueTextFormatterTests.dateCases)
    func dates(_ days: Int32, _ expected: String) throws {
        #expect(try json(.date("d"), .int32([days])) == "\"\(expected)\"")
        #expect(try text(.date("d"), .int32([days])) == expected)
        var t = expected
        let back = try t.withUTF8 { b in try TemporalText.parseDate(UnsafeRawBufferPointer(b)) }
        #expect(back == Int64(days))
    }

    @Test func calendarRoundTripsOverARangeOfDays() async {
        await propertyCheck(count: 500, input: Gen<Int64>.value(in: -100_000_000_000...100_000_000_000)) { days in
            let (y, m, d) = TemporalText.civil(fromDays: days)
            #expect(m >= 1 && m <= 12 && d >= 1 && d <= TemporalText.daysInMonth(year: y, month: m))
            #expect(TemporalText.days(year: y, month: m, day: d) == days)
            let (y2, m2, d2) = TemporalText.civil(fromDays: days + 1)
            #expect(
                (y2, m2, d2)
                    == (d < TemporalText.daysInMonth(year: y, month: m)
                        ? (y, m, d + 1) : m < 12 ? (y, m + 1, 1) : (y + 1, 1, 1)))
        }
    }

    @Test func leapYears() {
        #expect(TemporalText.isLeapYear(2000))
        #expect(TemporalText.isLeapYear(2024))
        #expect(!TemporalText.isLeapYear(1900))
        #expect(!TemporalText.isLeapYear(2023))
        #expect(TemporalText.isLeapYear(0))
        #expect(TemporalText.isLeapYear(-4))
        #expect(!TemporalText.isLeapYear(-100))
    }

    // MARK: Timestamps and times

    static let timestampCases: [(TimeUnit, Bool, Int64, String)] = [
        (.millis, true, 0, "1970-01-01T00:00:00.000Z"),
        (.millis, true, -1, "1969-12-31T23:59:59.999Z"),
        (.millis, true, 1_709_208_000_123, "2024-02-29T12:00:00.123Z"),
        (.micros, true, -1, "1969-12-31T23:59:59.999999Z"),
        (.micros, false, 951_782_400_000_001, "2000-02-29T00:00:00.000001"),
        (.micros, true, -62_135_596_800_000_000, "0001-01-01T00:00:00.000000Z"),
        (.nanos, true, 1, "1970-01-01T00:00:00.000000001Z"),
        (.nanos, true, -86_400_000_000_001, "1969-12-30T23:59:59.999999999Z"),
        (.nanos, true, Int64.max, "2262-04-11T23:47:16.854775807Z"),
        (.nanos, true, Int64.min, "1677-09-21T00:12:43.145224192Z"),
        (.micros, true, Int64.min, "-290308-12-21T19:59:05.224192Z"),
        (.millis, false, Int64.max, "+292278994-08-17T07:12:55.807"),
    ]

    @Test(arguments: ValueTextFormatterTests.timestampCases)
    func timestamps(_ unit: TimeUnit, _ utc: Bool, _ value: Int64, _ expected: String) throws {
        let f = ParquetField.primitive("t", .int64, logical: .timestamp(isAdjustedToUTC: utc, unit: unit))
        #expect(try json(f, .int64([value])) == "\"\(expected)\"")
        var t = expected
        let back = try t.withUTF8 { b in
            try TemporalText.parseTimestamp(UnsafeRawBufferPointer(b), unit: unit, utc: utc)
        }
        #expect(back == value)
    }

    @Test func int96IsANanosecondUTCTimestamp() throws {
        let f = ParquetField.primitive("t", .int96)
        #expect(try json(f, .int64([1_000_000_001])) == "\"1970-01-01T00:00:01.000000001Z\"")
    }

    @Test func convertedTimestampsAreUTC() throws {
        let f = ParquetField(
            name: "t", repetition: .optional,
            kind: .primitive(.int64, typeLength: nil, logical: nil, converted: .timestampMillis))
        #expect(try json(f, .int64([1])) == "\"1970-01-01T00:00:00.001Z\"")
    }

    @Test func times() throws {
        let millis = ParquetField.primitive("t", .int32, logical: .time(isAdjustedToUTC: false, unit: .millis))
        #expect(try json(millis, .int32([45_296_789])) == "\"12:34:56.789\"")
        #expect(try json(millis, .int32([0])) == "\"00:00:00.000\"")
        let micros = ParquetField.primitive("t", .int64, logical: .time(isAdjustedToUTC: true, unit: .micros))
        #expect(try json(micros, .int64([86_399_999_999])) == "\"23:59:59.999999\"")
        let nanos = ParquetField.primitive("t", .int64, logical: .time(isAdjustedToUTC: false, unit: .nanos))
        #expect(try json(nanos, .int64([1])) == "\"00:00:00.000000001\"")
        // Out-of-range (invalid) values print without failing.
        #expect(try json(millis, .int32([-1])) == "\"-00:00:00.001\"")
        #expect(try json(millis, .int32([90_000_000])) == "\"25:00:00.000\"")
    }

    // MARK: Decimals

    @Test func decimalsFromInt32AndInt64() throws {
        let d32 = ParquetField.decimal("d", precision: 9, scale: 2)
        #expect(try json(d32, .int32([-12340])) == "\"-123.40\"")
        #expect(try json(d32, .int32([5])) == "\"0.05\"")
        #expect(try json(d32, .int32([-5])) == "\"-0.05\"")
        #expect(try json(d32, .int32([0])) == "\"0.00\"")
        #expect(try json(d32, .int32([Int32.min])) == "\"-21474836.48\"")
        #expect(try text(d32, .int32([100])) == "1.00")
        let d0 = ParquetField.decimal("d", precision: 5, scale: 0)
        #expect(try json(d0, .int32([7])) == "\"7\"")
        #expect(try json(d0, .int32([-7])) == "\"-7\"")
        let d64 = ParquetField.decimal("d", precision: 18, scale: 4)
        #expect(try json(d64, .int64([Int64.min])) == "\"-922337203685477.5808\"")
        #expect(try json(d64, .int64([999_999_999_999_999_999])) == "\"99999999999999.9999\"")
        let d18 = ParquetField.decimal("d", precision: 18, scale: 18)
        #expect(try json(d18, .int64([1])) == "\"0.000000000000000001\"")
    }

    @Test func decimalsFromSixteenByteTwosComplement() throws {
        let f = ParquetField.decimal("d", precision: 38, scale: 10)
        #expect(f.physicalType == .fixedLenByteArray)
        #expect(f.isPrimitive)
        let maxBytes = bigEndian16("99999999999999999999999999999999999999")
        #expect(
            try json(f, .fixedByteArray(FixedByteArrayValues(width: 16, bytes: maxBytes)))
                == "\"9999999999999999999999999999.9999999999\"")
        let minBytes = bigEndian16("-99999999999999999999999999999999999999")
        #expect(
            try json(f, .fixedByteArray(FixedByteArrayValues(width: 16, bytes: minBytes)))
                == "\"-9999999999999999999999999999.9999999999\"")
        let minusOne = [UInt8](repeating: 0xFF, count: 16)
        #expect(try json(f, .fixedByteArray(FixedByteArrayValues(width: 16, bytes: minusOne))) == "\"-0.0000000001\"")
        // -2^127: the most negative 16-byte value.
        let most = [0x80] + [UInt8](repeating: 0, count: 15)
        let f0 = ParquetField.decimal("d", precision: 39, scale: 0, physical: .fixedLenByteArray)
        #expect(
            try json(f0, .fixedByteArray(FixedByteArrayValues(width: 17, bytes: [0xFF] + most)))
                == "\"-170141183460469231731687303715884105728\"")
        // 10^20 exactly: digits across a 10^9 chunk boundary with inner zeros.
        let tenTo20: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x05, 0x6B, 0xC7, 0x5E, 0x2D, 0x63, 0x10, 0x00, 0x00]
        let fs = ParquetField.decimal("d", precision: 38, scale: 0)
        #expect(
            try json(fs, .fixedByteArray(FixedByteArrayValues(width: 16, bytes: tenTo20)))
                == "\"100000000000000000000\"")
    }

    @Test func decimalsFromByteArrays() throws {
        let f = ParquetField.decimal("d", precision: 20, scale: 3, physical: .byteArray)
        #expect(try json(f, .byteArray(ByteArrayValues(arrays: [[0x80]]))) == "\"-0.128\"")
        #expect(try json(f, .byteArray(ByteArrayValues(arrays: [[]]))) == "\"0.000\"")
        #expect(try json(f, .byteArray(ByteArrayValues(arrays: [[0x00, 0xFF]]))) == "\"0.255\"")
        #expect(
            try json(f, .byteArray(ByteArrayValues(arrays: [[0x01] + [UInt8](repeating: 0, count: 9)])))
                == "\"4722366482869645213.696\"")
    }

    @Test func decimalTextRoundTripsThroughBytes() async {
        await propertyCheck(count: 300, input: Gen<Int64>.value(), Gen<UInt64>.value(), Gen.int(in: 0...38)) {
            hi, lo, scale in
            var bytes: [UInt8] = []
            for k in (0..<8).reversed() { bytes.append(UInt8(truncatingIfNeeded: hi >> (8 * Int64(k)))) }
            for k in (0..<8).reversed() { bytes.append(UInt8(truncatingIfNeeded: lo >> (8 * UInt64(k)))) }
            var text: [UInt8] = []
            bytes.withUnsafeBytes { DecimalText.appendDecimal(bigEndian: $0, scale: scale, to: &text) }
            let d = try text.withUnsafeBytes { try UnscaledDecimal(parsing: $0, precision: 39, scale: scale) }
            var back: [UInt8] = []
            #expect(d.appendBigEndian(width: 16, to: &back))
            #expect(back == bytes, "\(String(decoding: text, as: UTF8.self))")
        }
    }

    @Test func decimalParsing() throws {
        func parse(_ s: String, _ p: Int, _ sc: Int) throws(TextValueError) -> Int64? {
            var t = s
            return try t.withUTF8 { b in
                Result { () throws(TextValueError) in
                    try UnscaledDecimal(parsing: UnsafeRawBufferPointer(b), precision: p, scale: sc)
                }
            }.get().int64
        }
        #expect(try parse("-123.4", 9, 2) == -12340)
        #expect(try parse("7", 5, 0) == 7)
        #expect(try parse("1.50", 5, 1) == 15)
        #expect(try parse("1.5e2", 5, 0) == 150)
        #expect(try parse("-0.00", 5, 2) == 0)
        #expect(try parse("0.000", 1, 0) == 0)
        #expect(throws: TextValueError.self) { _ = try parse("1.55", 5, 1) }
        #expect(throws: TextValueError.self) { _ = try parse("123456", 5, 0) }
        #expect(throws: TextValueError.self) { _ = try parse("1000.0", 5, 2) }
        #expect(throws: TextValueError.self) { _ = try parse("abc", 5, 0) }
        #expect(throws: TextValueError.self) { _ = try parse(".5", 5, 1) }
        #expect(throws: TextValueError.self) { _ = try parse("1e999999", 5, 0) }
        #expect(try parse("99999.99", 7, 2) == 9_999_999)
    }

    @Test func decimalFastPathAgreesWithTheGeneralParser() async {
        func fast(_ s: String, _ p: Int, _ sc: Int) -> Int64? {
            var t = s
            return t.withUTF8 { DecimalText.parseUnscaledInt64(UnsafeRawBufferPointer($0), precision: p, scale: sc) }
        }
        #expect(fast("-123.4", 9, 2) == -12340)
        #expect(fast("0.50", 3, 1) == 5)
        #expect(fast("007", 1, 0) == 7)
        #expect(fast("999999999999999999", 18, 0) == 999_999_999_999_999_999)
        #expect(fast("1.55", 5, 1) == nil)
        #expect(fast("1e2", 5, 0) == nil)
        #expect(fast("123456", 5, 0) == nil)
        #expect(fast("-", 5, 0) == nil)
        #expect(fast("1.", 5, 0) == nil)
        #expect(fast("1", 19, 0) == nil)
        await propertyCheck(
            count: 300, input: Gen<Int64>.value(in: -999_999_999_999...999_999_999_999), Gen.int(in: 0...6),
            Gen.int(in: 0...6)
        ) { v, digits, scale in
            // v with `digits` fraction digits, read at `scale`.
            let text = DecimalTextTestSupport.text(v, fractionDigits: digits)
            var t = text
            let general = try? t.withUTF8 { b in
                try Result { () throws(TextValueError) in
                    try UnscaledDecimal(parsing: UnsafeRawBufferPointer(b), precision: 18, scale: scale)
                }.get()
            }
            #expect(fast(text, 18, scale) == general?.int64, "\(text) at scale \(scale)")
        }
    }

    // MARK: Other leaves

    @Test func integersSignedAndUnsigned() throws {
        #expect(try json(.int32("i"), .int32([Int32.min])) == "-2147483648")
        #expect(try json(.int64("i"), .int64([Int64.max])) == "9223372036854775807")
        let u32 = ParquetField.primitive("u", .int32, logical: .integer(bitWidth: 32, isSigned: false))
        #expect(try json(u32, .int32([-1])) == "4294967295")
        let u64 = ParquetField.primitive("u", .int64, logical: .integer(bitWidth: 64, isSigned: false))
        #expect(try json(u64, .int64([-1])) == "18446744073709551615")
        let u8 = ParquetField(
            name: "u", repetition: .optional, kind: .primitive(.int32, typeLength: nil, logical: nil, converted: .uint8)
        )
        #expect(try json(u8, .int32([255])) == "255")
    }

    @Test func floatsAndNonFiniteStrings() throws {
        #expect(try json(.double("d"), .double([0.1])) == "0.1")
        #expect(try json(.double("d"), .double([.nan])) == "\"NaN\"")
        #expect(try text(.double("d"), .double([.nan])) == "NaN")
        #expect(try json(.float("f"), .float([-.infinity])) == "\"-Infinity\"")
        #expect(try json(.float("f"), .float([1.1])) == "1.1")
        let h = ParquetField.primitive("h", .fixedLenByteArray, logical: .float16, typeLength: 2)
        #expect(try json(h, .fixedByteArray(FixedByteArrayValues(width: 2, bytes: [0x66, 0x2E]))) == "0.1")
        #expect(try json(h, .fixedByteArray(FixedByteArrayValues(width: 2, bytes: [0x00, 0x7C]))) == "\"Infinity\"")
        #expect(try json(h, .fixedByteArray(FixedByteArrayValues(width: 2, bytes: [0x00, 0xBC]))) == "-1.0")
        #expect(HalfFloat.float(fromBits: 0x0001) == 0x1p-24)
        #expect(HalfFloat.bits(rounding: 65504) == 0x7BFF)
        #expect(HalfFloat.bits(rounding: 65520) == nil)
        #expect(HalfFloat.bits(rounding: 0x1p-25) == 0)
        #expect(HalfFloat.bits(rounding: 0x1.8p-25) == 1)
        #expect(HalfFloat.bits(rounding: 0.1) == 0x2E66)
    }

    @Test func stringsAndBinary() throws {
        #expect(try json(.string("s"), .byteArray(ByteArrayValues(strings: ["a\"b\n"]))) == "\"a\\\"b\\n\"")
        #expect(try text(.string("s"), .byteArray(ByteArrayValues(strings: ["a\"b"]))) == "a\"b")
        #expect(try json(.binary("b"), .byteArray(ByteArrayValues(arrays: [[0xFB, 0xFF]]))) == "\"+/8=\"")
        #expect(try json(.binary("b"), .byteArray(ByteArrayValues(arrays: [[]]))) == "\"\"")
        #expect(try json(.binary("b"), .byteArray(ByteArrayValues(arrays: [Array("foobar".utf8)]))) == "\"Zm9vYmFy\"")
        #expect(try json(.binary("b"), .byteArray(ByteArrayValues(arrays: [Array("fooba".utf8)]))) == "\"Zm9vYmE=\"")
        #expect(try json(.binary("b"), .byteArray(ByteArrayValues(arrays: [Array("foob".utf8)]))) == "\"Zm9vYg==\"")
        #expect(
            try json(
                .fixedBinary("f", width: 3),
                .fixedByteArray(FixedByteArrayValues(width: 3, bytes: [1, 2, 3, 4, 5, 6])), at: 1) == "\"BAUG\"")
        let uuid = ParquetField.primitive("u", .fixedLenByteArray, logical: .uuid, typeLength: 16)
        #expect(
            try json(uuid, .fixedByteArray(FixedByteArrayValues(width: 16, bytes: Array(0..<16))))
                == "\"AAECAwQFBgcICQoLDA0ODw==\"")
        let e = ParquetField.primitive("e", .byteArray, logical: .enum)
        #expect(try json(e, .byteArray(ByteArrayValues(strings: ["RED"]))) == "\"RED\"")
    }

    @Test func base64Decoding() throws {
        func decode(_ s: String) throws(TextValueError) -> [UInt8] {
            var out: [UInt8] = []
            var t = s
            try t.withUTF8 { b in
                Result { () throws(TextValueError) in try Base64.decode(UnsafeRawBufferPointer(b), appendingTo: &out) }
            }.get()
            return out
        }
        #expect(try decode("Zm9vYmFy") == Array("foobar".utf8))
        #expect(try decode("Zm9vYg==") == Array("foob".utf8))
        #expect(try decode("Zm9vYg") == Array("foob".utf8))
        #expect(try decode("") == [])
        #expect(throws: TextValueError.self) { _ = try decode("Zm9v YmFy") }
        #expect(throws: TextValueError.self) { _ = try decode("Zm9vY") }
        #expect(throws: TextValueError.self) { _ = try decode("Zm9vYh==") }
        #expect(throws: TextValueError.self) { _ = try decode("Zm=9") }
    }

    // MARK: Nesting

    @Test func nestedListsMapsAndStructs() throws {
        let list = ParquetField.list("tags", element: .string("e"))
        let elements = Column(.byteArray(ByteArrayValues(strings: ["a", "", "b"])), validity: [true, false, true])
        let col = Column(.list(offsets: [0, 2, 2, 3, 3], element: elements), validity: [true, true, true, false])
        let f = ValueFormatter(field: list)
        #expect(try f.json(col, at: 0) == "[\"a\",null]")
        #expect(try f.json(col, at: 1) == "[]")
        #expect(try f.json(col, at: 3) == "null")
        var out: [UInt8] = []
        try f.appendText(col, at: 0, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[\"a\",null]")

        let map = ParquetField.map("m", key: .string("k"), value: .int64("v"))
        let mcol = Column(
            .map(
                offsets: [0, 2], keys: Column(.byteArray(ByteArrayValues(strings: ["x", "y"]))),
                values: Column(.int64([1, 0]), validity: [true, false])))
        #expect(
            try ValueFormatter(field: map).json(mcol, at: 0)
                == "[{\"key\":\"x\",\"value\":1},{\"key\":\"y\",\"value\":null}]")

        let st = ParquetField.structure("s", [.int32("a", nullable: false), .list("b", element: .date("d"))])
        let scol = Column(
            .structure([Column(.int32([1])), Column(.list(offsets: [0, 1], element: Column(.int32([0]))))]))
        #expect(try ValueFormatter(field: st).json(scol, at: 0) == "{\"a\":1,\"b\":[\"1970-01-01\"]}")
    }

    @Test func legacyListsAndRepeatedFields() throws {
        let repeated = ParquetField(
            name: "r", repetition: .repeated, kind: .primitive(.int32, typeLength: nil, logical: nil, converted: nil))
        let col = Column(.list(offsets: [0, 2], element: Column(.int32([4, 5]))))
        #expect(try ValueFormatter(field: repeated).json(col, at: 0) == "[4,5]")
        // 2-level list: the repeated child is the element.
        let twoLevel = ParquetField(
            name: "l", repetition: .optional,
            kind: .group(
                [
                    ParquetField(
                        name: "array", repetition: .repeated,
                        kind: .primitive(.byteArray, typeLength: nil, logical: .string, converted: .utf8))
                ], logical: .list, converted: .list))
        let strings = Column(.list(offsets: [0, 1], element: Column(.byteArray(ByteArrayValues(strings: ["x"])))))
        #expect(try ValueFormatter(field: twoLevel).json(strings, at: 0) == "[\"x\"]")
        // A repeated group with two children is a struct element.
        let structs = ParquetField(
            name: "l", repetition: .optional,
            kind: .group(
                [
                    ParquetField(
                        name: "item", repetition: .repeated,
                        kind: .group([.int32("a"), .int32("b")], logical: nil, converted: nil))
                ], logical: .list, converted: .list))
        let sc = Column(
            .list(offsets: [0, 1], element: Column(.structure([Column(.int32([1])), Column(.int32([2]))]))))
        #expect(try ValueFormatter(field: structs).json(sc, at: 0) == "[{\"a\":1,\"b\":2}]")
    }

    @Test func mismatchedStorageIsAnErrorNotACrash() {
        #expect(throws: LakeError.self) { _ = try json(.string("s"), .int32([1])) }
        #expect(throws: LakeError.self) { _ = try json(.list("l", element: .int32("e")), .int32([1])) }
        #expect(throws: LakeError.self) { _ = try json(.int32("i"), .int32([1]), at: 3) }
        let bad = Column(.list(offsets: [0, 5], element: Column(.int32([1]))))
        #expect(throws: LakeError.self) {
            _ = try ValueFormatter(field: .list("l", element: .int32("e"))).json(bad, at: 0)
        }
    }

    @Test func statisticsValues() throws {
        let schema = ParquetSchema([
            .int64("i"), .string("s"), .decimal("d", precision: 9, scale: 2), .primitive("t", .int96), .double("x"),
        ])
        #expect(schema.leaves[0].formatPlainValue([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == "-1")
        #expect(schema.leaves[1].formatPlainValue(Array("hi".utf8)) == "\"hi\"")
        #expect(schema.leaves[1].formatPlainValue(Array("hi".utf8), plainText: true) == "hi")
        #expect(schema.leaves[2].formatPlainValue([0x39, 0x30, 0, 0]) == "\"123.45\"")
        // INT96: nanos of day 1_000, Julian day 2440588 (1970-01-01).
        let int96: [UInt8] = [0xE8, 0x03, 0, 0, 0, 0, 0, 0, 0x8C, 0x3D, 0x25, 0x00]
        #expect(schema.leaves[3].formatPlainValue(int96) == "\"1970-01-01T00:00:00.000001000Z\"")
        #expect(schema.leaves[4].formatPlainValue([1, 2, 3]) == nil)
        let stats = Statistics(max: [9], min: [1], maxValue: nil, minValue: [2])
        #expect(stats.displayBounds(sortOrder: .signed).min == [2])
        #expect(stats.displayBounds(sortOrder: .signed).max == [9])
        #expect(stats.displayBounds(sortOrder: .unsigned).max == nil)
    }
}

/// Big-endian 16-byte two's complement of a decimal integer string (test oracle, independent of
/// the code under test: schoolbook ×10 on bytes).
func bigEndian16(_ s: String) -> [UInt8] {
    var negative = false
    var mag = [UInt8](repeating: 0, count: 16)
    for c in s.utf8 {
        if c == UInt8(ascii: "-") { negative = true; continue }
        var carry = Int(c - UInt8(ascii: "0"))
        for k in (0..<16).reversed() {
            let v = Int(mag[k]) * 10 + carry
            mag[k] = UInt8(v & 0xFF)
            carry = v >> 8
        }
    }
    if negative {
        var carry = 1
        for k in (0..<16).reversed() {
            let v = Int(~mag[k]) + carry
            mag[k] = UInt8(v & 0xFF)
            carry = v >> 8
        }
    }
    return mag
}

enum DecimalTextTestSupport {
    /// `v / 10^fractionDigits` written out exactly.
    static func text(_ v: Int64, fractionDigits: Int) -> String {
        var out: [UInt8] = []
        DecimalText.appendDecimal(unscaled: v, scale: fractionDigits, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
