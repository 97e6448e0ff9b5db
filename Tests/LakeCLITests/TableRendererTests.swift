import Testing
@testable import LakeCLI
import Lake

/// `--format table`: alignment, truncation, escapes, nulls, the footer, widths fixed after the
/// sample (moved with the renderer from LakeCore's row formatter tests).
@Suite struct TableRendererTests {
    private func render(
        _ batches: [RecordBatch], options: TableRenderer.Options = .init(),
        schema: ParquetSchema
    ) throws -> String {
        var f = TableRenderer(schema: schema, options: options)
        var out: [UInt8] = []
        for b in batches { try f.append(b, to: &out) }
        f.finish(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func tableAlignsTruncatesAndCounts() throws {
        let s = ParquetSchema([.int64("id", nullable: false), .string("note")])
        let long = String(repeating: "z", count: 30)
        let b = RecordBatch(
            schema: s,
            columns: [
                Column(.int64([1, 100])),
                Column(.byteArray(ByteArrayValues(strings: ["tab\there", long])), validity: [true, true]),
            ], rowCount: 2)
        let nulls = RecordBatch(
            schema: s,
            columns: [Column(.int64([7])), Column(.byteArray(ByteArrayValues(strings: [""])), validity: [false])],
            rowCount: 1)
        let text = try render([b, nulls], options: .init(maxCellWidth: 12), schema: s)
        #expect(
            text == """
                  id | note
                -----+--------------
                   1 | tab\\there
                 100 | zzzzzzzzzzz…
                   7 | null
                (3 rows)

                """)
        #expect(try render([], schema: s) == " id | note\n----+------\n(0 rows)\n")
    }

    @Test func tableWidthsAreFixedAfterTheSample() throws {
        let s = ParquetSchema([.string("v")])
        let first = RecordBatch(schema: s, columns: [Column(.byteArray(ByteArrayValues(strings: ["ab"])))], rowCount: 1)
        let later = RecordBatch(
            schema: s, columns: [Column(.byteArray(ByteArrayValues(strings: ["abcdef"])))], rowCount: 1)
        let text = try render([first, later], options: .init(maxCellWidth: 40, sampleRows: 1), schema: s)
        #expect(text == " v\n----\n ab\n a…\n(2 rows)\n")
    }

    @Test func batchMustMatchTheSchema() {
        var f = TableRenderer(schema: ParquetSchema([.string("v")]))
        var out: [UInt8] = []
        let other = RecordBatch(
            schema: ParquetSchema([.int64("x"), .int64("y")]),
            columns: [Column(.int64([1])), Column(.int64([2]))], rowCount: 1)
        #expect(throws: LakeError.self) { try f.append(other, to: &out) }
    }
}
