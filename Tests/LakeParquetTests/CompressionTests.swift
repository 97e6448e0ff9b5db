import PropertyBased
import Testing

@testable import LakeParquet
import LakeTestSupport

@Suite struct CompressionTests {
    static let supported: [CompressionCodec] = [.uncompressed, .gzip, .snappy, .zstd, .lz4Raw, .lz4, .brotli]

    private func compress(_ bytes: [UInt8], _ codec: CompressionCodec, level: Int32? = nil) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try PageCompression.compress($0, codec: codec, level: level) }
    }

    private func decompress(_ bytes: [UInt8], _ codec: CompressionCodec, size: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try PageCompression.decompress($0, codec: codec, uncompressedSize: size) }
    }

    /// Text-like data: words from a small vocabulary, so every codec finds matches.
    private static func compressible(_ seed: UInt64, count: Int) -> [UInt8] {
        var rng = SplitMix(seed: seed)
        let words = ["lake", "parquet", "hudi", "commit", "0042", "file", "group", " ", ",", "\n"]
        var bytes: [UInt8] = []
        while bytes.count < count {
            bytes.append(contentsOf: words[Int(rng.next() % UInt64(words.count))].utf8)
        }
        return Array(bytes.prefix(count))
    }

    @Test(arguments: supported)
    func roundTripsRandomBytes(codec: CompressionCodec) async {
        await propertyCheck(count: 40, input: Gen.uint8().array(of: 0...3000)) { bytes throws in
            let compressed = try compress(bytes, codec)
            #expect(try decompress(compressed, codec, size: bytes.count) == bytes)
        }
    }

    @Test(arguments: supported)
    func roundTripsCompressibleData(codec: CompressionCodec) throws {
        for (seed, count) in [(1, 0), (2, 1), (3, 100), (4, 70_000), (5, 400_000)] as [(UInt64, Int)] {
            let bytes = Self.compressible(seed, count: count)
            let compressed = try compress(bytes, codec)
            if codec != .uncompressed && count >= 70_000 {
                #expect(compressed.count < bytes.count / 2, "\(codec.name) should shrink text")
            }
            #expect(try decompress(compressed, codec, size: bytes.count) == bytes)
        }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        #expect(try decompress(compress(zeros, codec), codec, size: zeros.count) == zeros)
    }

    @Test func levelsAreHonouredAndValidated() throws {
        let bytes = Self.compressible(9, count: 50_000)
        for (codec, levels) in [
            (CompressionCodec.gzip, [1, 9] as [Int32]), (.zstd, [-5, 1, 19]), (.brotli, [0, 11]),
        ] {
            for level in levels {
                #expect(try decompress(compress(bytes, codec, level: level), codec, size: bytes.count) == bytes)
            }
        }
        for (codec, level) in [(CompressionCodec.gzip, 10 as Int32), (.brotli, 12), (.zstd, 1000)] {
            let error = #expect(throws: ParquetError.self) { try compress(bytes, codec, level: level) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func gzipWritesTheGzipFormat() throws {
        let compressed = try compress(Array("hello".utf8), .gzip)
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08])
    }

    @Test func zstdWritesAFrameWithItsContentSize() throws {
        let compressed = try compress(Array("hello".utf8), .zstd)
        #expect(Array(compressed.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
    }

    @Test func lz4UsesHadoopFraming() throws {
        let bytes = Self.compressible(11, count: 300_000)
        let compressed = try compress(bytes, .lz4)
        // First block: 128 KiB uncompressed, big-endian, then its compressed length.
        #expect(Array(compressed.prefix(4)) == [0x00, 0x02, 0x00, 0x00])
        let firstLength =
            Int(compressed[4]) << 24 | Int(compressed[5]) << 16 | Int(compressed[6]) << 8 | Int(compressed[7])
        let firstBlock = Array(compressed[8..<(8 + firstLength)])
        #expect(try decompress(firstBlock, .lz4Raw, size: 128 * 1024) == Array(bytes.prefix(128 * 1024)))
    }

    @Test func lz4FallsBackToARawBlock() throws {
        let bytes = Self.compressible(12, count: 5000)
        let raw = try compress(bytes, .lz4Raw)
        #expect(try decompress(raw, .lz4, size: bytes.count) == bytes)
    }

    /// "hello hello hello hello parquet" as compressed by pyarrow 26 (`pyarrow.compress`).
    static let hello = Array("hello hello hello hello parquet".utf8)
    static let foreign: [(CompressionCodec, [UInt8])] = [
        (
            .gzip,
            [
                31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 87, 200, 192, 32, 11, 18, 139, 10, 75, 83, 75,
                0, 16, 229, 178, 135, 31, 0, 0, 0,
            ]
        ),
        (.snappy, [31, 20, 104, 101, 108, 108, 111, 32, 70, 6, 0, 24, 112, 97, 114, 113, 117, 101, 116]),
        (
            .zstd,
            [
                40, 181, 47, 253, 32, 31, 157, 0, 0, 104, 104, 101, 108, 108, 111, 32, 112, 97, 114, 113, 117, 101, 116,
                1, 0, 241, 74, 17,
            ]
        ),
        (
            .brotli,
            [27, 30, 0, 0, 196, 99, 108, 93, 251, 26, 62, 34, 7, 145, 101, 153, 58, 60, 167, 7, 106, 54, 215, 0]
        ),
        (.lz4Raw, [110, 104, 101, 108, 108, 111, 32, 6, 0, 112, 112, 97, 114, 113, 117, 101, 116]),
        // The LZ4_RAW block in Hadoop framing: 31 bytes uncompressed, 17 compressed.
        (
            .lz4,
            [0, 0, 0, 31, 0, 0, 0, 17, 110, 104, 101, 108, 108, 111, 32, 6, 0, 112, 112, 97, 114, 113, 117, 101, 116]
        ),
    ]

    @Test func decodesStreamsFromOtherWriters() throws {
        for (codec, bytes) in Self.foreign {
            #expect(try decompress(bytes, codec, size: Self.hello.count) == Self.hello, "\(codec.name)")
        }
    }

    @Test func gzipReadsConcatenatedMembersAndZlib() throws {
        let a = Self.compressible(21, count: 10_000)
        let b = Self.compressible(22, count: 333)
        let joined = try compress(a, .gzip) + compress(b, .gzip)
        #expect(try decompress(joined, .gzip, size: a.count + b.count) == a + b)
        // A zlib (RFC 1950) stream holding "hello" in a stored block.
        let zlib: [UInt8] =
            [0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF] + Array("hello".utf8) + [0x06, 0x2C, 0x02, 0x15]
        #expect(try decompress(zlib, .gzip, size: 5) == Array("hello".utf8))
    }

    @Test func zstdReadsFramesWithoutContentSize() throws {
        // Frame header descriptor 0 (no content size, not single-segment), window 1 KiB,
        // then a last RLE block of 1000 'a's: header 1 | 1 << 1 | 1000 << 3.
        let rle: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00, 0x43, 0x1F, 0x00, 0x61]
        #expect(try decompress(rle, .zstd, size: 1000) == Array(repeating: 0x61, count: 1000))
        let tooSmall = #expect(throws: ParquetError.self) { try decompress(rle, .zstd, size: 999) }
        #expect(tooSmall?.code == .corrupt)
        #expect(throws: ParquetError.self) { try decompress(rle, .zstd, size: 1001) }
        // Two frames back to back, raw blocks "hello" and " world".
        let hello: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00, 0x29, 0x00, 0x00] + Array("hello".utf8)
        let world: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00, 0x31, 0x00, 0x00] + Array(" world".utf8)
        #expect(try decompress(hello + world, .zstd, size: 11) == Array("hello world".utf8))
    }

    @Test func lzoIsUnsupported() {
        #expect(!PageCompression.isSupported(.lzo))
        for codec in Self.supported { #expect(PageCompression.isSupported(codec)) }
        let error = #expect(throws: ParquetError.self) { try compress([1, 2, 3], .lzo) }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("LZO") == true)
        #expect(throws: ParquetError.self) { try decompress([1, 2, 3], .lzo, size: 3) }
    }
}
