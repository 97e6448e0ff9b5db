/// Distinct record keys, each with an `Int` value, in order of first insertion: an
/// open-addressing hash table over the keys' UTF-8 bytes with a fast non-cryptographic hash.
///
/// The write path's replacement for `[String: Int]` where a batch holds up to millions of keys
/// (in-batch dedup): Swift's `Hasher` (SipHash, seeded per use) cost more than everything else
/// the dedup does. Keys are compared as strings, so a hash collision is never a wrong answer.
struct KeyTable {
    /// Slot → entry number, or -1 for an empty slot.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    /// The distinct keys, in order of first insertion.
    private(set) var keys: [String] = []
    /// The value of each key (same order as ``keys``).
    var values: [Int] = []
    private var mask: Int

    /// A table sized for about `capacity` keys (it grows as needed).
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        hashes.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    var count: Int { keys.count }

    /// The entry number of `key`, inserting it with `value` when absent.
    /// - Returns: the entry number, and whether the key was inserted now.
    mutating func findOrInsert(_ key: String, value: Int) -> (entry: Int, inserted: Bool) {
        var k = key
        let h = Self.mix(k.withUTF8 { IndexCoding.hash(UnsafeRawBufferPointer($0)) })
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 { break }
            if hashes[e] == h && keys[e] == key { return (e, false) }
            slot = (slot + 1) & mask
        }
        let e = keys.count
        slots[slot] = Int32(e)
        hashes.append(h)
        keys.append(key)
        values.append(value)
        if keys.count * 2 > slots.count { grow() }
        return (e, true)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [Int32](repeating: -1, count: size)
        let m = size - 1
        for (e, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & m
            while fresh[slot] >= 0 { slot = (slot + 1) & m }
            fresh[slot] = Int32(e)
        }
        slots = fresh
        mask = m
    }

    /// Spreads FNV's weak low bits over the whole word (SplitMix64's finalizer).
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
