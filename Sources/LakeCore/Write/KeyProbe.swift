/// Finds which rows of a stored key column hold a given set of keys, comparing raw UTF-8 bytes
/// in an open-addressing table, so scanning a file group costs no String per stored row.
struct KeyProbe {
    private let keys: [[UInt8]]
    private var table: [Int32]
    private let mask: Int

    init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        table = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (i, k) in self.keys.enumerated() {
            var slot = Int(truncatingIfNeeded: k.withUnsafeBytes { IndexCoding.hash($0) }) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(i)
        }
    }

    /// For every key, the first stored row holding it (nil if absent).
    func rows(in column: ByteArrayValues) -> [Int?] {
        var found = [Int?](repeating: nil, count: keys.count)
        column.bytes.withUnsafeBytes { raw in
            column.offsets.withUnsafeBufferPointer { off in
                for r in 0..<(off.count - 1) {
                    let key = UnsafeRawBufferPointer(rebasing: raw[off[r]..<off[r + 1]])
                    var slot = Int(truncatingIfNeeded: IndexCoding.hash(key)) & mask
                    while true {
                        let i = Int(table[slot])
                        if i < 0 { break }
                        if found[i] == nil && keys[i].count == key.count
                            && keys[i].withUnsafeBytes({ $0.elementsEqual(key) })
                        {
                            found[i] = r
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        return found
    }
}
