/// Builds a dictionary (distinct values in first-seen order) and the index of every value,
/// for RLE_DICTIONARY encoding.
///
/// Gives up — returning `nil` — as soon as the PLAIN-encoded dictionary would exceed
/// `limitBytes`, or when the first ``probeCount`` values are mostly distinct (a key-like column
/// that a dictionary would not shrink), so the caller falls back to PLAIN for the column chunk.
/// Values are compared by their bytes (floating-point by bit pattern).
public enum DictionaryBuilder {
    /// Values looked at before deciding whether a dictionary pays off.
    public static let probeCount = 4096

    /// Whether `distinct` values among the first `seen` say "mostly unique": stop building.
    @inline(__always)
    static func mostlyDistinct(seen: Int, distinct: Int) -> Bool {
        seen == probeCount && distinct * 4 > seen * 3
    }

    public static func build(_ values: ColumnData, limitBytes: Int) -> (dictionary: ColumnData, indices: [UInt32])? {
        switch values {
        case .int32(let a):
            guard let (keys, idx) = fixed(a, width: 4, limitBytes: limitBytes, bits: { UInt64(UInt32(bitPattern: $0)) })
            else { return nil }
            return (.int32(keys), idx)
        case .int64(let a):
            guard let (keys, idx) = fixed(a, width: 8, limitBytes: limitBytes, bits: { UInt64(bitPattern: $0) }) else {
                return nil
            }
            return (.int64(keys), idx)
        case .float(let a):
            guard let (keys, idx) = fixed(a, width: 4, limitBytes: limitBytes, bits: { UInt64($0.bitPattern) }) else {
                return nil
            }
            return (.float(keys), idx)
        case .double(let a):
            guard let (keys, idx) = fixed(a, width: 8, limitBytes: limitBytes, bits: { $0.bitPattern }) else {
                return nil
            }
            return (.double(keys), idx)
        case .byteArray(let a):
            return bytes(a, limitBytes: limitBytes)
        case .fixedByteArray(let a):
            var asBytes = ByteArrayValues()
            asBytes.bytes = a.bytes
            asBytes.offsets = (0...a.count).map { $0 * a.width }
            guard let (dict, idx) = bytes(asBytes, limitBytes: limitBytes), case .byteArray(let d) = dict else {
                return nil
            }
            return (.fixedByteArray(FixedByteArrayValues(width: a.width, bytes: d.bytes)), idx)
        case .boolean, .list, .map, .structure:
            return nil
        }
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func fixed<T>(_ a: [T], width: Int, limitBytes: Int, bits: (T) -> UInt64) -> ([T], [UInt32])? {
        var capacity = 1024
        var slotsKey = [UInt64](repeating: 0, count: capacity)
        var slotsIdx = [Int32](repeating: -1, count: capacity)
        var keys: [T] = []
        var indices = [UInt32](repeating: 0, count: a.count)
        let maxKeys = max(limitBytes / width, 1)
        let ok: Bool = a.withUnsafeBufferPointer { src in
            indices.withUnsafeMutableBufferPointer { out in
                for i in 0..<src.count {
                    if mostlyDistinct(seen: i, distinct: keys.count) { return false }
                    let v = src[i]
                    let k = bits(v)
                    var mask = capacity - 1
                    var h = Int(truncatingIfNeeded: mix(k)) & mask
                    while true {
                        let s = slotsIdx[h]
                        if s < 0 {
                            if keys.count >= maxKeys { return false }
                            slotsIdx[h] = Int32(keys.count)
                            slotsKey[h] = k
                            out[i] = UInt32(keys.count)
                            keys.append(v)
                            if keys.count * 2 > capacity {
                                capacity *= 2
                                mask = capacity - 1
                                var nk = [UInt64](repeating: 0, count: capacity)
                                var ni = [Int32](repeating: -1, count: capacity)
                                for j in 0..<slotsIdx.count where slotsIdx[j] >= 0 {
                                    var p = Int(truncatingIfNeeded: mix(slotsKey[j])) & mask
                                    while ni[p] >= 0 { p = (p + 1) & mask }
                                    ni[p] = slotsIdx[j]; nk[p] = slotsKey[j]
                                }
                                slotsKey = nk; slotsIdx = ni
                            }
                            break
                        }
                        if slotsKey[h] == k { out[i] = UInt32(s); break }
                        h = (h + 1) & mask
                    }
                }
                return true
            }
        }
        return ok ? (keys, indices) : nil
    }

    /// Hashes a byte range 8 bytes at a time.
    @inline(__always)
    static func hashBytes(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8; i += 1
            }
            h = mix(h ^ tail)
        }
        return h
    }

    private static func bytes(_ a: ByteArrayValues, limitBytes: Int) -> (ColumnData, [UInt32])? {
        var capacity = 1024
        var table = [Int32](repeating: -1, count: capacity)
        var hashes: [UInt64] = []
        var dict = ByteArrayValues()
        var dictSize = 0
        var indices = [UInt32](repeating: 0, count: a.count)
        let n = a.count
        let ok: Bool = a.bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            return a.offsets.withUnsafeBufferPointer { off in
                indices.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        if mostlyDistinct(seen: i, distinct: hashes.count) { return false }
                        let lo = off[i], len = off[i + 1] - lo
                        let p = base + lo
                        // A run of one value (partition columns, commit times): no hashing.
                        if i > 0 {
                            let plo = off[i - 1]
                            if off[i] - plo == len && memcmpBytes(base + plo, p, len) {
                                out[i] = out[i - 1]
                                continue
                            }
                        }
                        let h = hashBytes(p, len)
                        var mask = capacity - 1
                        var slot = Int(truncatingIfNeeded: h) & mask
                        while true {
                            let s = Int(table[slot])
                            if s < 0 {
                                dictSize += 4 + len
                                if dictSize > limitBytes { return false }
                                table[slot] = Int32(hashes.count)
                                out[i] = UInt32(hashes.count)
                                hashes.append(h)
                                dict.append(UnsafeRawBufferPointer(start: p, count: len))
                                if hashes.count * 2 > capacity {
                                    capacity *= 2
                                    mask = capacity - 1
                                    var nt = [Int32](repeating: -1, count: capacity)
                                    for (j, hj) in hashes.enumerated() {
                                        var q = Int(truncatingIfNeeded: hj) & mask
                                        while nt[q] >= 0 { q = (q + 1) & mask }
                                        nt[q] = Int32(j)
                                    }
                                    table = nt
                                }
                                break
                            }
                            if hashes[s] == h {
                                let dlo = dict.offsets[s], dlen = dict.offsets[s + 1] - dlo
                                if dlen == len
                                    && (len == 0
                                        || dict.bytes.withUnsafeBytes { memcmpBytes($0.baseAddress! + dlo, p, len) })
                                {
                                    out[i] = UInt32(s)
                                    break
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                    return true
                }
            }
        }
        return ok ? (.byteArray(dict), indices) : nil
    }

    @inline(__always)
    private static func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            {
                return false
            }
            i += 8
        }
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }
}
