import LakeBase
/// The BYTE_STREAM_SPLIT encoding: byte `k` of every value goes to stream `k`, and the streams
/// are stored one after another. Used for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
public enum ByteStreamSplit {
    /// Splits the values in `raw` (`raw.count / width` values of `width` bytes, in their
    /// little-endian storage form) into `width` streams and appends them to `out`.
    ///
    /// `raw.count` must be a multiple of `width`, and `width` must be positive.
    public static func encode(_ raw: UnsafeRawBufferPointer, width: Int, into out: inout ByteWriter) {
        precondition(
            width > 0 && raw.count % width == 0,
            "BYTE_STREAM_SPLIT input of \(raw.count) bytes is not a multiple of width \(width)")
        let total = raw.count
        guard total > 0 else { return }
        let count = total / width
        let start = out.bytes.count
        out.bytes.append(contentsOf: repeatElement(0, count: total))
        out.bytes.withUnsafeMutableBytes { dst in
            let d = dst.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
            let s = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            switch width {
            case 4: split(s, d, count: count, width: 4)
            case 8: split(s, d, count: count, width: 8)
            default: split(s, d, count: count, width: width)
            }
        }
    }

    /// Reassembles `count` values of `width` bytes from their `width` streams.
    ///
    /// - Returns: The `count * width` bytes of the values, back to back.
    /// - Throws: `ParquetError(.corrupt)` unless `input` holds exactly `count * width` bytes;
    ///   `.invalidArgument` for a non-positive width or negative count.
    public static func decode(_ input: UnsafeRawBufferPointer, count: Int, width: Int) throws(ParquetError) -> [UInt8] {
        guard width > 0, count >= 0 else {
            throw ParquetError(
                .invalidArgument, "BYTE_STREAM_SPLIT needs a positive width and count, got \(width) and \(count)")
        }
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, total == input.count else {
            throw ParquetError(
                .corrupt,
                "BYTE_STREAM_SPLIT data has \(input.count) bytes, \(count) values of \(width) bytes need \(overflow ? "more" : "\(total)")"
            )
        }
        guard total > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let d = buffer.baseAddress!
            let s = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            switch width {
            case 4: join(s, d, count: count, width: 4)
            case 8: join(s, d, count: count, width: 8)
            default: join(s, d, count: count, width: width)
            }
            initialized = total
        }
    }

    @inline(__always)
    private static func split(_ s: UnsafePointer<UInt8>, _ d: UnsafeMutablePointer<UInt8>, count: Int, width: Int) {
        for i in 0..<count {
            let value = s + i &* width
            for k in 0..<width {
                d[k &* count &+ i] = value[k]
            }
        }
    }

    @inline(__always)
    private static func join(_ s: UnsafePointer<UInt8>, _ d: UnsafeMutablePointer<UInt8>, count: Int, width: Int) {
        for i in 0..<count {
            let value = d + i &* width
            for k in 0..<width {
                value[k] = s[k &* count &+ i]
            }
        }
    }
}
