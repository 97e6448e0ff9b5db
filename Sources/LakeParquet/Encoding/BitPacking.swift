import LakeBase
/// Bit packing as Parquet uses it (LSB-first, little-endian), widths 0...64.
///
/// Value `i` occupies bits `i*bitWidth ..< (i+1)*bitWidth` of the byte string read as one
/// little-endian integer: the first value sits in the low bits of the first byte. This is the
/// layout of bit-packed runs in the RLE/bit-packed hybrid and of DELTA_BINARY_PACKED miniblocks
/// (not the deprecated MSB-first `BIT_PACKED` encoding).
public enum BitPacking {
    /// The number of bytes `count` values of `bitWidth` bits occupy: `ceil(count * bitWidth / 8)`.
    ///
    /// Returns `nil` when the product overflows `Int`.
    @inline(__always)
    public static func byteCount(count: Int, bitWidth: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        guard !overflow, bits <= Int.max - 7 else { return nil }
        return (bits + 7) >> 3
    }

    /// Packs `values` LSB-first and appends `ceil(values.count * bitWidth / 8)` bytes to `out`.
    ///
    /// - Parameters:
    ///   - values: The values; each should be below `2^bitWidth` (higher bits are dropped).
    ///   - bitWidth: Bits per value, `0...64`. Width 0 appends nothing.
    ///   - out: The writer to append to.
    public static func pack(_ values: UnsafeBufferPointer<UInt64>, bitWidth: Int, into out: inout ByteWriter) {
        precondition((0...64).contains(bitWidth), "bit width \(bitWidth) is outside 0...64")
        packBits(values, bitWidth: bitWidth, into: &out)
    }

    /// Packs values of any unsigned integer type; the shared kernel of ``pack(_:bitWidth:into:)``
    /// and the RLE/delta encoders. `bitWidth` must not exceed 64.
    @inline(__always)
    static func packBits<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth: Int, into out: inout ByteWriter
    ) {
        guard bitWidth > 0, !values.isEmpty else { return }
        let byteCount = (values.count * bitWidth + 7) >> 3
        let start = out.bytes.count
        out.bytes.append(contentsOf: repeatElement(0, count: byteCount))
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 &<< UInt64(bitWidth)) &- 1
        out.bytes.withUnsafeMutableBytes { raw in
            let dst = raw.baseAddress! + start
            var acc: UInt64 = 0
            var bits = 0
            var pos = 0
            for v in values {
                let x = UInt64(truncatingIfNeeded: v) & mask
                acc |= x &<< UInt64(bits)
                bits += bitWidth
                if bits >= 64 {
                    dst.storeBytes(of: acc.littleEndian, toByteOffset: pos, as: UInt64.self)
                    pos += 8
                    bits -= 64
                    acc = bits == 0 ? 0 : x &>> UInt64(bitWidth - bits)
                }
            }
            while bits > 0 {
                dst.storeBytes(of: UInt8(truncatingIfNeeded: acc), toByteOffset: pos, as: UInt8.self)
                acc &>>= 8
                pos += 1
                bits -= 8
            }
        }
    }

    /// Unpacks `count` values of `bitWidth` bits from `input`, starting at bit 0.
    ///
    /// - Parameters:
    ///   - input: The packed bytes; at least `ceil(count * bitWidth / 8)` of them are read.
    ///   - bitWidth: Bits per value, `0...64`.
    ///   - count: How many values to unpack.
    ///   - out: Receives the values in `out[0..<count]`.
    /// - Throws: `ParquetError(.truncated)` if `input` is shorter than the packed values,
    ///   `.invalidArgument` for a width outside `0...64`, a negative count or a too small `out`.
    public static func unpack(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into out: UnsafeMutableBufferPointer<UInt64>
    ) throws(ParquetError) {
        try checkUnpack(input, bitWidth: bitWidth, maxWidth: 64, count: count, outCount: out.count)
        guard count > 0 else { return }
        guard bitWidth > 0 else {
            out.baseAddress!.update(repeating: 0, count: count)
            return
        }
        unpack64Unchecked(
            input.baseAddress!, byteCount: input.count, bitWidth: bitWidth, count: count, into: out.baseAddress!)
    }

    /// Unpacks `count` values of at most 32 bits into 32-bit outputs: the hot path for
    /// definition/repetition levels and dictionary indices.
    ///
    /// Whole groups of 8 values (exactly `bitWidth` bytes) are unpacked by a kernel specialised
    /// for each width; a final partial group is read byte by byte.
    /// - Throws: `ParquetError(.truncated)` if `input` is shorter than the packed values,
    ///   `.invalidArgument` for a width outside `0...32`, a negative count or a too small `out`.
    public static func unpack32(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into out: UnsafeMutableBufferPointer<UInt32>
    ) throws(ParquetError) {
        try checkUnpack(input, bitWidth: bitWidth, maxWidth: 32, count: count, outCount: out.count)
        guard count > 0 else { return }
        guard bitWidth > 0 else {
            out.baseAddress!.update(repeating: 0, count: count)
            return
        }
        unpack32Unchecked(
            input.baseAddress!, byteCount: input.count, bitWidth: bitWidth, count: count, into: out.baseAddress!)
    }

    private static func checkUnpack(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, maxWidth: Int, count: Int, outCount: Int
    ) throws(ParquetError) {
        guard (0...maxWidth).contains(bitWidth) else {
            throw ParquetError(.invalidArgument, "bit width \(bitWidth) is outside 0...\(maxWidth)")
        }
        guard count >= 0 else {
            throw ParquetError(.invalidArgument, "negative value count \(count) to unpack")
        }
        guard outCount >= count else {
            throw ParquetError(.invalidArgument, "output holds \(outCount) values, \(count) requested")
        }
        guard let needed = byteCount(count: count, bitWidth: bitWidth), needed <= input.count else {
            throw ParquetError(
                .truncated, "\(count) values of \(bitWidth) bits need more than the \(input.count) bytes available")
        }
    }
}
