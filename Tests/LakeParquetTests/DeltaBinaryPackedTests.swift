import PropertyBased
import Testing

@testable import LakeParquet
import LakeBase

@Suite struct DeltaBinaryPackedTests {
    private func encode64(_ values: [Int64]) -> [UInt8] {
        var out = ByteWriter()
        values.withUnsafeBufferPointer { DeltaBinaryPacked.encode($0, into: &out) }
        return out.bytes
    }

    private func encode32(_ values: [Int32]) -> [UInt8] {
        var out = ByteWriter()
        values.withUnsafeBufferPointer { DeltaBinaryPacked.encode($0, into: &out) }
        return out.bytes
    }

    private func decode64(_ bytes: [UInt8], count: Int) throws -> (values: [Int64], consumed: Int) {
        var values: [Int64] = []
        let consumed = try bytes.withUnsafeBytes { try DeltaBinaryPacked.decode($0, count: count, into: &values) }
        return (values, consumed)
    }

    private func decode32(_ bytes: [UInt8], count: Int) throws -> (values: [Int32], consumed: Int) {
        var values: [Int32] = []
        let consumed = try bytes.withUnsafeBytes { try DeltaBinaryPacked.decode($0, count: count, into: &values) }
        return (values, consumed)
    }

    /// Header: block size 128 (80 01), 4 miniblocks, the count, the zigzag first value.
    private func header(count: UInt8, firstZigZag: UInt8) -> [UInt8] { [0x80, 0x01, 0x04, count, firstZigZag] }

    @Test func specExampleOneToFive() throws {
        // Deltas 1 1 1 1: min delta 1 (zigzag 2), every width 0, no miniblock bytes.
        let expected = header(count: 5, firstZigZag: 2) + [0x02, 0, 0, 0, 0]
        #expect(encode64([1, 2, 3, 4, 5]) == expected)
        #expect(encode32([1, 2, 3, 4, 5]) == expected)
        #expect(try decode64(expected, count: 5) == ([1, 2, 3, 4, 5], expected.count))
        #expect(try decode32(expected, count: 5) == ([1, 2, 3, 4, 5], expected.count))
    }

    @Test func specExampleSevenFiveThreeOneTwoThreeFourFive() throws {
        // Deltas -2 -2 -2 1 1 1 1: min delta -2 (zigzag 3), relative 0 0 0 3 3 3 3 at width 2,
        // one miniblock of 32 values = 8 bytes.
        let miniblock: [UInt8] = [0xC0, 0x3F] + Array(repeating: 0, count: 6)
        let expected = header(count: 8, firstZigZag: 14) + [0x03, 2, 0, 0, 0] + miniblock
        let values: [Int64] = [7, 5, 3, 1, 2, 3, 4, 5]
        #expect(encode64(values) == expected)
        #expect(try decode64(expected, count: 8) == (values, expected.count))
        #expect(try decode32(expected, count: 8) == (values.map { Int32($0) }, expected.count))
    }

    @Test func emptyAndSingleValues() throws {
        let empty = encode64([])
        #expect(empty == header(count: 0, firstZigZag: 0))
        #expect(try decode64(empty, count: 0) == ([], empty.count))
        let one = encode32([-3])
        #expect(one == header(count: 1, firstZigZag: 5))
        #expect(try decode32(one, count: 1) == ([-3], one.count))
    }

    @Test func roundTripsInt64() async {
        let value = Gen.int64(in: -1000...1000)
        await propertyCheck(count: 200, input: value.array(of: 0...700), Gen.int(in: 0...3)) { values, scale throws in
            // Scale deltas up to full 64-bit range to reach every width, including wrapping ones.
            let scaled = values.map { $0 &* [1, 1 << 20, 1 << 50, Int64.max / 500][scale] }
            let bytes = encode64(scaled)
            let decoded = try decode64(bytes, count: scaled.count)
            #expect(decoded.values == scaled)
            #expect(decoded.consumed == bytes.count)
        }
    }

    @Test func roundTripsInt32() async {
        await propertyCheck(count: 200, input: Gen.int32().array(of: 0...400), Gen.bool) { values, sorted throws in
            let input = sorted ? values.sorted() : values
            let bytes = encode32(input)
            let decoded = try decode32(bytes, count: input.count)
            #expect(decoded.values == input)
            #expect(decoded.consumed == bytes.count)
        }
    }

    @Test func extremesWrapAround() throws {
        let values: [Int64] = [.min, .max, .min, 0, .max, -1, .min, .max, 1]
        #expect(try decode64(encode64(values), count: values.count).values == values)
        let values32: [Int32] = [.min, .max, .min, 0, .max, -1, .min, .max, 1]
        // Deltas wrap in 32 bits, so every width stays within 32 (decode32 rejects wider ones).
        #expect(try decode32(encode32(values32), count: values32.count).values == values32)
    }

    @Test func decodesFewerThanEncodedAndStopsAtTheHeaderTotal() throws {
        let values = (0..<300).map { Int64($0 * $0) }
        let bytes = encode64(values)
        #expect(try decode64(bytes, count: 130).values == Array(values[0..<130]))
        // Asking for more than the header holds appends only what it holds.
        #expect(try decode64(bytes, count: 10_000).values == values)
    }

    @Test func appendsAfterExistingValues() throws {
        var values: [Int32] = [42]
        let bytes = encode32([1, 2, 3])
        _ = try bytes.withUnsafeBytes { try DeltaBinaryPacked.decode($0, count: 3, into: &values) }
        #expect(values == [42, 1, 2, 3])
    }

    @Test func acceptsOtherBlockLayouts() throws {
        // Block size 256 in 2 miniblocks of 128; values 10, 11, 12 (deltas 1 1, width 0), and
        // arbitrary widths for the unused miniblock.
        let bytes: [UInt8] = [0x80, 0x02, 0x02, 0x03, 0x14, 0x02, 0x00, 0x63]
        #expect(try decode64(bytes, count: 3) == ([10, 11, 12], bytes.count))
    }

    @Test func rejectsCorruptHeaders() {
        let badBlock = #expect(throws: ParquetError.self) { try decode64([0x40, 0x04, 0x05, 0x02], count: 5) }
        #expect(badBlock?.code == .corrupt)
        // 128 values in 3 miniblocks does not divide.
        #expect(throws: ParquetError.self) { try decode64([0x80, 0x01, 0x03, 0x05, 0x02], count: 5) }
        // 128 values in 8 miniblocks of 16.
        #expect(throws: ParquetError.self) { try decode64([0x80, 0x01, 0x08, 0x05, 0x02], count: 5) }
        // 0 miniblocks.
        #expect(throws: ParquetError.self) { try decode64([0x80, 0x01, 0x00, 0x05, 0x02], count: 5) }
        // Truncated header.
        #expect(throws: ParquetError.self) { try decode64([0x80, 0x01, 0x04], count: 5) }
    }

    @Test func rejectsWidthsAndValuesTooLargeForTheType() throws {
        // Width 65 for Int64.
        #expect(throws: ParquetError.self) {
            try decode64(
                header(count: 2, firstZigZag: 0) + [0x00, 65, 0, 0, 0] + Array(repeating: 0, count: 300), count: 2)
        }
        // Width 33 is fine for Int64 but not for Int32.
        let wide = header(count: 2, firstZigZag: 0) + [0x00, 33, 0, 0, 0] + Array(repeating: 0, count: 132)
        #expect(try decode64(wide, count: 2).values == [0, 0])
        let error = #expect(throws: ParquetError.self) { try decode32(wide, count: 2) }
        #expect(error?.code == .corrupt)
        // A first value beyond Int32 (zigzag 2^33).
        #expect(throws: ParquetError.self) {
            try decode32([0x80, 0x01, 0x04, 0x01, 0x80, 0x80, 0x80, 0x80, 0x20], count: 1)
        }
        // A min delta beyond Int32.
        #expect(throws: ParquetError.self) {
            try decode32(header(count: 2, firstZigZag: 0) + [0x80, 0x80, 0x80, 0x80, 0x20, 0, 0, 0, 0], count: 2)
        }
    }

    @Test func truncatedMiniblockThrows() {
        var bytes = encode64((0..<100).map { Int64($0 * 7919 % 1000) })
        bytes.removeLast(40)
        let error = #expect(throws: ParquetError.self) { try decode64(bytes, count: 100) }
        #expect(error?.code == .truncated)
    }

    @Test func hostileCountsThrowInsteadOfAllocating() {
        // The header claims 2^62 values, the data holds one block of zero-width miniblocks.
        var bytes: [UInt8] = [0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00]
        bytes += [0x02, 0, 0, 0, 0]
        #expect(throws: ParquetError.self) { try decode64(bytes, count: Int.max) }
        // A count far larger than a short page with real widths.
        #expect(throws: ParquetError.self) {
            try decode64(header(count: 0x7F, firstZigZag: 0) + [0x00, 20, 20, 20, 20, 1, 2, 3], count: 1 << 40)
        }
    }
}
