import CSnappy

/// SNAPPY pages through the snappy C API: raw snappy blocks, no framing.
extension PageCompression {
    static func snappyCompress(_ input: UnsafeRawBufferPointer) throws(ParquetError) -> [UInt8] {
        var status = SNAPPY_OK
        let result = withBase(input) { source in
            output(capacity: snappy_max_compressed_length(input.count)) { destination, capacity in
                var length = capacity
                status = source.withMemoryRebound(to: CChar.self, capacity: max(input.count, 1)) { source in
                    destination.withMemoryRebound(to: CChar.self, capacity: capacity) { destination in
                        snappy_compress(source, input.count, destination, &length)
                    }
                }
                return status == SNAPPY_OK ? length : 0
            }
        }
        guard status == SNAPPY_OK else {
            throw ParquetError(
                .codec, "SNAPPY compression of \(input.count) bytes failed with status \(status.rawValue)")
        }
        return result
    }

    static func snappyDecompress(_ input: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        let declared: Int? = withBase(input) { source in
            source.withMemoryRebound(to: CChar.self, capacity: input.count) { source in
                var length = 0
                return snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK ? length : nil
            }
        }
        guard let declared else {
            throw ParquetError(.corrupt, "SNAPPY data of \(input.count) bytes has no valid length preamble")
        }
        guard declared == size else {
            throw sizeMismatch(.snappy, produced: "\(declared) (per its preamble)", expected: size)
        }
        var status = SNAPPY_OK
        let result = withBase(input) { source in
            output(capacity: size) { destination, capacity in
                var length = capacity
                status = source.withMemoryRebound(to: CChar.self, capacity: input.count) { source in
                    destination.withMemoryRebound(to: CChar.self, capacity: max(capacity, 1)) { destination in
                        snappy_uncompress(source, input.count, destination, &length)
                    }
                }
                return status == SNAPPY_OK ? length : 0
            }
        }
        guard status == SNAPPY_OK else {
            throw ParquetError(.corrupt, "SNAPPY data of \(input.count) bytes is corrupt (status \(status.rawValue))")
        }
        guard result.count == size else {
            throw sizeMismatch(.snappy, produced: "\(result.count)", expected: size)
        }
        return result
    }
}
