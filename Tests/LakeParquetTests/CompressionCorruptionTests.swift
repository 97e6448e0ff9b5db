import PropertyBased
import Testing

@testable import LakeParquet

/// Hostile and damaged pages: every failure must be a `ParquetError`, never a crash or a
/// buffer sized from an unchecked header.
@Suite struct CompressionCorruptionTests {
    private func compress(_ bytes: [UInt8], _ codec: CompressionCodec) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try PageCompression.compress($0, codec: codec) }
    }

    private func decompress(_ bytes: [UInt8], _ codec: CompressionCodec, size: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try PageCompression.decompress($0, codec: codec, uncompressedSize: size) }
    }

    private static let sample: [UInt8] = Array(
        (0..<2000).map { "row \($0 % 37) of the lake, value \($0 * 7919 % 1000)\n" }.joined().utf8)

    @Test(arguments: CompressionTests.supported)
    func sizeMismatchThrows(codec: CompressionCodec) throws {
        let compressed = try compress(Self.sample, codec)
        for size in [Self.sample.count - 1, Self.sample.count + 1, 0] {
            let error = #expect(throws: ParquetError.self) { try decompress(compressed, codec, size: size) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains(codec.name) == true, "\(error?.message ?? "")")
        }
    }

    @Test(arguments: CompressionTests.supported)
    func truncatedInputThrows(codec: CompressionCodec) throws {
        let compressed = try compress(Self.sample, codec)
        for cut in [1, 7, compressed.count / 2, compressed.count - 1] {
            #expect(throws: ParquetError.self, "\(codec.name) cut by \(cut)") {
                try decompress(Array(compressed.dropLast(cut)), codec, size: Self.sample.count)
            }
        }
        #expect(throws: ParquetError.self) { try decompress([], codec, size: 10) }
    }

    @Test(arguments: CompressionTests.supported)
    func damagedInputNeverCrashes(codec: CompressionCodec) async throws {
        let compressed = try compress(Self.sample, codec)
        let size = Self.sample.count
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000).array(of: 1...6), Gen.uint8()) {
            positions, byte throws in
            var damaged = compressed
            for p in positions { damaged[p % damaged.count] ^= byte | 1 }
            // Codecs without checksums may still decode; then the size must be exact.
            do {
                let output = try decompress(damaged, codec, size: size)
                #expect(output.count == size)
            } catch is ParquetError {
            }
        }
    }

    @Test(arguments: CompressionTests.supported)
    func garbageNeverCrashes(codec: CompressionCodec) async {
        await propertyCheck(count: 60, input: Gen.uint8().array(of: 0...200), Gen.int(in: 0...5000)) {
            garbage, size throws in
            do {
                let output = try decompress(garbage, codec, size: size)
                #expect(output.count == size)
            } catch is ParquetError {
            }
        }
    }

    @Test(arguments: CompressionTests.supported)
    func hostileSizesAreRejectedBeforeAllocating(codec: CompressionCodec) {
        let tiny: [UInt8] = [0x01, 0x02, 0x03, 0x04]
        for size in [-1, PageCompression.maxUncompressedSize + 1, Int.max] {
            let error = #expect(throws: ParquetError.self) { try decompress(tiny, codec, size: size) }
            #expect(error?.code == .corrupt)
        }
        if codec != .brotli {
            // Four bytes cannot expand to 512 MiB with any codec that has a bounded ratio.
            let error = #expect(throws: ParquetError.self) { try decompress(tiny, codec, size: 1 << 29) }
            #expect(error?.message.contains("cannot expand") == true || codec == .uncompressed)
        }
    }

    @Test func snappyLengthPreambleMustMatch() throws {
        // Preamble says 5 bytes, page header says 6.
        let compressed = try compress(Array("hello".utf8), .snappy)
        let error = #expect(throws: ParquetError.self) { try decompress(compressed, .snappy, size: 6) }
        #expect(error?.message.contains("preamble") == true)
    }

    @Test func brotliRejectsTrailingBytes() throws {
        let compressed = try compress(Array("hello".utf8), .brotli)
        #expect(throws: ParquetError.self) { try decompress(compressed + [0], .brotli, size: 5) }
    }

    @Test func zstdContentSizeLargerThanThePageIsRejected() throws {
        let compressed = try compress(Self.sample, .zstd)
        let error = #expect(throws: ParquetError.self) { try decompress(compressed, .zstd, size: 100) }
        #expect(error?.message.contains("frame header") == true)
    }
}
