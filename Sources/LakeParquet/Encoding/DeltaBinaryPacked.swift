import LakeBase
/// The DELTA_BINARY_PACKED encoding of INT32 and INT64 values.
///
/// Layout: a header `<block size> <miniblocks per block> <total value count> <first value>`
/// (ULEB128, the first value zigzag), then blocks of `block size` deltas, each
/// `<min delta (zigzag)> <one bit-width byte per miniblock> <miniblocks>`, every miniblock
/// holding `block size / miniblocks` values of `delta - min delta` bit-packed at its width.
/// Deltas wrap in the column's own width (32 bits for INT32). The last miniblock with values is
/// padded to full size; widths of miniblocks after it are present but ignored.
public enum DeltaBinaryPacked {
    /// Values per block lake writes (parquet-mr's default).
    static let blockSize = 128
    /// Miniblocks per block lake writes.
    static let miniblocksPerBlock = 4
    /// Values per miniblock lake writes.
    static let valuesPerMiniblock = 32

    /// Appends `values` encoded with blocks of 128 values in 4 miniblocks of 32, as parquet-mr does.
    public static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        encode(count: values.count, into: &out) { values[$0] }
    }

    /// Appends `values` encoded with blocks of 128 values in 4 miniblocks of 32; deltas wrap in 32 bits.
    public static func encode(_ values: UnsafeBufferPointer<Int32>, into out: inout ByteWriter) {
        encode(count: values.count, into: &out) { values[$0] }
    }

    /// Decodes up to `count` INT64 values, appending them to `out`.
    ///
    /// Appends `min(count, total in header)` values; the caller compares the number appended with
    /// what the page promised.
    /// - Parameters:
    ///   - input: The encoded data, starting at the header.
    ///   - count: The most values to decode (the page's number of non-null values).
    ///   - out: Receives the values.
    /// - Returns: The bytes consumed: the end of the last miniblock read (or of the header when no
    ///   block is needed). DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY data follows there.
    /// - Throws: `ParquetError(.corrupt)` for an invalid block size, miniblock count, bit width
    ///   above 64 or varint, `.truncated` when a miniblock's bytes are missing.
    @discardableResult
    public static func decode(
        _ input: UnsafeRawBufferPointer, count: Int, into out: inout [Int64]
    ) throws(ParquetError) -> Int {
        try decodeValues(input, count: count, into: &out).consumed
    }

    /// Decodes up to `count` INT32 values, appending them to `out`.
    ///
    /// As the INT64 form, but the first value and minimum deltas must fit in 32 bits, bit widths
    /// may not exceed 32, and deltas wrap in 32 bits.
    @discardableResult
    public static func decode(
        _ input: UnsafeRawBufferPointer, count: Int, into out: inout [Int32]
    ) throws(ParquetError) -> Int {
        try decodeValues(input, count: count, into: &out).consumed
    }
}

/// The integer types DELTA_BINARY_PACKED carries, with the unpacking kernel for each.
protocol DeltaPackedInteger: FixedWidthInteger, SignedInteger {
    /// Unpacks `count` raw `bitWidth`-bit fields into `dst` as bit patterns of `Self`.
    static func unpackFields(
        _ src: UnsafeRawPointer, byteCount: Int, bitWidth: Int, count: Int, into dst: UnsafeMutablePointer<Self>)
}

extension Int64: DeltaPackedInteger {
    static func unpackFields(
        _ src: UnsafeRawPointer, byteCount: Int, bitWidth: Int, count: Int, into dst: UnsafeMutablePointer<Int64>
    ) {
        dst.withMemoryRebound(to: UInt64.self, capacity: count) {
            BitPacking.unpack64Unchecked(src, byteCount: byteCount, bitWidth: bitWidth, count: count, into: $0)
        }
    }
}

extension Int32: DeltaPackedInteger {
    static func unpackFields(
        _ src: UnsafeRawPointer, byteCount: Int, bitWidth: Int, count: Int, into dst: UnsafeMutablePointer<Int32>
    ) {
        dst.withMemoryRebound(to: UInt32.self, capacity: count) {
            BitPacking.unpack32Unchecked(src, byteCount: byteCount, bitWidth: bitWidth, count: count, into: $0)
        }
    }
}

extension DeltaBinaryPacked {
    /// Encodes `count` values read through `value(i)`, so callers can encode lengths or prefix
    /// lengths without materialising them.
    @inline(__always)
    static func encode<T: FixedWidthInteger & SignedInteger>(
        count n: Int, into out: inout ByteWriter, _ value: (Int) -> T
    ) {
        out.appendVarint(UInt64(blockSize))
        out.appendVarint(UInt64(miniblocksPerBlock))
        out.appendVarint(UInt64(n))
        out.appendZigZag(n > 0 ? Int64(value(0)) : 0)
        guard n > 1 else { return }
        withUnsafeTemporaryAllocation(of: T.self, capacity: blockSize) { deltas in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: valuesPerMiniblock) { fields in
                var previous = value(0)
                var i = 1
                while i < n {
                    let m = min(blockSize, n - i)
                    var minDelta = T.max
                    for k in 0..<m {
                        let v = value(i &+ k)
                        let d = v &- previous
                        deltas[k] = d
                        previous = v
                        if d < minDelta { minDelta = d }
                    }
                    out.appendZigZag(Int64(minDelta))
                    let widthsAt = out.count
                    for _ in 0..<miniblocksPerBlock { out.append(0) }
                    var lo = 0
                    var miniblock = 0
                    while lo < m {
                        let hi = min(lo + valuesPerMiniblock, m)
                        var bits: UInt64 = 0
                        for k in lo..<hi {
                            let field = UInt64(
                                truncatingIfNeeded: T.Magnitude(truncatingIfNeeded: deltas[k] &- minDelta))
                            fields[k &- lo] = field
                            bits |= field
                        }
                        for k in (hi &- lo)..<valuesPerMiniblock { fields[k] = 0 }
                        let width = UInt64.bitWidth - bits.leadingZeroBitCount
                        out.bytes[widthsAt + miniblock] = UInt8(width)
                        BitPacking.packBits(UnsafeBufferPointer(fields), bitWidth: width, into: &out)
                        lo = hi
                        miniblock += 1
                    }
                    i += m
                }
            }
        }
    }

    /// Decodes up to `count` values and reports the bytes consumed and the header's total count.
    static func decodeValues<T: DeltaPackedInteger>(
        _ input: UnsafeRawBufferPointer, count: Int, into out: inout [T]
    ) throws(ParquetError) -> (consumed: Int, total: Int) {
        guard count >= 0 else {
            throw ParquetError(.invalidArgument, "negative DELTA_BINARY_PACKED value count \(count)")
        }
        var reader = ByteReader<ParquetError>(input)
        let blockSize = try reader.readVarint()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(Int32.max) else {
            throw ParquetError(
                .corrupt, "DELTA_BINARY_PACKED block size \(blockSize) at offset 0 is not a positive multiple of 128")
        }
        let miniblocksOffset = reader.position
        let miniblocks = try reader.readVarint()
        guard miniblocks > 0, miniblocks <= blockSize, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0
        else {
            throw ParquetError(
                .corrupt,
                "DELTA_BINARY_PACKED miniblock count \(miniblocks) at offset \(miniblocksOffset) does not split block size \(blockSize) into multiples of 32"
            )
        }
        let totalOffset = reader.position
        let totalRaw = try reader.readVarint()
        guard totalRaw <= UInt64(Int.max) else {
            throw ParquetError(
                .corrupt, "DELTA_BINARY_PACKED value count \(totalRaw) at offset \(totalOffset) is out of range")
        }
        let total = Int(totalRaw)
        let firstOffset = reader.position
        guard let first = T(exactly: try reader.readZigZag()) else {
            throw ParquetError(
                .corrupt, "DELTA_BINARY_PACKED first value at offset \(firstOffset) does not fit in \(T.bitWidth) bits")
        }
        let wanted = min(count, total)
        guard wanted > 0 else { return (reader.position, total) }

        out.reserveCapacity(out.count + min(wanted, input.count &* 8 &+ 1))
        out.append(first)
        var produced = 1
        var previous = first
        let valuesPerMiniblock = Int(blockSize / miniblocks)
        while produced < wanted {
            let blockOffset = reader.position
            guard let minDelta = T(exactly: try reader.readZigZag()) else {
                throw ParquetError(
                    .corrupt,
                    "DELTA_BINARY_PACKED min delta at offset \(blockOffset) does not fit in \(T.bitWidth) bits")
            }
            let widthsOffset = reader.position
            let widths = try reader.readBytes(Int(miniblocks))
            var miniblock = 0
            while produced < wanted && miniblock < widths.count {
                let bitWidth = Int(widths[miniblock])
                guard bitWidth <= T.bitWidth else {
                    throw ParquetError(
                        .corrupt,
                        "DELTA_BINARY_PACKED bit width \(bitWidth) at offset \(widthsOffset + miniblock) exceeds \(T.bitWidth)"
                    )
                }
                let n = min(valuesPerMiniblock, wanted - produced)
                let available = reader.remaining
                let needed = (n * bitWidth + 7) / 8
                guard needed <= available else {
                    throw ParquetError(
                        .truncated,
                        "DELTA_BINARY_PACKED miniblock at offset \(reader.position) needs \(needed) bytes, \(available) left"
                    )
                }
                let start = out.count
                out.append(contentsOf: repeatElement(0, count: n))
                let src = input.baseAddress! + reader.position
                out.withUnsafeMutableBufferPointer { buffer in
                    let dst = buffer.baseAddress! + start
                    if bitWidth > 0 {
                        T.unpackFields(src, byteCount: available, bitWidth: bitWidth, count: n, into: dst)
                    }
                    var value = previous
                    for k in 0..<n {
                        value = value &+ minDelta &+ dst[k]
                        dst[k] = value
                    }
                    previous = value
                }
                produced += n
                reader.position += min(valuesPerMiniblock * bitWidth / 8, available)
                miniblock += 1
            }
        }
        return (reader.position, total)
    }
}
