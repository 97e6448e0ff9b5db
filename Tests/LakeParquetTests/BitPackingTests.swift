import PropertyBased
import Testing

@testable import LakeParquet
import LakeTestSupport
import LakeBase

@Suite struct BitPackingTests {
    /// Packs with the public API and returns the bytes.
    private func pack(_ values: [UInt64], bitWidth: Int) -> [UInt8] {
        var out = ByteWriter()
        values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: bitWidth, into: &out) }
        return out.bytes
    }

    private func unpack(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt64] {
        var values = [UInt64](repeating: .max, count: count)
        try bytes.withUnsafeBytes { input in
            try values.withUnsafeMutableBufferPointer { out in
                try BitPacking.unpack(input, bitWidth: bitWidth, count: count, into: out)
            }
        }
        return values
    }

    private func unpack32(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        var values = [UInt32](repeating: .max, count: count)
        try bytes.withUnsafeBytes { input in
            try values.withUnsafeMutableBufferPointer { out in
                try BitPacking.unpack32(input, bitWidth: bitWidth, count: count, into: out)
            }
        }
        return values
    }

    @Test func specExampleZeroToSevenAtThreeBits() throws {
        // Encodings.md: 0..7 at width 3 is 10001000 11000110 11111010.
        #expect(pack(Array(0...7), bitWidth: 3) == [0x88, 0xC6, 0xFA])
        #expect(try unpack([0x88, 0xC6, 0xFA], bitWidth: 3, count: 8) == Array(0...7))
        #expect(try unpack32([0x88, 0xC6, 0xFA], bitWidth: 3, count: 8) == Array(0...7))
    }

    @Test func firstValueSitsInTheLowBits() throws {
        #expect(pack([1, 0, 0, 0, 0, 0, 0, 1], bitWidth: 1) == [0x81])
        #expect(pack([0xABC, 0x123], bitWidth: 12) == [0xBC, 0x3A, 0x12])
        #expect(pack([.max], bitWidth: 64) == Array(repeating: 0xFF, count: 8))
        #expect(
            pack([1, .max >> 1], bitWidth: 63) == [1] + Array(repeating: 0, count: 6) + [0x80]
                + Array(repeating: 0xFF, count: 7) + [0x3F])
    }

    @Test func widthZeroWritesNothingAndReadsZeros() throws {
        #expect(pack([0, 0, 0], bitWidth: 0).isEmpty)
        #expect(try unpack([], bitWidth: 0, count: 5) == [0, 0, 0, 0, 0])
        #expect(try unpack32([], bitWidth: 0, count: 3) == [0, 0, 0])
    }

    @Test func roundTripsEveryWidth() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...64), Gen.uint64().array(of: 0...200)) {
            width, raw throws in
            let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
            let values = raw.map { $0 & mask }
            let bytes = pack(values, bitWidth: width)
            #expect(bytes.count == (values.count * width + 7) / 8)
            #expect(try unpack(bytes, bitWidth: width, count: values.count) == values)
            if width <= 32 {
                #expect(try unpack32(bytes, bitWidth: width, count: values.count) == values.map { UInt32($0) })
            }
        }
    }

    @Test func unpack32MatchesUnpackOnEveryPrefix() throws {
        // Exercises the 8-value kernels, the byte-wise tail and inputs with no slack bytes.
        var rng = SplitMix(seed: 7)
        for width in 1...32 {
            let values = (0..<77).map { _ in rng.next() & ((1 << UInt64(width)) - 1) }
            let bytes = pack(values, bitWidth: width)
            for count in [0, 1, 7, 8, 9, 15, 16, 17, 40, 77] {
                let needed = (count * width + 7) / 8
                let exact = Array(bytes[0..<needed])
                #expect(try unpack32(exact, bitWidth: width, count: count) == values[0..<count].map { UInt32($0) })
                #expect(try unpack(exact, bitWidth: width, count: count) == Array(values[0..<count]))
            }
        }
    }

    @Test func shortInputThrowsTruncated() {
        #expect(throws: ParquetError.self) { try unpack([0xFF], bitWidth: 3, count: 3) }
        let error = #expect(throws: ParquetError.self) { try unpack32([0xFF, 0xFF], bitWidth: 5, count: 4) }
        #expect(error?.code == .truncated)
    }

    @Test func hostileCountsThrow() {
        #expect(throws: ParquetError.self) {
            var out = [UInt32](repeating: 0, count: 4)
            try [UInt8](repeating: 0, count: 3).withUnsafeBytes { input in
                try out.withUnsafeMutableBufferPointer { buffer in
                    try BitPacking.unpack32(input, bitWidth: 32, count: 1 << 40, into: buffer)
                }
            }
        }
        #expect(throws: ParquetError.self) {
            var out = [UInt64](repeating: 0, count: 1)
            try [UInt8](repeating: 0, count: 16).withUnsafeBytes { input in
                try out.withUnsafeMutableBufferPointer { buffer in
                    // count far beyond both the input and the output buffer
                    try BitPacking.unpack(input, bitWidth: 64, count: Int.max / 2, into: buffer)
                }
            }
        }
    }

    @Test func invalidArgumentsThrow() {
        let tooWide = #expect(throws: ParquetError.self) { try unpack32([0, 0, 0, 0, 0], bitWidth: 33, count: 1) }
        #expect(tooWide?.code == .invalidArgument)
        #expect(throws: ParquetError.self) { try unpack([0], bitWidth: 65, count: 0) }
        #expect(throws: ParquetError.self) {
            var out = [UInt64](repeating: 0, count: 1)
            try [UInt8](repeating: 0, count: 1).withUnsafeBytes { input in
                try out.withUnsafeMutableBufferPointer { buffer in
                    try BitPacking.unpack(input, bitWidth: 1, count: -1, into: buffer)
                }
            }
        }
        let small = #expect(throws: ParquetError.self) {
            var out = [UInt32](repeating: 0, count: 2)
            try [UInt8](repeating: 0, count: 8).withUnsafeBytes { input in
                try out.withUnsafeMutableBufferPointer { buffer in
                    try BitPacking.unpack32(input, bitWidth: 1, count: 8, into: buffer)
                }
            }
        }
        #expect(small?.code == .invalidArgument)
    }
}
