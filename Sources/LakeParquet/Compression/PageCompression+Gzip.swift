import CZlib

/// GZIP pages through zlib: written in the gzip format (RFC 1952) as parquet-mr writes them,
/// read as gzip or zlib, including several concatenated members.
extension PageCompression {
    static func gzipCompress(_ input: UnsafeRawBufferPointer, level: Int32) throws(ParquetError) -> [UInt8] {
        guard (-1...9).contains(level) else {
            throw ParquetError(.invalidArgument, "GZIP level \(level) is outside -1...9")
        }
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper.
        let initStatus = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw ParquetError(.codec, "GZIP deflateInit2 failed with status \(initStatus)")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var status = Z_OK
        let result = withBase(input) { source in
            output(capacity: bound) { destination, capacity in
                stream.next_in = UnsafeMutablePointer(mutating: source)
                stream.avail_in = uInt(input.count)
                stream.next_out = destination
                stream.avail_out = uInt(capacity)
                status = deflate(&stream, Z_FINISH)
                return capacity - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else {
            throw ParquetError(
                .codec, "GZIP deflate of \(input.count) bytes failed with status \(status)\(zlibMessage(stream))")
        }
        return result
    }

    static func gzipDecompress(_ input: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 32 accepts both gzip and zlib headers.
        let initStatus = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw ParquetError(.codec, "GZIP inflateInit2 failed with status \(initStatus)")
        }
        defer { inflateEnd(&stream) }
        var failure: ParquetError?
        // One spare byte tells "exactly `size`" from "more than `size`".
        let capacity = size + 1
        let result = withBase(input) { source in
            output(capacity: capacity) { destination, capacity in
                stream.next_in = UnsafeMutablePointer(mutating: source)
                stream.avail_in = uInt(input.count)
                stream.next_out = destination
                stream.avail_out = uInt(capacity)
                while true {
                    let status = inflate(&stream, Z_NO_FLUSH)
                    let consumed = input.count - Int(stream.avail_in)
                    if status == Z_STREAM_END {
                        if stream.avail_in == 0 { break }
                        // Another gzip (or zlib) member follows.
                        inflateReset(&stream)
                        continue
                    }
                    if stream.avail_out == 0 {
                        failure = sizeMismatch(.gzip, produced: "more than \(size)", expected: size)
                        break
                    }
                    if status == Z_OK { continue }
                    if status == Z_BUF_ERROR {
                        failure = ParquetError(
                            .corrupt, "GZIP data is truncated: input ends after \(consumed) bytes mid-stream")
                    } else {
                        failure = ParquetError(
                            .corrupt,
                            "GZIP data is corrupt near input offset \(consumed): status \(status)\(zlibMessage(stream))"
                        )
                    }
                    break
                }
                return capacity - Int(stream.avail_out)
            }
        }
        if let failure { throw failure }
        guard result.count == size else {
            throw sizeMismatch(.gzip, produced: "\(result.count)", expected: size)
        }
        return result
    }

    private static func zlibMessage(_ stream: z_stream) -> String {
        guard let message = stream.msg else { return "" }
        return " (\(String(cString: message)))"
    }
}
