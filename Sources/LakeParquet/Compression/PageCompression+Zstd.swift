import CZstd

/// ZSTD pages through libzstd: one or more zstd frames, with or without a content size.
extension PageCompression {
    /// `ZSTD_CONTENTSIZE_UNKNOWN` and `ZSTD_CONTENTSIZE_ERROR` (C macros Swift does not import).
    private static let zstdContentSizeUnknown = UInt64.max
    private static let zstdContentSizeError = UInt64.max - 1

    static func zstdCompress(_ input: UnsafeRawBufferPointer, level: Int32) throws(ParquetError) -> [UInt8] {
        guard (ZSTD_minCLevel()...ZSTD_maxCLevel()).contains(level) else {
            throw ParquetError(
                .invalidArgument, "ZSTD level \(level) is outside \(ZSTD_minCLevel())...\(ZSTD_maxCLevel())")
        }
        var code = 0
        let result = withBase(input) { source in
            output(capacity: ZSTD_compressBound(input.count)) { destination, capacity in
                code = ZstdContextPool.shared.withCompressor { cctx in
                    guard let cctx else { return ZSTD_compress(destination, capacity, source, input.count, level) }
                    return ZSTD_compressCCtx(cctx, destination, capacity, source, input.count, level)
                }
                return ZSTD_isError(code) != 0 ? 0 : code
            }
        }
        guard ZSTD_isError(code) == 0 else {
            throw ParquetError(.codec, "ZSTD compression of \(input.count) bytes failed: \(zstdErrorName(code))")
        }
        return result
    }

    /// Decompresses into a buffer of exactly `size` bytes: zstd stops with an error rather than
    /// write past it, which also bounds frames that do not record their content size.
    static func zstdDecompress(_ input: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        let contentSize = withBase(input) { ZSTD_getFrameContentSize($0, input.count) }
        if contentSize == zstdContentSizeError {
            throw ParquetError(.corrupt, "ZSTD data of \(input.count) bytes does not start with a valid frame header")
        }
        if contentSize != zstdContentSizeUnknown && contentSize > UInt64(size) {
            throw sizeMismatch(.zstd, produced: "\(contentSize) (per its frame header)", expected: size)
        }
        var code = 0
        let result = withBase(input) { source in
            output(capacity: size) { destination, capacity in
                code = ZstdContextPool.shared.withDecompressor { dctx in
                    guard let dctx else { return ZSTD_decompress(destination, capacity, source, input.count) }
                    return ZSTD_decompressDCtx(dctx, destination, capacity, source, input.count)
                }
                return ZSTD_isError(code) != 0 ? 0 : code
            }
        }
        guard ZSTD_isError(code) == 0 else {
            throw ParquetError(
                .corrupt,
                "ZSTD data of \(input.count) bytes is corrupt or larger than \(size) bytes: \(zstdErrorName(code))")
        }
        guard result.count == size else {
            throw sizeMismatch(.zstd, produced: "\(result.count)", expected: size)
        }
        return result
    }

    private static func zstdErrorName(_ code: Int) -> String {
        String(cString: ZSTD_getErrorName(code))
    }
}
