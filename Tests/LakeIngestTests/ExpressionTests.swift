import Testing
@testable import LakeIngest

@Suite struct ExpressionTests {
    /// A string column with nulls.
    static func strings(_ values: [String?]) -> TypedColumn {
        var v = ByteArrayValues()
        for s in values { if let s { v.append(s) } else { v.appendEmpty() } }
        return TypedColumn(Column(.byteArray(v), validity: values.map { $0 != nil }), .string)
    }

    /// Evaluates `text` over the columns and returns the result as canonical JSON values.
    static func eval(
        _ text: String, _ columns: [String: TypedColumn], rows: Int? = nil, as type: ColumnType? = nil
    ) throws -> (values: [String], errors: [Int: String]) {
        let n = rows ?? columns.values.first?.count ?? 1
        var ev = ExpressionEvaluator(rowCount: n, columns: columns)
        let e = try Expression(parsing: text)
        var c = try ev.evaluate(e)
        if let t = type { c = try ev.convert(c, to: t, e) }
        let batch = RecordBatch(schema: ParquetSchema([c.type.field(named: "r")]), columns: [c.column], rowCount: n)
        let values = try jsonRows(batch).map { String($0.dropFirst(5).dropLast()) }
        return (values, ev.rowErrors)
    }

    @Test func sparkSubstringDocumentationExamples() {
        #expect(SparkSubstring.substring("Spark SQL", pos: 5, len: nil) == "k SQL")
        #expect(SparkSubstring.substring("Spark SQL", pos: -3, len: nil) == "SQL")
        #expect(SparkSubstring.substring("Spark SQL", pos: 5, len: 1) == "k")
    }

    @Test(arguments: [
        ("abc", Int64(-1), Int64?(1), "c"), ("abc", -2, 1, "b"), ("abc", -3, 1, "a"),
        ("abc", -4, 2, "a"), ("abc", -5, 2, ""), ("abc", -4, 1, ""),
        ("abc", 0, 2, "ab"), ("abc", 1, 2, "ab"), ("abc", 3, 5, "c"), ("abc", 4, 1, ""),
        ("abc", 2, 0, ""), ("abc", 2, -1, ""), ("", -1, 1, ""), ("7", -2, 1, ""), ("42", -2, 1, "4"),
        ("naïve ☕", 3, 2, "ïv"), ("naïve ☕", -1, 1, "☕"), ("abc", Int64.max, 1, ""), ("abc", 1, Int64.max, "abc"),
        ("abc", Int64.min, Int64.max, "ab"), ("abc", -1, nil, "c"), ("abc", 2, nil, "bc"),
    ])
    func sparkSubstringEdges(_ s: String, _ pos: Int64, _ len: Int64?, _ expected: String) {
        #expect(SparkSubstring.substring(s, pos: pos, len: len) == expected)
    }

    @Test func substrOverColumns() throws {
        let ids = Self.strings(["C000123", "7", nil, "ab"])
        #expect(try Self.eval("substr(id, -1, 1)", ["id": ids]).values == [#""3""#, #""7""#, "null", #""b""#])
        #expect(try Self.eval("substring(id, -2, 1)", ["id": ids]).values == [#""2""#, #""""#, "null", #""a""#])
        // Numbers are substringed as their text.
        let n = TypedColumn(Column(.int64([12345])), .int64)
        #expect(try Self.eval("substr(n, 2, 3)", ["n": n]).values == [#""234""#])
    }

    @Test func caseAndConcat() throws {
        let a = Self.strings(["Hello", "ÄBc", nil])
        let b = Self.strings(["World", nil, "x"])
        #expect(try Self.eval("lower(a)", ["a": a]).values == [#""hello""#, #""äbc""#, "null"])
        #expect(try Self.eval("upper(a)", ["a": a]).values == [#""HELLO""#, #""ÄBC""#, "null"])
        #expect(try Self.eval("concat(a, '-', b)", ["a": a, "b": b]).values == [#""Hello-World""#, "null", "null"])
        #expect(
            try Self.eval("concat_ws('/', a, b)", ["a": a, "b": b]).values == [#""Hello/World""#, #""ÄBc""#, #""x""#])
        #expect(try Self.eval("coalesce(b, a, 'none')", ["a": a, "b": b]).values == [#""World""#, #""ÄBc""#, #""x""#])
        #expect(try Self.eval("coalesce(null, b)", ["b": b]).values == [#""World""#, "null", #""x""#])
    }

    @Test func datesAndTimestamps() throws {
        let s = Self.strings(["2024-03-05", "2024-03-05T23:59:59.123456Z", "bad", nil])
        let d = try Self.eval("to_date(s)", ["s": s])
        #expect(d.values == [#""2024-03-05""#, #""2024-03-05""#, "null", "null"])
        #expect(d.errors.count == 1 && d.errors[2]!.contains("'bad' is not a date"))
        let t = try Self.eval("to_timestamp(s)", ["s": s])
        #expect(t.values == [#""2024-03-05T00:00:00.000000Z""#, #""2024-03-05T23:59:59.123456Z""#, "null", "null"])
        let custom = Self.strings(["05/03/2024 7:08", "31/12/1969 23:59"])
        #expect(
            try Self.eval("to_timestamp(s, 'dd/MM/yyyy H:mm')", ["s": custom]).values
                == [#""2024-03-05T07:08:00.000000Z""#, #""1969-12-31T23:59:00.000000Z""#])
        #expect(
            try Self.eval("date_format(to_timestamp(s, 'dd/MM/yyyy H:mm'), 'yyyy/MM/dd HH:mm:ss.SSS D')", ["s": custom])
                .values
                == [#""2024/03/05 07:08:00.000 65""#, #""1969/12/31 23:59:00.000 365""#])
        #expect(
            try Self.eval("date_format(to_date(s), 'yyyyMMdd')", ["s": s]).values == [
                #""20240305""#, #""20240305""#, "null", "null",
            ])
        #expect(try Self.eval("date_format(s, 'yy-M-d')", ["s": Self.strings(["2009-01-02"])]).values == [#""09-1-2""#])
        // Epoch numbers: seconds, or milliseconds from 10^11 on.
        let epoch = TypedColumn(Column(.int64([1_700_000_000, 1_700_000_000_123])), .int64)
        #expect(
            try Self.eval("to_timestamp(e)", ["e": epoch]).values == [
                #""2023-11-14T22:13:20.000000Z""#, #""2023-11-14T22:13:20.123000Z""#,
            ])
        #expect(throws: LakeError.self) { try Self.eval("date_format(s, 'yyyy-QQ')", ["s": s]) }
        #expect(throws: LakeError.self) {
            try Self.eval("to_date(s, 'yyyy-MM-dd')", ["s": TypedColumn(Column(.boolean([true])), .boolean)])
        }
    }

    @Test func datePatternRoundTrips() throws {
        let p = try DatePattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
        for micros: Int64 in [0, 1, -1, 1_700_000_000_123_456, -62_135_596_800_000_000, 253_402_300_799_999_999] {
            var out: [UInt8] = []
            p.format(micros: micros, to: &out)
            #expect(try out.withUnsafeBytes { try p.parse($0) } == micros, "\(String(decoding: out, as: UTF8.self))")
        }
    }

    @Test func murmur3KnownVectors() {
        func h(_ s: String, _ seed: UInt32) -> UInt32 {
            var s = s
            return s.withUTF8 { Murmur3.hash32(UnsafeRawBufferPointer($0), seed: seed) }
        }
        #expect(h("", 0) == 0)
        #expect(h("", 1) == 0x514E_28B7)
        #expect(h("", 0xFFFF_FFFF) == 0x81F1_6F39)
        #expect(h("The quick brown fox jumps over the lazy dog", 0) == 0x2E4F_F723)
        #expect(h("aaaa", 0x9747_B28C) == 0x5A97_808A)
        #expect(h("a", 0x9747_B28C) == 0x7FA0_9EA6)
        #expect(h("Hello, world!", 0x9747_B28C) == 0x2488_4CBA)
    }

    @Test func hashBucket() throws {
        let ids = Self.strings(["a", "b", "C000001", nil])
        let r = try Self.eval("hash_bucket(id, 16)", ["id": ids])
        #expect(r.values.last == "null")
        for (i, v) in r.values.dropLast().enumerated() {
            let n = try #require(Int(v))
            #expect(n >= 0 && n < 16)
            var s = ["a", "b", "C000001"][i]
            #expect(Int32(n) == s.withUTF8 { Murmur3.bucket(UnsafeRawBufferPointer($0), buckets: 16) })
        }
        #expect(throws: LakeError.self) { try Self.eval("hash_bucket(id, 0)", ["id": ids]) }
    }

    @Test func conversions() throws {
        let s = Self.strings(["12", "x", nil])
        let r = try Self.eval("s", ["s": s], as: .int64)
        #expect(r.values == ["12", "null", "null"])
        #expect(r.errors[1]?.contains("cannot convert 'x' to long") == true)
        let n = TypedColumn(Column(.int64([3, 4_000_000_000])), .int64)
        let i = try Self.eval("n", ["n": n], as: .int32)
        #expect(i.values == ["3", "null"] && i.errors[1] != nil)
        #expect(try Self.eval("n", ["n": n], as: .double).values == ["3.0", "4000000000.0"])
        #expect(try Self.eval("n", ["n": n], as: .string).values == [#""3""#, #""4000000000""#])
        #expect(
            try Self.eval("to_date(s)", ["s": Self.strings(["2024-01-02"])], as: .timestamp(.millis)).values == [
                #""2024-01-02T00:00:00.000Z""#
            ])
        #expect(throws: LakeError.self) { try Self.eval("to_date(s)", ["s": s], as: .int64) }
    }

    @Test func parsing() throws {
        for text in ["substr(id, -1, 1)", "concat(lower(`a b`), '-', 'it''s', 12, 2.5, null, true)", "coalesce(x, y)"] {
            let e = try Expression(parsing: text)
            #expect(try Expression(parsing: e.description) == e)
        }
        #expect(try Expression(parsing: "SUBSTR(id, 1)") == .call("substr", [.column("id"), .literal(.int(1))]))
        #expect(try Expression(parsing: #"concat("a\"b")"#) == .call("concat", [.literal(.string(#"a"b"#))]))
        for bad in ["substr(id)", "nosuch(x)", "substr(id, 1", "'open", "a b", "concat()"] {
            #expect(throws: LakeError.self, "\(bad)") { try Expression(parsing: bad) }
        }
        #expect(throws: LakeError.self) {
            try Self.eval("substr(id, x, 1)", ["id": Self.strings(["a"]), "x": Self.strings(["1"])])
        }
        #expect(throws: LakeError.self) { try Self.eval("lower(missing)", ["id": Self.strings(["a"])]) }
    }
}
