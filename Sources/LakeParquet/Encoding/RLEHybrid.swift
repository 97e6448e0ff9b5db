import LakeBase
/// The RLE / bit-packed hybrid used for definition/repetition levels, dictionary indices and
/// booleans (the `RLE` encoding).
///
/// The data is a sequence of runs, each introduced by a ULEB128 header:
/// - `header & 1 == 0`: an RLE run of `header >> 1` copies of one value stored in
///   `ceil(bitWidth / 8)` little-endian bytes;
/// - `header & 1 == 1`: a bit-packed run of `header >> 1` groups of 8 values, packed LSB-first
///   with ``BitPacking`` (`bitWidth` bytes per group).
///
/// The 4-byte length prefix that data page v1 levels and RLE booleans carry is not part of this
/// format: the page layer writes and reads it.
public enum RLEHybrid {
    /// The longest RLE run one header describes; longer runs are split (keeps headers within
    /// the 32-bit counters other readers use).
    static let maxRunLength = 1 << 30
    /// The most 8-value groups one bit-packed header describes.
    static let maxGroupsPerRun = 1 << 24

    /// Appends `values` in the hybrid format, without a length prefix.
    ///
    /// Repeats of at least 8 equal values become RLE runs; everything else goes into bit-packed
    /// groups of 8. A bit-packed run only ends on a group boundary, so before an RLE run the
    /// pending literals borrow values from it to fill their last group. The final group is padded
    /// with zeros. Runs in linear time and allocates nothing besides the output.
    /// - Parameters:
    ///   - values: The values; each must be below `2^bitWidth`.
    ///   - bitWidth: Bits per value, `0...32`.
    ///   - out: The writer to append to.
    public static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout ByteWriter) {
        precondition((0...32).contains(bitWidth), "RLE bit width \(bitWidth) is outside 0...32")
        let n = values.count
        var literalStart = 0
        var i = 0
        while i < n {
            let v = values[i]
            var j = i &+ 1
            while j < n && values[j] == v { j &+= 1 }
            let runLength = j &- i
            if runLength >= 8 {
                let pending = i &- literalStart
                let borrow = (8 &- pending % 8) % 8
                if runLength &- borrow >= 8 {
                    if pending &+ borrow > 0 {
                        appendBitPacked(values, literalStart..<(i &+ borrow), bitWidth: bitWidth, into: &out)
                    }
                    appendRepeated(v, count: runLength &- borrow, bitWidth: bitWidth, into: &out)
                    literalStart = j
                }
            }
            i = j
        }
        if literalStart < n {
            appendBitPacked(values, literalStart..<n, bitWidth: bitWidth, into: &out)
        }
    }

    /// Appends RLE runs repeating `value` `count` times.
    private static func appendRepeated(_ value: UInt32, count: Int, bitWidth: Int, into out: inout ByteWriter) {
        let byteWidth = (bitWidth + 7) / 8
        var left = count
        while left > 0 {
            let run = min(left, maxRunLength)
            out.appendVarint(UInt64(run) << 1)
            var v = value
            for _ in 0..<byteWidth {
                out.append(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
            left -= run
        }
    }

    /// Appends `values[range]` as bit-packed runs; a count that is not a multiple of 8 (only at
    /// the end of the data) is padded with zero values.
    private static func appendBitPacked(
        _ values: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, bitWidth: Int, into out: inout ByteWriter
    ) {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + maxGroupsPerRun * 8)
            let groups = (end - start + 7) / 8
            out.appendVarint(UInt64(groups) << 1 | 1)
            let before = out.count
            BitPacking.packBits(UnsafeBufferPointer(rebasing: values[start..<end]), bitWidth: bitWidth, into: &out)
            let padding = groups * bitWidth - (out.count - before)
            if padding > 0 { out.append(contentsOf: repeatElement(0, count: padding)) }
            start = end
        }
    }

    /// Decodes exactly `count` values into `out[0..<count]` and returns the bytes consumed.
    ///
    /// Values past `count` in the final run are ignored, and the final bit-packed run needs only
    /// the bytes that hold the values actually wanted (its padding may be cut short). Runs of
    /// length zero are skipped.
    /// - Parameters:
    ///   - input: The runs, starting at a run header.
    ///   - bitWidth: Bits per value, `0...32`.
    ///   - count: How many values to produce.
    ///   - out: Room for at least `count` values.
    /// - Returns: The offset just past the last run read (the end of its padding, if present).
    /// - Throws: `ParquetError(.truncated)` if the runs end before `count` values, `.corrupt` for
    ///   an RLE value of `2^bitWidth` or more or a malformed header, `.invalidArgument` for a
    ///   width outside `0...32`, a negative count or a too small `out`.
    @discardableResult
    public static func decode(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into out: UnsafeMutableBufferPointer<UInt32>
    ) throws(ParquetError) -> Int {
        guard (0...32).contains(bitWidth) else {
            throw ParquetError(.invalidArgument, "RLE bit width \(bitWidth) is outside 0...32")
        }
        guard count >= 0, out.count >= count else {
            throw ParquetError(.invalidArgument, "cannot decode \(count) RLE values into room for \(out.count)")
        }
        guard count > 0 else { return 0 }
        let dst = out.baseAddress!
        let byteWidth = (bitWidth + 7) / 8
        let maxValue = (UInt64(1) << UInt64(bitWidth)) - 1
        var reader = ByteReader<ParquetError>(input)
        var produced = 0
        while produced < count {
            guard !reader.isAtEnd else {
                throw ParquetError(
                    .truncated, "RLE data ends at offset \(reader.position) after \(produced) of \(count) values")
            }
            let headerOffset = reader.position
            let header = try reader.readVarint()
            let wanted = count - produced
            if header & 1 == 0 {
                let runLength = header >> 1
                guard byteWidth <= reader.remaining else {
                    throw ParquetError(
                        .truncated, "RLE run at offset \(headerOffset) lacks its \(byteWidth)-byte value")
                }
                var value: UInt64 = 0
                for k in 0..<byteWidth {
                    value |= UInt64(input[reader.position + k]) << UInt64(8 * k)
                }
                guard value <= maxValue else {
                    throw ParquetError(
                        .corrupt,
                        "RLE run at offset \(headerOffset) repeats \(value), above the \(bitWidth)-bit maximum")
                }
                reader.position += byteWidth
                let n = runLength < UInt64(wanted) ? Int(runLength) : wanted
                (dst + produced).update(repeating: UInt32(truncatingIfNeeded: value), count: n)
                produced += n
            } else {
                let groups = header >> 1
                let runValues = groups < UInt64(Int.max / 8) ? Int(groups) * 8 : Int.max
                let n = min(runValues, wanted)
                let runBytes = groups < UInt64(Int.max / 32) ? Int(groups) * bitWidth : Int.max
                let available = reader.remaining
                guard let needed = BitPacking.byteCount(count: n, bitWidth: bitWidth), needed <= available else {
                    throw ParquetError(
                        .truncated,
                        "bit-packed run at offset \(headerOffset) needs \(n) values of \(bitWidth) bits, only \(available) bytes left"
                    )
                }
                if bitWidth == 0 {
                    (dst + produced).update(repeating: 0, count: n)
                } else {
                    BitPacking.unpack32Unchecked(
                        input.baseAddress! + reader.position, byteCount: available, bitWidth: bitWidth,
                        count: n, into: dst + produced)
                }
                produced += n
                reader.position += min(runBytes, available)
            }
        }
        return reader.position
    }
}
