import LakeBase
/// The PLAIN encoding: fixed-width values little-endian back to back, BYTE_ARRAY as a 4-byte
/// length then the bytes, BOOLEAN bit-packed LSB first, FIXED_LEN_BYTE_ARRAY raw.
public enum PlainEncoding {
    /// Appends `values[range]` PLAIN-encoded.
    public static func encode(_ values: ColumnData, range: Range<Int>, into out: inout ByteWriter) {
        switch values {
        case .boolean(let a):
            var byte: UInt8 = 0
            var bit = 0
            for i in range {
                if a[i] { byte |= 1 << UInt8(bit) }
                bit += 1
                if bit == 8 { out.append(byte); byte = 0; bit = 0 }
            }
            if bit > 0 { out.append(byte) }
        case .int32(let a): a.withUnsafeBufferPointer { out.appendRaw(UnsafeBufferPointer(rebasing: $0[range])) }
        case .int64(let a): a.withUnsafeBufferPointer { out.appendRaw(UnsafeBufferPointer(rebasing: $0[range])) }
        case .float(let a): a.withUnsafeBufferPointer { out.appendRaw(UnsafeBufferPointer(rebasing: $0[range])) }
        case .double(let a): a.withUnsafeBufferPointer { out.appendRaw(UnsafeBufferPointer(rebasing: $0[range])) }
        case .byteArray(let a):
            guard !range.isEmpty else { return }
            let total = a.offsets[range.upperBound] - a.offsets[range.lowerBound] + 4 * range.count
            let start = out.bytes.count
            out.bytes.append(contentsOf: repeatElement(0, count: total))
            a.bytes.withUnsafeBufferPointer { src in
                a.offsets.withUnsafeBufferPointer { off in
                    out.bytes.withUnsafeMutableBytes { dst in
                        var at = start
                        for i in range {
                            let lo = off[i], len = off[i + 1] - lo
                            dst.storeBytes(of: UInt32(len).littleEndian, toByteOffset: at, as: UInt32.self)
                            if len > 0 {
                                (dst.baseAddress! + at + 4).copyMemory(from: src.baseAddress! + lo, byteCount: len)
                            }
                            at += 4 + len
                        }
                    }
                }
            }
        case .fixedByteArray(let a):
            out.bytes.append(contentsOf: a.bytes[(range.lowerBound * a.width)..<(range.upperBound * a.width)])
        case .list, .map, .structure:
            preconditionFailure("PLAIN encodes leaf values only")
        }
    }

    /// The PLAIN-encoded size of `values[range]` without encoding them.
    public static func encodedSize(_ values: ColumnData, range: Range<Int>) -> Int {
        switch values {
        case .boolean: (range.count + 7) / 8
        case .int32, .float: 4 * range.count
        case .int64, .double: 8 * range.count
        case .byteArray(let a):
            range.isEmpty ? 0 : a.offsets[range.upperBound] - a.offsets[range.lowerBound] + 4 * range.count
        case .fixedByteArray(let a): a.width * range.count
        case .list, .map, .structure: 0
        }
    }

    /// Decodes `count` PLAIN values of `type` from `input`, appending to `out`.
    /// Returns the number of bytes consumed. INT96 values become nanoseconds since the epoch.
    @discardableResult
    public static func decode(
        _ input: UnsafeRawBufferPointer, type: PhysicalType, typeLength: Int, count: Int,
        into out: inout ColumnData
    ) throws(ParquetError) -> Int {
        func need(_ bytes: Int) throws(ParquetError) {
            guard bytes <= input.count else {
                throw ParquetError(
                    .truncated, "PLAIN \(type.name): \(count) values need \(bytes) bytes, page has \(input.count)")
            }
        }
        // Move the storage out of `out` so the arrays below are uniquely referenced and grow in place.
        var taken = out
        out = .int32([])
        switch (type, taken.kindTag) {
        case (.boolean, .boolean):
            guard case .boolean(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            try need((count + 7) / 8)
            a.reserveCapacity(a.count + count)
            for i in 0..<count { a.append(input[i >> 3] & (1 << UInt8(i & 7)) != 0) }
            out = .boolean(a)
            return (count + 7) / 8
        case (.int32, .int32):
            guard case .int32(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            try need(4 * count); appendRaw(input, count, &a); out = .int32(a); return 4 * count
        case (.int64, .int64):
            guard case .int64(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            try need(8 * count); appendRaw(input, count, &a); out = .int64(a); return 8 * count
        case (.float, .float):
            guard case .float(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            try need(4 * count); appendRaw(input, count, &a); out = .float(a); return 4 * count
        case (.double, .double):
            guard case .double(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            try need(8 * count); appendRaw(input, count, &a); out = .double(a); return 8 * count
        case (.int96, .int64):
            guard case .int64(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            try need(12 * count)
            a.reserveCapacity(a.count + count)
            for i in 0..<count {
                let nanosOfDay = input.loadUnaligned(fromByteOffset: 12 * i, as: UInt64.self).littleEndian
                let julianDay = input.loadUnaligned(fromByteOffset: 12 * i + 8, as: UInt32.self).littleEndian
                let days = Int64(julianDay) - 2_440_588
                a.append(days &* 86_400_000_000_000 &+ Int64(bitPattern: nanosOfDay))
            }
            out = .int64(a)
            return 12 * count
        case (.byteArray, .byteArray):
            guard case .byteArray(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            defer { out = .byteArray(a) }
            // First pass: check every length against the page; second: copy the values.
            var pos = 0
            let n = input.count
            for i in 0..<count {
                guard pos + 4 <= n else {
                    throw ParquetError(
                        .truncated,
                        "PLAIN BYTE_ARRAY: value \(i) of \(count) starts past the end of the page (offset \(pos))")
                }
                let len = Int(input.loadUnaligned(fromByteOffset: pos, as: UInt32.self).littleEndian)
                pos += 4
                guard len <= n - pos else {
                    throw ParquetError(
                        .corrupt,
                        "PLAIN BYTE_ARRAY: value \(i) has length \(len) at offset \(pos - 4) but only \(n - pos) bytes remain"
                    )
                }
                pos += len
            }
            let consumed = pos
            let start = a.bytes.count
            if count > 0, let src = input.baseAddress {
                a.appendValues(count: count, totalBytes: consumed - 4 * count) { bytes, offsets in
                    var at = 0, written = 0
                    for i in 0..<count {
                        let len = Int(src.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                        (bytes + written).update(from: (src + at + 4).assumingMemoryBound(to: UInt8.self), count: len)
                        written += len
                        offsets[i] = start + written
                        at += 4 + len
                    }
                }
            }
            return consumed
        case (.fixedLenByteArray, .fixedByteArray):
            guard case .fixedByteArray(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            guard typeLength > 0 else { throw ParquetError(.corrupt, "FIXED_LEN_BYTE_ARRAY with width \(typeLength)") }
            let (total, overflow) = typeLength.multipliedReportingOverflow(by: count)
            guard !overflow else {
                throw ParquetError(.corrupt, "FIXED_LEN_BYTE_ARRAY: \(count) values of \(typeLength) bytes overflow")
            }
            try need(total)
            a.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[0..<total]))
            out = .fixedByteArray(a)
            return total
        default:
            out = taken
            throw ParquetError(.invalidArgument, "PLAIN: cannot decode \(type.name) into \(taken.kindName)")
        }
    }

    @inline(__always)
    private static func appendRaw<T: BitwiseCopyable>(_ input: UnsafeRawBufferPointer, _ count: Int, _ a: inout [T]) {
        let bytes = count * MemoryLayout<T>.stride
        let fresh = [T](unsafeUninitializedCapacity: count) { buf, n in
            UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: input[0..<bytes]))
            n = count
        }
        if a.isEmpty { a = fresh } else { a.append(contentsOf: fresh) }
    }
}
