/// The unchecked unpacking kernels behind ``BitPacking/unpack(_:bitWidth:count:into:)`` and
/// ``BitPacking/unpack32(_:bitWidth:count:into:)``. Callers have checked that `byteCount` covers
/// `ceil(count * bitWidth / 8)` bytes and that the width is in range and non-zero.
extension BitPacking {
    /// Unpacks `count` values of `bitWidth` (1...32) bits from `src` into `dst`.
    static func unpack32Unchecked(
        _ src: UnsafeRawPointer, byteCount: Int, bitWidth: Int, count: Int, into dst: UnsafeMutablePointer<UInt32>
    ) {
        // Group g covers bytes g*w ..< (g+1)*w; its last 8-byte load starts at g*w + (7*w)/8.
        let lastLoad = (7 &* bitWidth) &>> 3
        var fast = 0
        if byteCount >= lastLoad + 8 {
            fast = min(count / 8, (byteCount - lastLoad - 8) / bitWidth + 1)
        }
        switch bitWidth {
        case 1: groups32(src, fast, dst, 1)
        case 2: groups32(src, fast, dst, 2)
        case 3: groups32(src, fast, dst, 3)
        case 4: groups32(src, fast, dst, 4)
        case 5: groups32(src, fast, dst, 5)
        case 6: groups32(src, fast, dst, 6)
        case 7: groups32(src, fast, dst, 7)
        case 8: groups32(src, fast, dst, 8)
        case 9: groups32(src, fast, dst, 9)
        case 10: groups32(src, fast, dst, 10)
        case 11: groups32(src, fast, dst, 11)
        case 12: groups32(src, fast, dst, 12)
        case 13: groups32(src, fast, dst, 13)
        case 14: groups32(src, fast, dst, 14)
        case 15: groups32(src, fast, dst, 15)
        case 16: groups32(src, fast, dst, 16)
        case 17: groups32(src, fast, dst, 17)
        case 18: groups32(src, fast, dst, 18)
        case 19: groups32(src, fast, dst, 19)
        case 20: groups32(src, fast, dst, 20)
        case 21: groups32(src, fast, dst, 21)
        case 22: groups32(src, fast, dst, 22)
        case 23: groups32(src, fast, dst, 23)
        case 24: groups32(src, fast, dst, 24)
        case 25: groups32(src, fast, dst, 25)
        case 26: groups32(src, fast, dst, 26)
        case 27: groups32(src, fast, dst, 27)
        case 28: groups32(src, fast, dst, 28)
        case 29: groups32(src, fast, dst, 29)
        case 30: groups32(src, fast, dst, 30)
        case 31: groups32(src, fast, dst, 31)
        case 32: groups32(src, fast, dst, 32)
        default: fast = 0
        }
        let mask = (UInt64(1) &<< UInt64(bitWidth)) &- 1
        var i = fast &* 8
        while i < count {
            let bit = i &* bitWidth
            let word = loadWord(src, at: bit &>> 3, byteCount: byteCount)
            dst[i] = UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
            i += 1
        }
    }

    /// Unpacks `groups` whole groups of 8 values; `w` is a literal at every call site so each
    /// width gets its own unrolled code with constant shifts.
    @inline(__always)
    private static func groups32(_ src: UnsafeRawPointer, _ groups: Int, _ dst: UnsafeMutablePointer<UInt32>, _ w: Int)
    {
        let mask = (UInt64(1) &<< UInt64(w)) &- 1
        var s = src
        var d = dst
        for _ in 0..<groups {
            d[0] = extract(s, 0, mask)
            d[1] = extract(s, w, mask)
            d[2] = extract(s, 2 &* w, mask)
            d[3] = extract(s, 3 &* w, mask)
            d[4] = extract(s, 4 &* w, mask)
            d[5] = extract(s, 5 &* w, mask)
            d[6] = extract(s, 6 &* w, mask)
            d[7] = extract(s, 7 &* w, mask)
            s += w
            d += 8
        }
    }

    @inline(__always)
    private static func extract(_ s: UnsafeRawPointer, _ bit: Int, _ mask: UInt64) -> UInt32 {
        let word = UInt64(littleEndian: s.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
        return UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
    }

    /// Unpacks `count` values of `bitWidth` (1...64) bits from `src` into `dst`.
    static func unpack64Unchecked(
        _ src: UnsafeRawPointer, byteCount: Int, bitWidth: Int, count: Int, into dst: UnsafeMutablePointer<UInt64>
    ) {
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 &<< UInt64(bitWidth)) &- 1
        for i in 0..<count {
            let bit = i &* bitWidth
            let byte = bit &>> 3
            let shift = bit & 7
            var value = loadWord(src, at: byte, byteCount: byteCount) &>> UInt64(shift)
            if shift &+ bitWidth > 64 {
                // The value's top bits spill into a ninth byte, which lies inside the packed data.
                value |= UInt64(src.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< UInt64(64 &- shift)
            }
            dst[i] = value & mask
        }
    }

    /// Loads 8 little-endian bytes at `offset`, or the bytes up to `byteCount` zero-extended.
    @inline(__always)
    static func loadWord(_ src: UnsafeRawPointer, at offset: Int, byteCount: Int) -> UInt64 {
        if offset &+ 8 <= byteCount {
            return UInt64(littleEndian: src.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        var word: UInt64 = 0
        var k = 0
        while offset &+ k < byteCount {
            word |= UInt64(src.load(fromByteOffset: offset &+ k, as: UInt8.self)) &<< UInt64(8 &* k)
            k += 1
        }
        return word
    }
}
