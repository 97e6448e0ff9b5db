import PropertyBased
import Testing

@testable import LakeParquet
import LakeBase

@Suite struct RLEHybridTests {
    private func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out = ByteWriter()
        values.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: bitWidth, into: &out) }
        return out.bytes
    }

    /// Decodes `count` values; returns them with the bytes consumed.
    private func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> (values: [UInt32], consumed: Int) {
        var values = [UInt32](repeating: .max, count: count)
        let consumed = try bytes.withUnsafeBytes { input in
            try values.withUnsafeMutableBufferPointer { out in
                try RLEHybrid.decode(input, bitWidth: bitWidth, count: count, into: out)
            }
        }
        return (values, consumed)
    }

    @Test func specBitPackedExample() throws {
        // Encodings.md: 0..7 at width 3 is one bit-packed group: header (1 << 1) | 1, then 0x88 0xC6 0xFA.
        let bytes = encode(Array(0...7), bitWidth: 3)
        #expect(bytes == [0x03, 0x88, 0xC6, 0xFA])
        let decoded = try decode(bytes, bitWidth: 3, count: 8)
        #expect(decoded.values == Array(0...7))
        #expect(decoded.consumed == 4)
    }

    @Test func repeatsBecomeRLERuns() throws {
        // 100 fives at width 3: header 100 << 1 = 200 = ULEB128 C8 01, value in one byte.
        #expect(encode(Array(repeating: 5, count: 100), bitWidth: 3) == [0xC8, 0x01, 0x05])
        // Width 17 stores the repeated value in 3 bytes, little-endian.
        #expect(encode(Array(repeating: 0x1_0203, count: 8), bitWidth: 17) == [0x10, 0x03, 0x02, 0x01])
        // Width 0: nothing but the header.
        #expect(encode(Array(repeating: 0, count: 9), bitWidth: 0) == [0x12])
    }

    @Test func literalsArePaddedToAGroup() throws {
        // Ten 1s (RLE), then 2 and 3 bit-packed at width 2 and padded with six zeros.
        let bytes = encode([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3], bitWidth: 2)
        #expect(bytes == [0x14, 0x01, 0x03, 0x0E, 0x00])
        #expect(try decode(bytes, bitWidth: 2, count: 12).values == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3])
    }

    @Test func pendingLiteralsBorrowFromTheNextRun() throws {
        // 3 literals then 13 sevens: the literal group takes 5 sevens, the other 8 form a run.
        let values: [UInt32] = [1, 2, 3] + Array(repeating: 7, count: 13)
        let bytes = encode(values, bitWidth: 3)
        var expected = ByteWriter()
        expected.appendVarint(1 << 1 | 1)
        let group: [UInt64] = [1, 2, 3, 7, 7, 7, 7, 7]
        group.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: 3, into: &expected) }
        expected.append(contentsOf: [8 << 1, 7])
        #expect(bytes == expected.bytes)
        #expect(try decode(bytes, bitWidth: 3, count: values.count).values == values)
    }

    @Test func roundTripsRandomRuns() async {
        // Values drawn from a small alphabet with long repeats, so both run kinds occur.
        let runs = zip(Gen.int(in: 0...3), Gen.int(in: 1...40)).array(of: 0...40)
        await propertyCheck(count: 300, input: Gen.int(in: 0...32), runs) { width, runs throws in
            let maxValue: UInt64 = (1 << UInt64(width)) - 1
            var values: [UInt32] = []
            for (symbol, length) in runs {
                let value = UInt32(truncatingIfNeeded: UInt64(symbol) &* 0x9E37_79B9_7F4A_7C15 >> 7 & maxValue)
                values.append(contentsOf: repeatElement(value, count: length))
            }
            let bytes = encode(values, bitWidth: width)
            let decoded = try decode(bytes, bitWidth: width, count: values.count)
            #expect(decoded.values == values)
            #expect(decoded.consumed == bytes.count)
        }
    }

    @Test func roundTripsRandomValues() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...32), Gen.uint32().array(of: 0...300)) {
            width, raw throws in
            let mask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(width)) - 1)
            let values = raw.map { $0 & mask }
            let bytes = encode(values, bitWidth: width)
            let decoded = try decode(bytes, bitWidth: width, count: values.count)
            #expect(decoded.values == values)
            #expect(decoded.consumed == bytes.count)
        }
    }

    @Test func decodesAPrefixAndIgnoresExtraValues() throws {
        let values: [UInt32] = Array(repeating: 4, count: 20) + [1, 2, 3]
        let bytes = encode(values, bitWidth: 3)
        #expect(try decode(bytes, bitWidth: 3, count: 5).values == [4, 4, 4, 4, 4])
        #expect(try decode(bytes, bitWidth: 3, count: 22).values == Array(values[0..<22]))
    }

    @Test func finalBitPackedRunMayLackItsPadding() throws {
        // A run of 2 groups (16 values) at width 8 whose data stops after the 9 values wanted.
        let bytes: [UInt8] = [0x05] + Array(1...9)
        let decoded = try decode(bytes, bitWidth: 8, count: 9)
        #expect(decoded.values == Array(1...9))
        #expect(decoded.consumed == bytes.count)
    }

    @Test func tooFewValuesThrows() {
        let bytes = encode(Array(repeating: 1, count: 10), bitWidth: 1)
        let error = #expect(throws: ParquetError.self) { try decode(bytes, bitWidth: 1, count: 11) }
        #expect(error?.code == .truncated)
        #expect(throws: ParquetError.self) { try decode([], bitWidth: 1, count: 1) }
    }

    @Test func hostileInputThrows() {
        // A bit-packed header claiming 2^40 groups with three data bytes.
        #expect(throws: ParquetError.self) {
            var values = [UInt32](repeating: 0, count: 64)
            _ = try [0x81, 0x80, 0x80, 0x80, 0x80, 0x40, 1, 2, 3].withUnsafeBytes { input in
                try values.withUnsafeMutableBufferPointer { out in
                    try RLEHybrid.decode(input, bitWidth: 5, count: 64, into: out)
                }
            }
        }
        // An RLE value above the bit width.
        let tooBig = #expect(throws: ParquetError.self) { try decode([0x10, 0x09], bitWidth: 3, count: 8) }
        #expect(tooBig?.code == .corrupt)
        // A varint header that never ends.
        #expect(throws: ParquetError.self) { try decode([0xFF, 0xFF, 0xFF], bitWidth: 3, count: 8) }
        // An RLE run missing its value bytes.
        #expect(throws: ParquetError.self) { try decode([0x10, 0x01], bitWidth: 12, count: 8) }
        // Asking for more values than the output holds.
        let small = #expect(throws: ParquetError.self) {
            var values = [UInt32](repeating: 0, count: 2)
            _ = try [0x10, 0x01].withUnsafeBytes { input in
                try values.withUnsafeMutableBufferPointer { out in
                    try RLEHybrid.decode(input, bitWidth: 1, count: 8, into: out)
                }
            }
        }
        #expect(small?.code == .invalidArgument)
    }

    @Test func hugeRLERunFillsOnlyTheRequestedCount() throws {
        // Header for a run of 2^62 ones: a 4-byte input, 1000 values requested.
        var header = ByteWriter()
        header.appendVarint(UInt64(1) << 63)
        let decoded = try decode(header.bytes + [1], bitWidth: 1, count: 1000)
        #expect(decoded.values == Array(repeating: 1, count: 1000))
    }
}
