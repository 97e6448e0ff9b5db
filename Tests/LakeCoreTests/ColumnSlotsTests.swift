import Testing

@testable import LakeCore

/// The column bookkeeping both JSON decoders' builders share.
@Suite struct ColumnSlotsTests {
    @Test func validityAppearsWithTheFirstNullAndTruncatesWithTheSlots() {
        var slots = ColumnSlots()
        slots.appendValue()
        slots.appendValue()
        #expect(slots.count == 2)
        #expect(slots.validity == nil)
        slots.appendNull()
        slots.appendValue()
        #expect(slots.validity == [true, true, false, true])
        slots.truncate(to: 5)
        #expect(slots.count == 4)
        slots.truncate(to: 2)
        #expect(slots.count == 2)
        #expect(slots.validity == [true, true])
        #expect(slots.take() == [true, true])
        #expect(slots.count == 0)
        #expect(slots.validity == nil)
    }

    @Test func offsetsTruncateToTheChildrenOfTheKeptEntries() {
        var offsets = ColumnOffsets()
        offsets.append(2)
        offsets.append(2)
        offsets.append(5)
        #expect(offsets.offsets == [0, 2, 2, 5])
        #expect(offsets.truncate(to: 3) == 5)
        #expect(offsets.truncate(to: 1) == 2)
        #expect(offsets.offsets == [0, 2])
        #expect(offsets.take() == [0, 2])
        #expect(offsets.offsets == [0])
    }

    @Test func byteArrayValuesTruncateBytesAndOffsets() {
        var values = ByteArrayValues(strings: ["ab", "", "cde"])
        values.truncate(to: 4)
        #expect(values.count == 3)
        values.truncate(to: 1)
        #expect(values == ByteArrayValues(strings: ["ab"]))
        values.truncate(to: 0)
        #expect(values == ByteArrayValues())
    }

    @Test func batchCellsFormatInChunksAndNameTheColumnOfAMismatch() throws {
        let schema = ParquetSchema([.int64("id", nullable: false), .string("name")])
        let n = BatchCells.chunkRows + 3
        let batch = RecordBatch(
            schema: schema,
            columns: [
                Column(.int64((0..<n).map { Int64($0) })),
                Column(.byteArray(ByteArrayValues(strings: (0..<n).map { "n\($0)" })), validity: nil),
            ],
            rowCount: n)
        var cells = BatchCells(schema: schema)
        let chunks = try cells.chunks(of: batch, rows: 1..<n)
        #expect(chunks == [1..<(BatchCells.chunkRows + 1), (BatchCells.chunkRows + 1)..<n])
        try cells.format(batch, rows: chunks[1], form: .json)
        #expect(Array(cells[0, 0]) == Array("\(BatchCells.chunkRows + 1)".utf8))
        #expect(Array(cells[1, 1]) == Array("\"n\(BatchCells.chunkRows + 2)\"".utf8))
        #expect(throws: LakeError.self) { try cells.chunks(of: batch, rows: 0..<(n + 1)) }
        let wrong = RecordBatch(
            schema: schema, columns: [Column(.int64([1])), Column(.int32([2]))], rowCount: 1)
        do throws(LakeError) {
            try cells.format(wrong, rows: 0..<1, form: .text)
            Issue.record("a string field over INT32 storage formatted")
        } catch {
            #expect(error.message.hasPrefix("column 'name': "))
        }
    }
}
