import LakeBase
/// The DELTA_LENGTH_BYTE_ARRAY encoding of BYTE_ARRAY values: all lengths as a
/// DELTA_BINARY_PACKED block of INT32, followed by all value bytes concatenated.
public enum DeltaLengthByteArray {
    /// Appends `values` encoded: their lengths delta-packed, then their bytes.
    ///
    /// Every value must be shorter than 2 GiB (lengths are INT32 in the format).
    public static func encode(_ values: ByteArrayValues, into out: inout ByteWriter) {
        values.offsets.withUnsafeBufferPointer { offsets in
            DeltaBinaryPacked.encode(count: values.count, into: &out) { i in
                Int32(offsets[i + 1] - offsets[i])
            }
        }
        let used = values.offsets[values.count]
        values.bytes.withUnsafeBytes { out.append(UnsafeRawBufferPointer(rebasing: $0[0..<used])) }
    }

    /// Decodes `count` values, appending them to `out`.
    ///
    /// - Parameters:
    ///   - input: The encoded data, starting at the lengths' header.
    ///   - count: The number of values in the page; the lengths' header must hold exactly this many.
    ///   - out: Receives the values.
    /// - Throws: `ParquetError(.corrupt)` for a negative length, a length count that differs from
    ///   `count` or a malformed length block; `.truncated` when the lengths add up to more bytes
    ///   than follow them.
    public static func decode(
        _ input: UnsafeRawBufferPointer, count: Int, into out: inout ByteArrayValues
    ) throws(ParquetError) {
        let (lengths, dataStart) = try decodeLengths(input, count: count, what: "DELTA_LENGTH_BYTE_ARRAY")
        let data = UnsafeRawBufferPointer(rebasing: input[dataStart...])
        var offset = out.bytes.count
        out.offsets.reserveCapacity(out.offsets.count + count)
        for length in lengths {
            offset += Int(length)
            out.offsets.append(offset)
        }
        let used = lengths.reduce(0) { $0 + Int($1) }
        out.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[0..<used]))
    }

    /// Decodes exactly `count` INT32 lengths, checks each is non-negative and that together they
    /// fit in the bytes after the length block.
    ///
    /// - Parameter what: The encoding named in error messages.
    /// - Returns: The lengths and the offset at which the value bytes start.
    static func decodeLengths(
        _ input: UnsafeRawBufferPointer, count: Int, what: String
    ) throws(ParquetError) -> (lengths: [Int32], dataStart: Int) {
        var lengths: [Int32] = []
        let (consumed, total) = try DeltaBinaryPacked.decodeValues(input, count: count, into: &lengths)
        guard total == count else {
            throw ParquetError(.corrupt, "\(what) length block holds \(total) lengths, the page has \(count) values")
        }
        let available = input.count - consumed
        var sum = 0
        for (i, length) in lengths.enumerated() {
            guard length >= 0 else {
                throw ParquetError(.corrupt, "\(what) value \(i) has negative length \(length)")
            }
            sum += Int(length)
            guard sum <= available else {
                throw ParquetError(
                    .truncated,
                    "\(what) values up to \(i) need \(sum) bytes after offset \(consumed), only \(available) remain")
            }
        }
        return (lengths, consumed)
    }
}
