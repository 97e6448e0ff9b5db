/// A small hash table from byte-string names to dense indices, probed with raw input bytes so
/// looking up an attribute name allocates nothing.
struct NameIndex {
    private(set) var names: [[UInt8]] = []
    private var slots: [Int32] = Array(repeating: -1, count: 16)

    var count: Int { names.count }

    @inline(__always)
    private static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for x in b {
            h ^= UInt64(x)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The index of `name`, or `nil`.
    @inline(__always)
    func find(_ name: UnsafeRawBufferPointer) -> Int? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: Self.hash(name)) & mask
        while true {
            let s = slots[i]
            if s < 0 { return nil }
            let candidate = names[Int(s)]
            if candidate.count == name.count && candidate.withUnsafeBytes({ $0.elementsEqual(name) }) { return Int(s) }
            i = (i + 1) & mask
        }
    }

    /// Adds `name` (which must not be present) and returns its index.
    @discardableResult
    mutating func insert(_ name: [UInt8]) -> Int {
        let index = names.count
        names.append(name)
        if names.count * 2 > slots.count {
            slots = Array(repeating: -1, count: slots.count * 2)
            for (k, n) in names.enumerated() { place(n, Int32(k)) }
        } else {
            place(name, Int32(index))
        }
        return index
    }

    private mutating func place(_ name: [UInt8], _ index: Int32) {
        let mask = slots.count - 1
        var i = name.withUnsafeBytes { Int(truncatingIfNeeded: Self.hash($0)) } & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = index
    }
}
