import Testing
@testable import LakeCore
import LakeTestSupport

/// The type rules (docs/tables.md "Column types"): every type a write accepts is stored as one
/// every reader reads, converted without losing a value, or refused before anything is written.
/// The interop suite (`test_types.py`) checks the same matrix against hudi-rs.
@Suite struct TypeRulesTests {
    static func leaf(_ physical: PhysicalType, _ logical: LogicalType? = nil, width: Int32? = nil) -> ParquetField {
        .primitive("v", physical, logical: logical, typeLength: width)
    }

    @Test func storedTypes() {
        let cases: [(ParquetField, ParquetField)] = [
            (Self.leaf(.int32, .integer(bitWidth: 8, isSigned: false)), .int32("v")),
            (Self.leaf(.int32, .integer(bitWidth: 16, isSigned: false)), .int32("v")),
            (Self.leaf(.int32, .integer(bitWidth: 32, isSigned: false)), .int64("v")),
            (Self.leaf(.int64, .integer(bitWidth: 64, isSigned: false)), .decimal("v", precision: 20, scale: 0)),
            (Self.leaf(.int64, .timestamp(isAdjustedToUTC: false, unit: .micros)), .timestamp("v", unit: .micros)),
            (Self.leaf(.int64, .timestamp(isAdjustedToUTC: false, unit: .nanos)), .timestamp("v", unit: .nanos)),
            (Self.leaf(.int96), .timestamp("v", unit: .micros)),
            (Self.leaf(.fixedLenByteArray, .float16, width: 2), .float("v")),
            (Self.leaf(.int32, .unknown), .int32("v")),
            (
                ParquetField(
                    name: "v", repetition: .optional,
                    kind: .primitive(.fixedLenByteArray, typeLength: 12, logical: nil, converted: .interval)),
                .fixedBinary("v", width: 12)
            ),
            (
                Self.leaf(.int32, .decimal(precision: 9, scale: 2)),
                .decimal("v", precision: 9, scale: 2, physical: .fixedLenByteArray)
            ),
        ]
        for (input, stored) in cases {
            #expect(TableSchema.storedField(input) == stored, "\(TableSchema.typeName(input))")
        }
        // Converted types only (no logical annotation) follow the same rules.
        let legacy = ParquetField(
            name: "v", repetition: .optional,
            kind: .primitive(.int32, typeLength: nil, logical: nil, converted: .uint16))
        #expect(TableSchema.storedField(legacy) == .int32("v"))
        // Types every reader reads stay as they are.
        for f: ParquetField in [
            .int32("v"), .string("v"), .date("v"), .timestamp("v", unit: .millis), .binary("v"),
            Self.leaf(.int32, .integer(bitWidth: 8, isSigned: true)), .fixedBinary("v", width: 16),
            .decimal("v", precision: 38, scale: 10), Self.leaf(.int64, .time(isAdjustedToUTC: true, unit: .micros)),
        ] {
            #expect(TableSchema.storedField(f) == f)
        }
        // Nested leaves are converted in place.
        let nested = ParquetField.structure(
            "s", [.list("l", element: Self.leaf(.int32, .integer(bitWidth: 32, isSigned: false)))])
        #expect(TableSchema.storedField(nested) == .structure("s", [.list("l", element: .int64("element"))]))
    }

    @Test(arguments: [
        (UInt16(0x3C00), Float(1)), (0xC000, -2), (0x7BFF, 65504), (0x0001, 0x1p-24), (0x03FF, 0x1.ff8p-15),
        (0x3555, 0x1.554p-2), (0x7C00, .infinity), (0xFC00, -.infinity), (0x0000, 0),
    ])
    func halfFloats(bits: UInt16, value: Float) {
        #expect(TableSchema.float(fromHalf: bits) == value)
    }

    @Test func halfFloatSpecials() {
        #expect(TableSchema.float(fromHalf: 0x7E00).isNaN)
        #expect(TableSchema.float(fromHalf: 0x8000).sign == .minus && TableSchema.float(fromHalf: 0x8000) == 0)
    }

    /// A library batch of every converted type goes through a table and back, twice (the second
    /// write against the table's stored types), with every value kept.
    @Test func convertedTypesRoundTripThroughATable() throws {
        let schema = ParquetSchema([
            .string("id", nullable: false),
            Self.named("u8", .int32, .integer(bitWidth: 8, isSigned: false)),
            Self.named("u16", .int32, .integer(bitWidth: 16, isSigned: false)),
            Self.named("u32", .int32, .integer(bitWidth: 32, isSigned: false)),
            Self.named("u64", .int64, .integer(bitWidth: 64, isSigned: false)),
            Self.named("local", .int64, .timestamp(isAdjustedToUTC: false, unit: .millis)),
            .primitive("legacy", .int96),
            .primitive("half", .fixedLenByteArray, logical: .float16, typeLength: 2),
            .list("tags", element: Self.named("e", .int32, .integer(bitWidth: 32, isSigned: false))),
        ])
        let half: [UInt8] = [0x00, 0x3E, 0xFF, 0x7B]  // 1.5, 65504 (little-endian)
        let batch = RecordBatch(
            schema: schema,
            columns: [
                Column(.byteArray(ByteArrayValues(strings: ["a", "b"]))),
                Column(.int32([255, 0])),
                Column(.int32([65535, 1])),
                Column(.int32([-1, 7])),  // 4294967295
                Column(.int64([-1, 0]), validity: [true, false]),  // 18446744073709551615
                Column(.int64([1_700_000_000_123, -1])),
                Column(.int64([1_700_000_000_123_456_789, -1])),
                Column(.fixedByteArray(FixedByteArrayValues(width: 2, bytes: half))),
                Column(.list(offsets: [0, 2, 3], element: Column(.int32([-1, 2, Int32.min])))),
            ], rowCount: 2)
        let dir = TemporaryDirectory()
        let t = try Table.create(at: dir.path, config: TableConfig(name: "t", recordKeyFields: ["id"]))
        let expected =
            [
                #"{"id":"a","u8":255,"u16":65535,"u32":4294967295,"u64":"18446744073709551615","#
                    + #""local":"2023-11-14T22:13:20.123Z","legacy":"2023-11-14T22:13:20.123456Z","half":1.5,"#
                    + #""tags":[4294967295,2]}"#,
                #"{"id":"b","u8":0,"u16":1,"u32":7,"u64":null,"local":"1969-12-31T23:59:59.999Z","#
                    + #""legacy":"1969-12-31T23:59:59.999999Z","half":65504.0,"tags":[2147483648]}"#,
            ].joined(separator: "\n") + "\n"
        for round in 1...2 {
            try t.write(batch, operation: .upsert)
            let actual = try Self.rows(t)
            #expect(actual == expected, "round \(round): \(actual)")
        }
        let reopened = try Table.open(dir.path)
        #expect(reopened.schema?.field(named: "u64") == .decimal("u64", precision: 20, scale: 0))
        #expect(reopened.schema?.field(named: "local") == .timestamp("local", unit: .millis))
    }

    static func named(_ name: String, _ physical: PhysicalType, _ logical: LogicalType) -> ParquetField {
        .primitive(name, physical, logical: logical)
    }

    static func rows(_ t: Table) throws -> String {
        let batches = try t.read(ReadOptions(includeMetaColumns: false))
        guard let first = batches.first else { return "" }
        var f = RowFormatter(schema: first.schema, format: .jsonl)
        var out: [UInt8] = []
        for b in batches { try f.append(b, to: &out) }
        f.finish(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Types no rule fits are refused before the write begins, naming the column and its type.
    @Test(arguments: [
        (ParquetField.primitive("v", .int64, logical: .time(isAdjustedToUTC: true, unit: .nanos)), "TIME(NANOS"),
        (.map("v", key: .int32("k"), value: .string("x")), "keys are not strings"),
        (.structure("v", [.int32("not-avro")]), "not a valid Avro name"),
    ])
    func refusedUpFront(field: ParquetField, reason: String) throws {
        let dir = TemporaryDirectory()
        let t = try Table.create(at: dir.path, config: TableConfig(name: "t", recordKeyFields: ["id"]))
        let schema = ParquetSchema([.string("id", nullable: false), field])
        let batch = RecordBatch(
            schema: schema,
            columns: [
                Column(.byteArray(ByteArrayValues(strings: ["a"]))),
                BatchConformer.nulls(for: field, count: 1),
            ], rowCount: 1)
        let e = #expect(throws: LakeError.self) { try t.write(batch, operation: .upsert) }
        #expect(e?.message.contains("column 'v") == true && e?.message.contains(reason) == true, "\(e?.message ?? "")")
        #expect(try Table.open(dir.path).timeline.instants.isEmpty)
        #expect(throws: LakeError.self) { try TableSchema([field]).storageSchema() }
    }

    /// hudi-rs parses table schemas at most 127 JSON levels deep: 30 levels of nullable structs
    /// fit, 31 are refused, naming the column.
    @Test func nestingDepth() throws {
        func nested(_ levels: Int) -> ParquetField {
            var f = ParquetField.int32("x")
            for i in 0..<(levels - 1) { f = .structure("s\(i)", [f]) }
            return .structure("deep", [f])
        }
        let ok = try TableSchema([.string("id"), nested(30)]).storageSchema()
        #expect(try AvroSchema.tableSchema(fromParquet: ok.fields, tableName: "t").jsonDepth == 124)
        let e = #expect(throws: LakeError.self) { try TableSchema([.string("id"), nested(31)]).storageSchema() }
        #expect(
            e?.code == .unsupported && e?.message.contains("column 'deep' is nested too deeply") == true,
            "\(e?.message ?? "")")
        #expect(try TableSchema([.string("id")]).evolved(with: ParquetSchema([nested(30)])).fields.count == 2)
        #expect(throws: LakeError.self) { try TableSchema([.string("id")]).evolved(with: ParquetSchema([nested(31)])) }
    }

    @Test func jsonDepthCountsContainersOutsideStrings() throws {
        #expect(AvroSchema.string.jsonDepth == 0)
        #expect(AvroSchema.nullable(.string).jsonDepth == 1)
        let named = AvroSchema.record(
            AvroRecord(name: "r", namespace: "n.[{", fields: [.nullable("a", .array(items: .long))]))
        #expect(named.jsonDepth == 5)  // record { fields [ field { type [ null, array {…} ] } ] }
    }
}
