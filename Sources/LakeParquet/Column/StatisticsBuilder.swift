import LakeBase
/// Computes column-chunk statistics (min, max, null count) in the column's sort order.
///
/// Signed order for BOOLEAN, INT32/INT64 (unless unsigned), FLOAT/DOUBLE and decimals;
/// unsigned byte-wise order for strings, binary, FIXED_LEN_BYTE_ARRAY and unsigned integers.
/// NaN never becomes a bound; a zero minimum is written as -0.0 and a zero maximum as +0.0, as
/// the spec asks. Byte-array bounds longer than ``maxBoundLength`` are omitted rather than truncated.
enum StatisticsBuilder {
    static let maxBoundLength = 4096

    static func statistics(values: ColumnData, nullCount: Int, descriptor d: ColumnDescriptor) -> Statistics {
        var stats = Statistics(nullCount: Int64(nullCount))
        guard values.count > 0 else { return stats }
        let order = d.sortOrder
        var w = ByteWriter()
        func bounds<T>(_ a: [T], _ less: (T, T) -> Bool) -> (T, T)? {
            var it = a.makeIterator()
            guard var lo = it.next() else { return nil }
            var hi = lo
            while let v = it.next() {
                if less(v, lo) { lo = v }
                if less(hi, v) { hi = v }
            }
            return (lo, hi)
        }
        func plain<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
            w = ByteWriter(); w.appendLittleEndian(v); return w.bytes
        }
        switch values {
        case .boolean(let a):
            let hasTrue = a.contains(true), hasFalse = a.contains(false)
            stats.minValue = [hasFalse ? 0 : 1]
            stats.maxValue = [hasTrue ? 1 : 0]
        case .int32(let a):
            if order == .unsigned {
                if let (lo, hi) = bounds(a, { UInt32(bitPattern: $0) < UInt32(bitPattern: $1) }) {
                    stats.minValue = plain(lo); stats.maxValue = plain(hi)
                }
            } else if let (lo, hi) = bounds(a, <) {
                stats.minValue = plain(lo); stats.maxValue = plain(hi)
            }
        case .int64(let a):
            if d.physicalType == .int96 { return stats }
            if order == .unsigned {
                if let (lo, hi) = bounds(a, { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) }) {
                    stats.minValue = plain(lo); stats.maxValue = plain(hi)
                }
            } else if let (lo, hi) = bounds(a, <) {
                stats.minValue = plain(lo); stats.maxValue = plain(hi)
            }
        case .float(let a):
            if let (lo, hi) = bounds(a.filter { !$0.isNaN }, <) {
                stats.minValue = plain((lo == 0 ? -Float(0) : lo).bitPattern)
                stats.maxValue = plain((hi == 0 ? Float(0) : hi).bitPattern)
            }
        case .double(let a):
            if let (lo, hi) = bounds(a.filter { !$0.isNaN }, <) {
                stats.minValue = plain((lo == 0 ? -Double(0) : lo).bitPattern)
                stats.maxValue = plain((hi == 0 ? Double(0) : hi).bitPattern)
            }
        case .byteArray(let a):
            var lo = 0, hi = 0
            let signed = order == .signed
            a.bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                func cmp(_ i: Int, _ j: Int) -> Int {
                    let pi = base + a.offsets[i], ni = a.offsets[i + 1] - a.offsets[i]
                    let pj = base + a.offsets[j], nj = a.offsets[j + 1] - a.offsets[j]
                    return signed ? compareSignedBigEndian(pi, ni, pj, nj) : compareUnsigned(pi, ni, pj, nj)
                }
                for i in 1..<a.count {
                    if cmp(i, lo) < 0 { lo = i }
                    if cmp(i, hi) > 0 { hi = i }
                }
            }
            if a.length(at: lo) <= maxBoundLength && a.length(at: hi) <= maxBoundLength {
                stats.minValue = Array(a[lo]); stats.maxValue = Array(a[hi])
            }
        case .fixedByteArray(let a):
            var lo = 0, hi = 0
            let signed = order == .signed
            let width = a.width
            a.bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress!
                func cmp(_ i: Int, _ j: Int) -> Int {
                    signed
                        ? compareSignedBigEndian(base + i * width, width, base + j * width, width)
                        : compareUnsigned(base + i * width, width, base + j * width, width)
                }
                for i in 1..<a.count {
                    if cmp(i, lo) < 0 { lo = i }
                    if cmp(i, hi) > 0 { hi = i }
                }
            }
            if width <= maxBoundLength {
                stats.minValue = Array(a[lo]); stats.maxValue = Array(a[hi])
            }
        case .list, .map, .structure:
            break
        }
        return stats
    }

    /// Byte-wise unsigned comparison; a proper prefix sorts first.
    @inline(__always)
    static func compareUnsigned(_ a: UnsafeRawPointer, _ na: Int, _ b: UnsafeRawPointer, _ nb: Int) -> Int {
        let n = min(na, nb)
        var i = 0
        while i + 8 <= n {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            i += 8
        }
        while i < n {
            let x = a.load(fromByteOffset: i, as: UInt8.self), y = b.load(fromByteOffset: i, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return na == nb ? 0 : (na < nb ? -1 : 1)
    }

    /// Compares big-endian two's-complement integers of possibly different lengths.
    static func compareSignedBigEndian(_ a: UnsafeRawPointer, _ na: Int, _ b: UnsafeRawPointer, _ nb: Int) -> Int {
        func byte(_ p: UnsafeRawPointer, _ n: Int, _ width: Int, _ i: Int) -> UInt8 {
            // Sign-extend to `width` bytes.
            let pad = width - n
            if i < pad { return n > 0 && p.load(as: UInt8.self) & 0x80 != 0 ? 0xFF : 0 }
            return p.load(fromByteOffset: i - pad, as: UInt8.self)
        }
        let width = max(na, nb)
        if width == 0 { return 0 }
        let sa = byte(a, na, width, 0) & 0x80 != 0, sb = byte(b, nb, width, 0) & 0x80 != 0
        if sa != sb { return sa ? -1 : 1 }
        for i in 0..<width {
            let x = byte(a, na, width, i), y = byte(b, nb, width, i)
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}
