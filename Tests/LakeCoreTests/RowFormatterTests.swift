import Testing
@testable import LakeCore

@Suite struct RowFormatterTests {
    static let schema = ParquetSchema([
        .int64("id", nullable: false),
        .string("name"),
        .decimal("price", precision: 9, scale: 2),
        .list("tags", element: .string("e")),
    ])

    static let batch = RecordBatch(
        schema: schema,
        columns: [
            Column(.int64([1, 22, 333])),
            Column(.byteArray(ByteArrayValues(strings: ["alice", "", "b,\"c\"\nd"])), validity: [true, true, false]),
            Column(.int32([1250, -5, 0]), validity: [true, true, false]),
            Column(
                .list(offsets: [0, 2, 2, 2], element: Column(.byteArray(ByteArrayValues(strings: ["x", "y"])))),
                validity: [true, true, false]),
        ], rowCount: 3)

    private func render(
        _ format: RowFormat, _ batches: [RecordBatch],
        schema: ParquetSchema = RowFormatterTests.schema
    ) throws -> String {
        var f = RowFormatter(schema: schema, format: format)
        var out: [UInt8] = []
        for b in batches { try f.append(b, to: &out) }
        f.finish(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func jsonLines() throws {
        #expect(
            try render(.jsonl, [Self.batch]) == """
                {"id":1,"name":"alice","price":"12.50","tags":["x","y"]}
                {"id":22,"name":"","price":"-0.05","tags":[]}
                {"id":333,"name":null,"price":null,"tags":null}

                """)
        #expect(try render(.jsonl, []) == "")
    }

    @Test func csvQuotesPerRFC4180() throws {
        var f = RowFormatter(schema: Self.schema, format: .csv)
        var out: [UInt8] = []
        try f.append(Self.batch, rows: 0..<3, to: &out)
        f.finish(to: &out)
        #expect(
            String(decoding: out, as: UTF8.self) == """
                id,name,price,tags
                1,alice,12.50,"[""x"",""y""]"
                22,"",-0.05,[]
                333,,,

                """)
        let withComma = Column(.byteArray(ByteArrayValues(strings: ["b,\"c\"\nd"])))
        let s = ParquetSchema([.string("a,b")])
        #expect(
            try render(.csv, [RecordBatch(schema: s, columns: [withComma], rowCount: 1)], schema: s)
                == "\"a,b\"\n\"b,\"\"c\"\"\nd\"\n")
        #expect(try render(.csv, []) == "id,name,price,tags\n")
    }

    @Test func batchMustMatchTheSchema() {
        var f = RowFormatter(schema: Self.schema, format: .jsonl)
        var out: [UInt8] = []
        let other = RecordBatch(schema: ParquetSchema([.int64("x")]), columns: [Column(.int64([1]))], rowCount: 1)
        #expect(throws: LakeError.self) { try f.append(other, to: &out) }
        #expect(throws: LakeError.self) { try f.append(Self.batch, rows: 2..<5, to: &out) }
    }
}

@Suite struct RowFormatterChunkTests {
    @Test func manyRowsSpanSeveralChunks() throws {
        let s = ParquetSchema([
            .int64("id", nullable: false), .string("name"), .double("amount"), .timestamp("at", unit: .micros),
            .decimal("price", precision: 18, scale: 2), .list("tags", element: .string("e")), .boolean("ok"),
            .structure("addr", [.string("city"), .int32("zip")]),
        ])
        let n = 10_000
        let d = RowJSONDecoder(schema: s)
        var text = ""
        for i in 0..<n {
            text +=
                "{\"id\":\(i),\"name\":\"n\(i)\",\"amount\":\(Double(i) * 1.5),\"at\":\"2024-02-29T12:00:00.\(100000 + i)Z\","
            text +=
                "\"price\":\"\(i).25\",\"tags\":[\"a\"],\"ok\":true,\"addr\":{\"city\":\"Oslo\",\"zip\":\(i % 100)}}\n"
        }
        try d.appendLines(text)
        let b = d.makeBatch()
        var f = RowFormatter(schema: s, format: .jsonl)
        var out: [UInt8] = []
        try f.append(b, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == text)
    }
}
