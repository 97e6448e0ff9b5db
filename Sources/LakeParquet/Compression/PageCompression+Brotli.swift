import CBrotli

/// BROTLI pages through the brotli C library: one brotli stream per page.
extension PageCompression {
    static func brotliCompress(_ input: UnsafeRawBufferPointer, level: Int32) throws(ParquetError) -> [UInt8] {
        guard (0...11).contains(level) else {
            throw ParquetError(.invalidArgument, "BROTLI level \(level) is outside 0...11")
        }
        // BrotliEncoderMaxCompressedSize is 0 for the empty input, which needs a couple of bytes.
        let bound = max(BrotliEncoderMaxCompressedSize(input.count), 16)
        var ok = BROTLI_FALSE
        let result = withBase(input) { source in
            output(capacity: bound) { destination, capacity in
                var length = capacity
                ok = BrotliEncoderCompress(
                    level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.count, source, &length, destination)
                return ok == BROTLI_TRUE ? length : 0
            }
        }
        guard ok == BROTLI_TRUE else {
            throw ParquetError(.codec, "BROTLI compression of \(input.count) bytes failed")
        }
        return result
    }

    static func brotliDecompress(_ input: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        guard let decoder = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw ParquetError(.codec, "BROTLI decoder could not be created")
        }
        defer { BrotliDecoderDestroyInstance(decoder) }
        var status = BROTLI_DECODER_RESULT_ERROR
        var unread = 0
        // One spare byte tells "exactly `size`" from "more than `size`".
        let result = withBase(input) { source in
            output(capacity: size + 1) { destination, capacity in
                var availableIn = input.count
                var nextIn: UnsafePointer<UInt8>? = source
                var availableOut = capacity
                var nextOut: UnsafeMutablePointer<UInt8>? = destination
                status = BrotliDecoderDecompressStream(decoder, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                unread = availableIn
                return capacity - availableOut
            }
        }
        switch status {
        case BROTLI_DECODER_RESULT_SUCCESS:
            guard unread == 0 else {
                throw ParquetError(
                    .corrupt, "BROTLI stream ends \(unread) bytes before the end of its \(input.count)-byte page")
            }
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            throw sizeMismatch(.brotli, produced: "more than \(size)", expected: size)
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            throw ParquetError(.corrupt, "BROTLI data is truncated: the stream continues past its \(input.count) bytes")
        default:
            let message = String(cString: BrotliDecoderErrorString(BrotliDecoderGetErrorCode(decoder)))
            throw ParquetError(.corrupt, "BROTLI data of \(input.count) bytes is corrupt: \(message)")
        }
        guard result.count == size else {
            throw sizeMismatch(.brotli, produced: "\(result.count)", expected: size)
        }
        return result
    }
}
