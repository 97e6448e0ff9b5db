/// Page compression for every codec Parquet names that lake supports.
///
/// UNCOMPRESSED, GZIP (zlib), SNAPPY, ZSTD, LZ4_RAW, the deprecated Hadoop-framed LZ4 and BROTLI
/// are supported; LZO is not. Decompression checks the page header's uncompressed size before
/// allocating: it must be at most 1 GiB and within the codec's largest possible expansion of the
/// compressed bytes, so a hostile header cannot make lake allocate more than the data can fill.
/// All functions are thread-safe.
public enum PageCompression {
    /// The largest uncompressed page lake accepts (1 GiB).
    public static let maxUncompressedSize = 1 << 30

    /// Compresses `input`.
    ///
    /// - Parameters:
    ///   - input: The page bytes (at most `Int32.max`, the limit of the page header's sizes).
    ///   - codec: The codec to use.
    ///   - level: The codec's compression level; `nil` selects lake's default (GZIP 6, ZSTD 1,
    ///     BROTLI 1). Ignored by codecs without levels.
    /// - Returns: The compressed bytes, in the framing Parquet readers expect for `codec`.
    /// - Throws: `ParquetError(.unsupported)` for LZO, `.invalidArgument` for a level the codec
    ///   rejects or an input above 2 GiB, `.codec` if the codec library fails.
    public static func compress(
        _ input: UnsafeRawBufferPointer, codec: CompressionCodec, level: Int32? = nil
    ) throws(ParquetError) -> [UInt8] {
        guard input.count <= Int(Int32.max) else {
            throw ParquetError(.invalidArgument, "\(input.count)-byte page is too large to compress with \(codec.name)")
        }
        switch codec {
        case .uncompressed: return [UInt8](input)
        case .gzip: return try gzipCompress(input, level: level ?? 6)
        case .snappy: return try snappyCompress(input)
        case .zstd: return try zstdCompress(input, level: level ?? 1)
        case .lz4Raw: return try lz4RawCompress(input)
        case .lz4: return try lz4HadoopCompress(input)
        case .brotli: return try brotliCompress(input, level: level ?? 1)
        case .lzo: throw unsupportedLZO()
        }
    }

    /// Decompresses `input` into exactly `uncompressedSize` bytes.
    ///
    /// - Parameters:
    ///   - input: The compressed page bytes.
    ///   - codec: The page's codec.
    ///   - uncompressedSize: The page header's uncompressed size.
    /// - Returns: Exactly `uncompressedSize` bytes.
    /// - Throws: `ParquetError(.corrupt)` naming the codec when the data is corrupt or truncated,
    ///   decompresses to a different size, or `uncompressedSize` is negative, above
    ///   ``maxUncompressedSize`` or beyond what `input` could expand to, or `input` is above 2 GiB;
    ///   `.unsupported` for LZO.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, codec: CompressionCodec, uncompressedSize: Int
    ) throws(ParquetError) -> [UInt8] {
        guard input.count <= Int(Int32.max) else {
            throw ParquetError(.corrupt, "\(input.count)-byte \(codec.name) page exceeds the 2 GiB page size limit")
        }
        try checkUncompressedSize(uncompressedSize, compressed: input.count, codec: codec)
        if input.isEmpty && uncompressedSize == 0 { return [] }
        switch codec {
        case .uncompressed: return [UInt8](input)
        case .gzip: return try gzipDecompress(input, size: uncompressedSize)
        case .snappy: return try snappyDecompress(input, size: uncompressedSize)
        case .zstd: return try zstdDecompress(input, size: uncompressedSize)
        case .lz4Raw: return try lz4RawDecompress(input, size: uncompressedSize)
        case .lz4: return try lz4HadoopDecompress(input, size: uncompressedSize)
        case .brotli: return try brotliDecompress(input, size: uncompressedSize)
        case .lzo: throw unsupportedLZO()
        }
    }

    /// Whether this build can compress and decompress `codec` (every codec but LZO).
    public static func isSupported(_ codec: CompressionCodec) -> Bool {
        codec != .lzo
    }

    /// The most bytes one compressed byte can expand to, from each format's densest encoding
    /// (deflate: 258 bytes in 2 bits; snappy: 64 bytes per 3-byte copy; LZ4: 255 bytes per
    /// length byte; zstd: a 128 KiB RLE block in 4 bytes), or nil where no useful bound exists.
    private static func maxExpansion(_ codec: CompressionCodec) -> Int? {
        switch codec {
        case .uncompressed: 1
        case .gzip: 1032
        case .snappy: 32
        case .lz4, .lz4Raw: 256
        case .zstd: 32768
        case .brotli, .lzo: nil
        }
    }

    private static func checkUncompressedSize(
        _ size: Int, compressed: Int, codec: CompressionCodec
    ) throws(ParquetError) {
        guard size >= 0 else {
            throw ParquetError(.corrupt, "\(codec.name) page declares negative uncompressed size \(size)")
        }
        guard size <= maxUncompressedSize else {
            throw ParquetError(
                .corrupt,
                "\(codec.name) page declares uncompressed size \(size), above lake's limit of \(maxUncompressedSize) bytes"
            )
        }
        if codec == .uncompressed {
            guard size == compressed else {
                throw ParquetError(.corrupt, "UNCOMPRESSED page holds \(compressed) bytes, its header says \(size)")
            }
        } else if let ratio = maxExpansion(codec), size > compressed * ratio + 1024 {
            throw ParquetError(
                .corrupt, "\(codec.name) page of \(compressed) bytes cannot expand to the declared \(size) bytes")
        }
    }

    private static func unsupportedLZO() -> ParquetError {
        ParquetError(
            .unsupported, "the LZO codec is not supported (it is deprecated and has no license-compatible library)")
    }

    /// The error for output whose size differs from the page header's.
    static func sizeMismatch(_ codec: CompressionCodec, produced: String, expected: Int) -> ParquetError {
        ParquetError(.corrupt, "\(codec.name) data decompressed to \(produced) bytes, the page header says \(expected)")
    }

    /// Runs `body` with a non-null base address for `input`, even when it is empty.
    @inline(__always)
    static func withBase<R>(_ input: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        if let base = input.baseAddress {
            return body(base.assumingMemoryBound(to: UInt8.self))
        }
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { body($0) }
    }

    /// Allocates `capacity` bytes (at least one, so the C libraries get a real pointer), lets
    /// `fill` write into them and report how many it initialised.
    @inline(__always)
    static func output(capacity: Int, _ fill: (UnsafeMutablePointer<UInt8>, Int) -> Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: max(capacity, 1)) { buffer, initialized in
            initialized = max(0, min(fill(buffer.baseAddress!, capacity), capacity))
        }
    }
}
