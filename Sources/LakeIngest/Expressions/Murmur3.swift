/// MurmurHash3, x86 32-bit variant (Austin Appleby's reference algorithm), over bytes.
enum Murmur3 {
    /// The hash of `bytes` with `seed`.
    static func hash32(_ bytes: UnsafeRawBufferPointer, seed: UInt32) -> UInt32 {
        let c1: UInt32 = 0xCC9E_2D51
        let c2: UInt32 = 0x1B87_3593
        var h = seed
        let n = bytes.count
        let blocks = n / 4
        for i in 0..<blocks {
            var k = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            k &*= c1
            k = (k << 15) | (k >> 17)
            k &*= c2
            h ^= k
            h = (h << 13) | (h >> 19)
            h = h &* 5 &+ 0xE654_6B64
        }
        var k: UInt32 = 0
        let tail = blocks * 4
        switch n & 3 {
        case 3:
            k ^= UInt32(bytes[tail + 2]) << 16
            fallthrough
        case 2:
            k ^= UInt32(bytes[tail + 1]) << 8
            fallthrough
        case 1:
            k ^= UInt32(bytes[tail])
            k &*= c1
            k = (k << 15) | (k >> 17)
            k &*= c2
            h ^= k
        default:
            break
        }
        h ^= UInt32(truncatingIfNeeded: n)
        h ^= h >> 16
        h &*= 0x85EB_CA6B
        h ^= h >> 13
        h &*= 0xC2B2_AE35
        h ^= h >> 16
        return h
    }

    /// The seed `hash_bucket` uses (Spark's `hash()` seed).
    static let bucketSeed: UInt32 = 42

    /// `hash_bucket(value, n)`: the non-negative remainder of the signed 32-bit hash by `n`.
    static func bucket(_ bytes: UnsafeRawBufferPointer, buckets n: Int32) -> Int32 {
        let h = Int32(bitPattern: hash32(bytes, seed: bucketSeed))
        let r = h % n
        return r < 0 ? r + n : r
    }
}
