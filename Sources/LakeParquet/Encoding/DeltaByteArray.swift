import LakeBase
/// The DELTA_BYTE_ARRAY (incremental or front coding) encoding: for each value the length of
/// the prefix it shares with the previous value (a DELTA_BINARY_PACKED block of INT32), then
/// the remaining suffixes as DELTA_LENGTH_BYTE_ARRAY.
public enum DeltaByteArray {
    /// The most bytes one page may reconstruct; prefixes let a small page describe a huge output.
    static let maxDecodedBytes = 1 << 31

    /// Appends `values` front-coded: shared prefix lengths, then suffix lengths and suffix bytes.
    public static func encode(_ values: ByteArrayValues, into out: inout ByteWriter) {
        let n = values.count
        var prefixes = [Int32](repeating: 0, count: n)
        values.bytes.withUnsafeBufferPointer { bytes in
            values.offsets.withUnsafeBufferPointer { offsets in
                prefixes.withUnsafeMutableBufferPointer { prefixes in
                    for i in 1..<max(n, 1) {
                        let a = offsets[i - 1]
                        let b = offsets[i]
                        let limit = min(b - a, offsets[i + 1] - b)
                        var p = 0
                        while p < limit && bytes[a + p] == bytes[b + p] { p += 1 }
                        prefixes[i] = Int32(p)
                    }
                }
                prefixes.withUnsafeBufferPointer { prefixes in
                    DeltaBinaryPacked.encode(count: n, into: &out) { prefixes[$0] }
                    DeltaBinaryPacked.encode(count: n, into: &out) { i in
                        Int32(offsets[i + 1] - offsets[i]) - prefixes[i]
                    }
                }
                for i in 0..<n {
                    let start = offsets[i] + Int(prefixes[i])
                    out.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<offsets[i + 1]])))
                }
            }
        }
    }

    /// Decodes `count` BYTE_ARRAY values, appending them to `out`.
    ///
    /// The first value's prefix length must be 0 and every other value's must not exceed the
    /// previous value's length.
    /// - Throws: `ParquetError(.corrupt)` for a negative or too long prefix, a count mismatch in
    ///   either length block, or a page that would expand beyond 2 GiB; `.truncated` when
    ///   suffix bytes are missing.
    public static func decode(
        _ input: UnsafeRawBufferPointer, count: Int, into out: inout ByteArrayValues
    ) throws(ParquetError) {
        let parts = try Parts(input, count: count)
        // Pass 1: validate prefixes against lengths and lay out the offsets.
        let base = out.bytes.count
        var previousLength = 0
        var total = 0
        out.offsets.reserveCapacity(out.offsets.count + count)
        for i in 0..<count {
            let prefix = Int(parts.prefixes[i])
            try parts.checkPrefix(prefix, of: i, previousLength: previousLength)
            let length = prefix + Int(parts.suffixLengths[i])
            total += length
            guard total <= maxDecodedBytes else {
                throw ParquetError(
                    .corrupt, "DELTA_BYTE_ARRAY page expands past \(maxDecodedBytes) bytes at value \(i)")
            }
            out.offsets.append(base + total)
            previousLength = length
        }
        // Pass 2: copy prefixes from the previous value and suffixes from the input.
        out.bytes.append(contentsOf: repeatElement(0, count: total))
        guard total > 0 else { return }
        out.bytes.withUnsafeMutableBytes { dst in
            parts.reconstruct(into: dst.baseAddress! + base)
        }
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `width` bytes, appending them to `out`.
    ///
    /// - Throws: `ParquetError(.corrupt)` when a reconstructed value is not `width` bytes long or
    ///   a prefix is invalid, `.invalidArgument` when `width` differs from `out.width`.
    public static func decode(
        _ input: UnsafeRawBufferPointer, count: Int, width: Int, into out: inout FixedByteArrayValues
    ) throws(ParquetError) {
        guard width == out.width else {
            throw ParquetError(.invalidArgument, "decoding width \(width) into values of width \(out.width)")
        }
        let parts = try Parts(input, count: count)
        var previousLength = 0
        for i in 0..<count {
            let prefix = Int(parts.prefixes[i])
            try parts.checkPrefix(prefix, of: i, previousLength: previousLength)
            let length = prefix + Int(parts.suffixLengths[i])
            guard length == width else {
                throw ParquetError(
                    .corrupt, "DELTA_BYTE_ARRAY value \(i) has \(length) bytes, the column's width is \(width)")
            }
            previousLength = length
        }
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, total <= maxDecodedBytes else {
            throw ParquetError(.corrupt, "DELTA_BYTE_ARRAY page of \(count) values of \(width) bytes is too large")
        }
        let base = out.bytes.count
        out.bytes.append(contentsOf: repeatElement(0, count: total))
        guard total > 0 else { return }
        out.bytes.withUnsafeMutableBytes { dst in
            parts.reconstruct(into: dst.baseAddress! + base)
        }
    }

    /// The decoded streams of one page: prefix lengths, suffix lengths and suffix bytes.
    private struct Parts {
        var prefixes: [Int32]
        var suffixLengths: [Int32]
        var suffixes: UnsafeRawBufferPointer

        init(_ input: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
            prefixes = []
            let (consumed, total) = try DeltaBinaryPacked.decodeValues(input, count: count, into: &prefixes)
            guard total == count else {
                throw ParquetError(
                    .corrupt, "DELTA_BYTE_ARRAY prefix block holds \(total) lengths, the page has \(count) values")
            }
            let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
            do throws(ParquetError) {
                let (lengths, dataStart) = try DeltaLengthByteArray.decodeLengths(
                    rest, count: count, what: "DELTA_BYTE_ARRAY suffix")
                suffixLengths = lengths
                suffixes = UnsafeRawBufferPointer(rebasing: rest[dataStart...])
            } catch {
                throw error.located("DELTA_BYTE_ARRAY suffixes at offset \(consumed)")
            }
        }

        func checkPrefix(_ prefix: Int, of i: Int, previousLength: Int) throws(ParquetError) {
            guard prefix >= 0, prefix <= previousLength else {
                throw ParquetError(
                    .corrupt,
                    "DELTA_BYTE_ARRAY value \(i) has prefix length \(prefix), the previous value has \(previousLength) bytes"
                )
            }
        }

        /// Writes every value back to back at `dst`; prefixes were validated by the caller.
        func reconstruct(into dst: UnsafeMutableRawPointer) {
            var write = 0
            var previousStart = 0
            var read = 0
            for i in 0..<prefixes.count {
                let prefix = Int(prefixes[i])
                let suffix = Int(suffixLengths[i])
                if prefix > 0 {
                    (dst + write).copyMemory(from: dst + previousStart, byteCount: prefix)
                }
                if suffix > 0 {
                    (dst + write + prefix).copyMemory(from: suffixes.baseAddress! + read, byteCount: suffix)
                }
                previousStart = write
                write += prefix + suffix
                read += suffix
            }
        }
    }
}
