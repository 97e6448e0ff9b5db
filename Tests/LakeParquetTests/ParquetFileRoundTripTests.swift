import Testing
@testable import LakeParquet
import LakeTestSupport

/// Whole-file round trips: random schemas (nesting, nullability, every physical type) and
/// random rows are written with every codec and encoding choice and read back; the rows read
/// must equal the rows generated (compared as plain ``RowValue``s, not as library structures).
@Suite struct ParquetFileRoundTripTests {
    static let codecs: [CompressionCodec] = [.uncompressed, .gzip, .snappy, .zstd, .lz4Raw, .brotli]

    func roundTrip(seed: UInt64, codec: CompressionCodec, dictionary: Bool, rows: Int, depth: Int) throws {
        var rng = TestRandom(seed: seed)
        let fields = (0..<rng.int(1...5)).map { rng.field("c\($0)", depth: depth) }
        let schema = ParquetSchema(fields)
        let nullRate = [0.0, 0.1, 0.5, 1.0][rng.int(0...3)]
        let data = (0..<rows).map { _ in fields.map { rng.value($0, nullRate: nullRate) } }
        let columns = fields.enumerated().map { (i, f) in RowCodec.column(data.map { $0[i] }, f) }
        let batch = try RecordBatch(schema: schema, columns: columns)

        var options = ParquetWriterOptions()
        options.codec = codec
        options.dictionaryEnabled = dictionary
        options.dataPageSize = [64, 1024, 1 << 20][rng.int(0...2)]
        options.maxRowsPerRowGroup = [7, 100, nil][rng.int(0...2)]
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema, options: options)
        // Write in uneven pieces to cross batch and row-group boundaries.
        var start = 0
        while start < rows {
            let n = min(rows - start, rng.int(1...40))
            try writer.write(batch.slice(start..<(start + n)))
            start += n
        }
        let meta = try writer.close()
        #expect(meta.numRows == Int64(rows))

        let reader = try ParquetFileReader(bytes: sink.bytes)
        #expect(reader.schema == schema, "schema after footer round trip, seed \(seed)")
        var read: [[RowValue]] = []
        for g in 0..<reader.rowGroupCount { read += RowCodec.rows(try reader.readRowGroup(g)) }
        #expect(read.count == rows)
        for (i, (a, b)) in zip(data, read).enumerated() where a != b {
            Issue.record(
                "seed \(seed) codec \(codec.name) dict \(dictionary): row \(i) wrote \(a) read \(b); schema:\n\(schema.messageType())"
            )
            break
        }
    }

    @Test(arguments: codecs)
    func flatColumnsEveryCodec(codec: CompressionCodec) throws {
        for seed in 0..<12 as Range<UInt64> {
            try roundTrip(seed: seed, codec: codec, dictionary: seed % 2 == 0, rows: 120, depth: 0)
        }
    }

    @Test func nestedColumns() throws {
        for seed in 100..<220 as Range<UInt64> {
            try roundTrip(seed: seed, codec: .zstd, dictionary: seed % 3 != 0, rows: 60, depth: 3)
        }
    }

    @Test func emptyFileHasNoRowGroups() throws {
        let schema = ParquetSchema([.int64("id", nullable: false), .string("name")])
        let sink = MemorySink()
        let w = try ParquetFileWriter(sink: sink, schema: schema)
        try w.close()
        let r = try ParquetFileReader(bytes: sink.bytes)
        #expect(r.rowGroupCount == 0)
        #expect(r.rowCount == 0)
        #expect(r.schema == schema)
    }

    @Test func projectionDecodesOnlyRequestedColumnsInOrder() throws {
        let schema = ParquetSchema([.int64("a", nullable: false), .string("b"), .list("c", element: .int32("e"))])
        let batch = try RecordBatch(
            schema: schema,
            columns: [
                Column(.int64([1, 2, 3])),
                Column(.byteArray(ByteArrayValues(strings: ["x", "", "z"])), validity: [true, false, true]),
                Column(.list(offsets: [0, 2, 2, 3], element: Column(.int32([5, 6, 7])))),
            ])
        let sink = MemorySink()
        let w = try ParquetFileWriter(sink: sink, schema: schema)
        try w.write(batch)
        try w.close()
        let r = try ParquetFileReader(bytes: sink.bytes)
        let got = try r.readRowGroup(0, columns: ["c", "a"])
        #expect(got.schema.fields.map(\.name) == ["c", "a"])
        #expect(
            RowCodec.rows(got) == [
                [.list([.int(5), .int(6)]), .int(1)], [.list([]), .int(2)], [.list([.int(7)]), .int(3)],
            ])
        #expect(throws: ParquetError.self) { try r.readRowGroup(0, columns: ["nope"]) }
    }

    @Test func requiredColumnWithNullsIsRefused() throws {
        let schema = ParquetSchema([.int64("id", nullable: false)])
        let batch = try RecordBatch(schema: schema, columns: [Column(.int64([1, 0]), validity: [true, false])])
        let w = try ParquetFileWriter(sink: MemorySink(), schema: schema)
        let e = #expect(throws: ParquetError.self) { try w.write(batch) }
        #expect(e?.message.contains("id") == true)
    }

    @Test func dictionaryFallsBackToPlainPastTheLimit() throws {
        let schema = ParquetSchema([.string("k", nullable: false)])
        let values = ByteArrayValues(strings: (0..<5000).map { "key-\($0)" })
        let batch = try RecordBatch(schema: schema, columns: [Column(.byteArray(values))])
        var options = ParquetWriterOptions()
        options.dictionaryPageSizeLimit = 1000
        let sink = MemorySink()
        let meta = try ParquetFileWriter.writeToSink(sink, batch, options)
        let enc = meta.rowGroups[0].columns[0].metaData!.encodings
        #expect(!enc.contains(.rleDictionary))
        let r = try ParquetFileReader(bytes: sink.bytes)
        #expect(RowCodec.rows(try r.readRowGroup(0)).count == 5000)

        options.dictionaryPageSizeLimit = 1 << 20
        let small = try RecordBatch(
            schema: schema, columns: [Column(.byteArray(ByteArrayValues(strings: (0..<5000).map { "k\($0 % 7)" })))])
        let meta2 = try ParquetFileWriter.writeToSink(MemorySink(), small, options)
        #expect(meta2.rowGroups[0].columns[0].metaData!.encodings.contains(.rleDictionary))
    }

    @Test func statisticsFollowSortOrder() throws {
        let schema = ParquetSchema([
            .string("s"), .int32("i"), .primitive("u", .int32, logical: .integer(bitWidth: 32, isSigned: false)),
            .double("d"), .decimal("m", precision: 20, scale: 0),
        ])
        let batch = try RecordBatch(
            schema: schema,
            columns: [
                Column(
                    .byteArray(ByteArrayValues(strings: ["b", "ä", "a", ""])), validity: [true, true, true, false]),
                Column(.int32([-5, 3, 0, 9])),
                Column(.int32([-1, 3, 0, 9])),  // -1 is UInt32.max unsigned
                Column(.double([.nan, -0.0, 2.5, 0])),
                Column(
                    .fixedByteArray(
                        FixedByteArrayValues(
                            width: 9,
                            bytes: [UInt8](repeating: 0xFF, count: 9) + [UInt8](repeating: 0, count: 8) + [1]
                                + [UInt8](repeating: 0, count: 18)))),
            ])
        let meta = try ParquetFileWriter.writeToSink(MemorySink(), batch, ParquetWriterOptions())
        let g = meta.rowGroups[0]
        let schema2 = try ParquetSchema(elements: meta.schema)
        func stats(_ c: String) -> ColumnStatistics { ColumnStatistics(rowGroup: g, schema: schema2, column: c)! }
        #expect(stats("s").min == .bytes(Array("a".utf8)))
        #expect(stats("s").max == .bytes(Array("ä".utf8)))
        #expect(stats("s").nullCount == 1)
        #expect(stats("i").min == .int(-5))
        #expect(stats("u").max == .int(Int64(UInt32.max)))
        #expect(stats("u").min == .int(0))
        #expect(stats("d").min == .double(-0.0))
        #expect(stats("d").max == .double(2.5))
        #expect(stats("m").min == .bytes([UInt8](repeating: 0xFF, count: 9)))  // -1
        #expect(stats("m").max == .bytes([UInt8](repeating: 0, count: 8) + [1]))
    }
}

extension ParquetFileWriter {
    static func writeToSink(
        _ sink: MemorySink, _ batch: RecordBatch, _ options: ParquetWriterOptions
    ) throws -> FileMetaData {
        let w = try ParquetFileWriter(sink: sink, schema: batch.schema, options: options)
        try w.write(batch)
        return try w.close()
    }
}

@Suite struct RowGroupSkippingTests {
    @Test func predicatesSkipRowGroupsByStatistics() throws {
        let schema = ParquetSchema([.int64("id", nullable: false), .string("city")])
        var options = ParquetWriterOptions()
        options.maxRowsPerRowGroup = 10
        let sink = MemorySink()
        let w = try ParquetFileWriter(sink: sink, schema: schema, options: options)
        // Row group g holds ids 10g..<10g+10 and city "c<g>" (null in group 3).
        for g in 0..<5 {
            let ids = (0..<10).map { Int64(10 * g + $0) }
            let cities = ByteArrayValues(strings: (0..<10).map { _ in "c\(g)" })
            try w.write(
                RecordBatch(
                    schema: schema,
                    columns: [
                        Column(.int64(ids)),
                        Column(.byteArray(cities), validity: g == 3 ? [Bool](repeating: false, count: 10) : nil),
                    ]))
        }
        try w.close()
        let r = try ParquetFileReader(bytes: sink.bytes)
        #expect(r.rowGroupCount == 5)
        #expect(r.rowGroups(matching: .compare(column: "id", .equal, .int(23))) == [2])
        #expect(r.rowGroups(matching: .compare(column: "id", .less, .int(10))) == [0])
        #expect(r.rowGroups(matching: .compare(column: "id", .greaterOrEqual, .int(39))) == [3, 4])
        #expect(r.rowGroups(matching: .compare(column: "id", .notEqual, .int(5))) == [0, 1, 2, 3, 4])
        #expect(r.rowGroups(matching: .isIn(column: "id", [.int(1), .int(45)])) == [0, 4])
        #expect(r.rowGroups(matching: .isNull(column: "city")) == [3])
        #expect(r.rowGroups(matching: .isNotNull(column: "city")) == [0, 1, 2, 4])
        #expect(r.rowGroups(matching: .compare(column: "city", .equal, .string("c1"))) == [1])
        #expect(
            r.rowGroups(
                matching: .and([
                    .compare(column: "id", .greater, .int(5)), .compare(column: "city", .lessOrEqual, .string("c2")),
                ])) == [0, 1, 2])
        #expect(
            r.rowGroups(
                matching: .or([.compare(column: "id", .equal, .int(0)), .compare(column: "id", .equal, .int(49))])) == [
                    0, 4,
                ])
        #expect(try r.readAll(filter: .compare(column: "id", .equal, .int(23))).map(\.rowCount) == [10])
        // Unknown columns never skip.
        #expect(r.rowGroups(matching: .compare(column: "nope", .equal, .int(1))).count == 5)
    }
}
