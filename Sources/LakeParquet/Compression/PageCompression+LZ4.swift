import CLZ4

/// LZ4 pages through liblz4.
///
/// `LZ4_RAW` is one raw LZ4 block. The deprecated `LZ4` codec is Hadoop's block framing: a
/// sequence of blocks, each `<uncompressed length: u32 BE> <compressed length: u32 BE> <raw LZ4
/// block>`. Some writers used a bare LZ4 block under the `LZ4` name, so when the framing does not
/// parse the reader retries the whole input as one raw block.
extension PageCompression {
    /// The uncompressed size of each Hadoop-framed block lake writes; Hadoop's decompressor
    /// handles blocks up to its 256 KiB buffer.
    static let lz4HadoopBlockSize = 128 * 1024

    static func lz4RawCompress(_ input: UnsafeRawBufferPointer) throws(ParquetError) -> [UInt8] {
        var failed = false
        let result = withBase(input) { source in
            output(capacity: Int(LZ4_compressBound(Int32(input.count)))) { destination, capacity in
                let written = lz4Compress(source, input.count, destination, capacity)
                failed = written == 0
                return written
            }
        }
        guard !failed else {
            throw ParquetError(.codec, "LZ4_RAW compression of \(input.count) bytes failed")
        }
        return result
    }

    static func lz4RawDecompress(_ input: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        var produced: Int32 = 0
        let result = withBase(input) { source in
            output(capacity: size) { destination, capacity in
                produced = lz4Decompress(source, input.count, destination, capacity)
                return Int(max(produced, 0))
            }
        }
        guard produced >= 0 else {
            throw ParquetError(.corrupt, "LZ4_RAW data of \(input.count) bytes is corrupt or larger than \(size) bytes")
        }
        guard result.count == size else {
            throw sizeMismatch(.lz4Raw, produced: "\(result.count)", expected: size)
        }
        return result
    }

    static func lz4HadoopCompress(_ input: UnsafeRawBufferPointer) throws(ParquetError) -> [UInt8] {
        let blocks = (input.count + lz4HadoopBlockSize - 1) / lz4HadoopBlockSize
        let blockBound = Int(LZ4_compressBound(Int32(lz4HadoopBlockSize)))
        var failed = false
        let result = withBase(input) { source in
            output(capacity: blocks * (8 + blockBound)) { destination, capacity in
                var read = 0
                var written = 0
                while read < input.count {
                    let length = min(lz4HadoopBlockSize, input.count - read)
                    let compressed = lz4Compress(
                        source + read, length, destination + written + 8, capacity - written - 8)
                    guard compressed > 0 else {
                        failed = true
                        return 0
                    }
                    storeBigEndian(UInt32(length), at: destination + written)
                    storeBigEndian(UInt32(compressed), at: destination + written + 4)
                    written += 8 + compressed
                    read += length
                }
                return written
            }
        }
        guard !failed else {
            throw ParquetError(.codec, "LZ4 (Hadoop) compression of \(input.count) bytes failed")
        }
        return result
    }

    static func lz4HadoopDecompress(_ input: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        var framed = false
        var raw: Int32 = -1
        let result = withBase(input) { source in
            output(capacity: size) { destination, capacity in
                if let produced = lz4HadoopBlocks(source, input.count, destination, capacity) {
                    framed = true
                    return produced
                }
                raw = lz4Decompress(source, input.count, destination, capacity)
                return Int(max(raw, 0))
            }
        }
        guard framed || raw >= 0 else {
            throw ParquetError(
                .corrupt,
                "LZ4 data of \(input.count) bytes is neither Hadoop-framed LZ4 nor a raw LZ4 block of \(size) bytes")
        }
        guard result.count == size else {
            throw sizeMismatch(.lz4, produced: "\(result.count)", expected: size)
        }
        return result
    }

    /// Decodes Hadoop-framed blocks; nil when the input does not parse as that framing or its
    /// blocks do not fill exactly `capacity` bytes.
    private static func lz4HadoopBlocks(
        _ source: UnsafePointer<UInt8>, _ count: Int, _ destination: UnsafeMutablePointer<UInt8>, _ capacity: Int
    ) -> Int? {
        var read = 0
        var written = 0
        while count - read >= 8 {
            let expected = Int(loadBigEndian(source + read))
            let compressed = Int(loadBigEndian(source + read + 4))
            read += 8
            guard compressed <= count - read, expected <= capacity - written else { return nil }
            let produced = lz4Decompress(source + read, compressed, destination + written, expected)
            guard produced == expected else { return nil }
            read += compressed
            written += expected
        }
        guard read == count, written == capacity else { return nil }
        return written
    }

    /// Compresses one raw block; 0 on failure.
    private static func lz4Compress(
        _ source: UnsafePointer<UInt8>, _ count: Int, _ destination: UnsafeMutablePointer<UInt8>, _ capacity: Int
    ) -> Int {
        source.withMemoryRebound(to: CChar.self, capacity: max(count, 1)) { source in
            destination.withMemoryRebound(to: CChar.self, capacity: max(capacity, 1)) { destination in
                Int(LZ4_compress_default(source, destination, Int32(count), Int32(clamping: capacity)))
            }
        }
    }

    /// Decompresses one raw block into at most `capacity` bytes; negative on corrupt input or
    /// output that would not fit.
    private static func lz4Decompress(
        _ source: UnsafePointer<UInt8>, _ count: Int, _ destination: UnsafeMutablePointer<UInt8>, _ capacity: Int
    ) -> Int32 {
        source.withMemoryRebound(to: CChar.self, capacity: max(count, 1)) { source in
            destination.withMemoryRebound(to: CChar.self, capacity: max(capacity, 1)) { destination in
                LZ4_decompress_safe(source, destination, Int32(clamping: count), Int32(clamping: capacity))
            }
        }
    }

    private static func loadBigEndian(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
    }

    private static func storeBigEndian(_ value: UInt32, at p: UnsafeMutablePointer<UInt8>) {
        p[0] = UInt8(truncatingIfNeeded: value >> 24)
        p[1] = UInt8(truncatingIfNeeded: value >> 16)
        p[2] = UInt8(truncatingIfNeeded: value >> 8)
        p[3] = UInt8(truncatingIfNeeded: value)
    }
}
