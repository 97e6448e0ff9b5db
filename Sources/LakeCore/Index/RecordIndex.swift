#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeParquet
import LakeBase

/// An exact record-key index: for every key ever written, the file group that holds it or a
/// tombstone with the ordering value of the delete.
///
/// On disk it is one *base* file (entries sorted by key hash, looked up by interpolation search in
/// place, never parsed as a whole) plus small *delta* files, one per commit, holding only that
/// commit's changes. A lookup costs an interpolation search in the base (O(1) expected: key
/// hashes are uniform) plus a hash probe in the deltas, so an
/// upsert's index work grows with its batch, not with the table. When the deltas grow past a
/// fraction of the base, a commit writes a new base instead (compaction). See
/// ``RecordIndexStore`` for which files are valid.
public struct RecordIndex: Sendable {
    private var base: BaseFile?
    /// Entries from delta files, applied in commit order.
    private var overlay: [String: IndexEntry] = [:]
    /// Changes made since load, in order (a later change to a key wins).
    private var changeKeys: [String] = []
    private var changeEntries: [IndexEntry] = []
    /// Key → position in the change arrays; built on the first lookup, then kept up to date,
    /// so a write that only sets (a bulk load) never hashes its keys twice.
    private var changeLookup: [String: Int]?
    /// Keys removed since load (excluded from every answer until set again).
    private var removed: Set<String> = []
    /// Number of entries in delta files applied on top of the base.
    public private(set) var deltaEntryCount = 0
    /// Whether a loaded file has no checksum (version 1, ``IndexFileFormat``): the next write
    /// replaces the index with a checksummed base.
    public private(set) var hasUncheckedFiles = false

    public init() {}

    /// Loads a base file (if any) and the delta files newer than it, in commit order. Each file's
    /// checksum is verified before anything in it is used (``IndexFileFormat``).
    /// - Throws: `.corruptTable` naming the file if one is damaged (checksum mismatch, bad header,
    ///   truncated).
    public init(base: [UInt8]?, baseName: String = "base", deltas: [(name: String, bytes: [UInt8])]) throws(LakeError) {
        if let base {
            let b = try BaseFile(base, name: baseName)
            self.base = b
            if b.version < 2 { hasUncheckedFiles = true }
        }
        for d in deltas {
            if try IndexFileFormat.verify(d.bytes, kind: .delta, name: d.name) < 2 { hasUncheckedFiles = true }
            var r = IndexCoding.Reader(d.bytes, name: d.name, position: 8)
            let count = try r.fixed(UInt64.self)
            for _ in 0..<count {
                let (key, entry) = try Self.readDeltaEntry(&r)
                overlay[key] = entry
            }
            deltaEntryCount += Int(count)
        }
    }

    /// Number of entries in the base file.
    public var baseEntryCount: Int { base?.count ?? 0 }

    /// Number of changes since load.
    public var changeCount: Int { changeKeys.count }

    /// Where `key` lives, or nil if the index has never seen it.
    public mutating func lookup(_ key: String) -> IndexEntry? {
        if !changeKeys.isEmpty {
            if changeLookup == nil {
                var m: [String: Int] = [:]
                m.reserveCapacity(changeKeys.count)
                for (i, k) in changeKeys.enumerated() { m[k] = i }
                changeLookup = m
            }
            if let i = changeLookup![key] { return changeEntries[i] }
        }
        if !removed.isEmpty && removed.contains(key) { return nil }
        return loadedEntry(key)
    }

    /// What the loaded files (deltas over the base) say about `key`.
    private func loadedEntry(_ key: String) -> IndexEntry? {
        if !overlay.isEmpty, let e = overlay[key] { return e }
        return base?.lookup(key)
    }

    /// ``lookup(_:)`` for many keys, in their order. Split over both cores when the index holds
    /// no changes made since load (an upsert's routing, before it changes anything).
    public mutating func lookupAll(_ keys: [String]) -> [IndexEntry?] {
        guard changeKeys.isEmpty && removed.isEmpty && keys.count >= 8192 else { return keys.map { lookup($0) } }
        let loaded = self
        let parts = 2, size = (keys.count + parts - 1) / parts
        let found = parallelMap(parts, parallel: true) { part in
            keys[(part * size)..<min(keys.count, (part + 1) * size)].map { loaded.loadedEntry($0) }
        }
        return Array(found.joined())
    }

    /// Records where `key` lives now (or that it was deleted).
    public mutating func set(_ key: String, _ entry: IndexEntry) {
        if !removed.isEmpty { removed.remove(key) }
        changeLookup?[key] = changeKeys.count
        changeKeys.append(key)
        changeEntries.append(entry)
    }

    /// Forgets `key` entirely (neither live nor deleted). Persist with a base, not a delta.
    public mutating func remove(_ key: String) {
        removed.insert(key)
        if changeLookup?[key] != nil { changeLookup![key] = nil }
        if !changeKeys.isEmpty {
            var keep: [Int] = []
            for (i, k) in changeKeys.enumerated() where k != key { keep.append(i) }
            if keep.count != changeKeys.count {
                changeKeys = keep.map { changeKeys[$0] }
                changeEntries = keep.map { changeEntries[$0] }
                changeLookup = nil
            }
        }
    }

    /// The changes made since load, the latest per key, in the order keys were first changed.
    var changes: [(key: String, entry: IndexEntry)] {
        var position: [String: Int] = [:]
        var out: [(key: String, entry: IndexEntry)] = []
        for (k, e) in zip(changeKeys, changeEntries) {
            if let i = position[k] { out[i].entry = e } else { position[k] = out.count; out.append((k, e)) }
        }
        return out
    }

    /// Every live and deleted entry (base, deltas and changes merged), keyed by record key.
    public func allEntries() throws(LakeError) -> [String: IndexEntry] {
        var all = try base?.allEntries() ?? [:]
        for (k, v) in overlay { all[k] = v }
        for k in removed { all[k] = nil }
        for (k, v) in zip(changeKeys, changeEntries) { all[k] = v }
        return all
    }

    /// Whether the next commit should write a new base instead of another delta.
    public func shouldCompact(maxDeltaFraction: Double = 0.25, minBaseEntries: Int = 10_000) -> Bool {
        let deltas = deltaEntryCount + changeKeys.count
        return Double(deltas) > max(Double(minBaseEntries), Double(baseEntryCount)) * maxDeltaFraction
    }

    /// The changes since load as a delta file (current version, checksummed).
    public func encodedDelta() -> [UInt8] {
        var out = IndexFileFormat.magic(.delta)
        withUnsafeBytes(of: UInt64(changeKeys.count).littleEndian) { out.append(contentsOf: $0) }
        for (k, e) in zip(changeKeys, changeEntries) {
            IndexCoding.appendString(k, &out)
            switch e {
            case .live(let p, let f):
                out.append(0)
                IndexCoding.appendString(p, &out)
                IndexCoding.appendString(f, &out)
            case .deleted(let o):
                out.append(1)
                o.encode(into: &out)
            }
        }
        IndexFileFormat.seal(&out)
        return out
    }

    private static func readDeltaEntry(_ r: inout IndexCoding.Reader) throws(LakeError) -> (String, IndexEntry) {
        let key = try r.string()
        switch try r.byte() {
        case 0:
            let p = try r.string()
            return (key, .live(partition: p, fileId: try r.string()))
        case 1:
            return (key, .deleted(ordering: try OrderingValue.decode(&r)))
        case let k:
            throw LakeError(.corruptTable, "record index \(r.name): unknown entry kind \(k) at byte \(r.position - 1)")
        }
    }

    /// Every entry as a base file: base, deltas and changes merged by sorting on (hash, key,
    /// recency) and keeping each key's newest entry — no dictionary of the whole index.
    /// `dropTombstones` omits deletes.
    public func encodedBase(dropTombstones: Bool = false) throws(LakeError) -> [UInt8] {
        // Columns of candidates; sorting a permutation moves 8-byte indices, not strings.
        // Partitions and file ids are numbered as candidates are collected — in load and
        // commit order, where neighbours mostly share them, so numbering rarely hashes.
        var hashes: [UInt64] = [], keys: [String] = [], seqs: [Int] = [], entries: [IndexEntry] = []
        var places: [(partition: Int32, fileId: Int32)] = []
        var partitions = Interner(), fileIds = Interner()
        let capacity = baseEntryCount + overlay.count + changeKeys.count
        hashes.reserveCapacity(capacity); keys.reserveCapacity(capacity); seqs.reserveCapacity(capacity)
        entries.reserveCapacity(capacity); places.reserveCapacity(capacity)
        func place(_ e: IndexEntry) -> (Int32, Int32) {
            guard case .live(let p, let f) = e else { return (-1, -1) }
            return (Int32(partitions.number(p)), Int32(fileIds.number(f)))
        }
        if let base {
            // The old base's numbering, translated once.
            let partitionMap = base.partitions.map { Int32(partitions.number($0)) }
            let fileIdMap = base.fileIds.map { Int32(fileIds.number($0)) }
            for i in 0..<base.count {
                let (k, e) = try base.entry(i)
                hashes.append(base.hash(at: i)); keys.append(k); seqs.append(0); entries.append(e)
                if let (p, f) = base.place(i) {
                    places.append((partitionMap[p], fileIdMap[f]))
                } else {
                    places.append(place(e))
                }
            }
        }
        for (k, e) in overlay {
            hashes.append(Self.hash(k)); keys.append(k); seqs.append(1); entries.append(e); places.append(place(e))
        }
        for (i, (k, e)) in zip(changeKeys, changeEntries).enumerated() {
            hashes.append(Self.hash(k)); keys.append(k); seqs.append(2 + i); entries.append(e); places.append(place(e))
        }
        // Sort (hash, candidate) pairs: sequential memory; keys and sequence numbers only
        // break ties between equal hashes.
        var order = hashes.enumerated().map { (hash: $0.element, candidate: Int32($0.offset)) }
        order.sort { a, b in
            if a.hash != b.hash { return a.hash < b.hash }
            let (x, y) = (Int(a.candidate), Int(b.candidate))
            if keys[x] != keys[y] { return keys[x] < keys[y] }
            return seqs[x] < seqs[y]
        }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        var isKept = [Bool](repeating: false, count: hashes.count)
        for j in order.indices {
            let i = Int(order[j].candidate)
            if j + 1 < order.count && order[j + 1].hash == order[j].hash && keys[Int(order[j + 1].candidate)] == keys[i]
            {
                continue
            }
            if !removed.isEmpty && seqs[i] < 2 && removed.contains(keys[i]) { continue }
            if dropTombstones, case .deleted = entries[i] { continue }
            kept.append(i)
            isKept[i] = true
        }
        order = []
        // Only numbers some kept entry uses, renumbered densely.
        var partitionUse = [Int32](repeating: -1, count: partitions.list.count), partitionList: [String] = []
        var fileIdUse = [Int32](repeating: -1, count: fileIds.list.count), fileIdList: [String] = []
        for i in hashes.indices where isKept[i] && places[i].partition >= 0 {
            let (p, f) = (Int(places[i].partition), Int(places[i].fileId))
            if partitionUse[p] < 0 {
                partitionUse[p] = Int32(partitionList.count); partitionList.append(partitions.list[p])
            }
            if fileIdUse[f] < 0 { fileIdUse[f] = Int32(fileIdList.count); fileIdList.append(fileIds.list[f]) }
        }

        // Sections: header, names, hashes, entry offsets, entries. Entries go into the blob in
        // candidate order (sequential reads); the offsets section, in hash order, points at them.
        var blob: [UInt8] = []
        blob.reserveCapacity(kept.count * 16)
        var blobOffset = [UInt64](repeating: 0, count: hashes.count)
        for i in hashes.indices where isKept[i] {
            blobOffset[i] = UInt64(blob.count)
            IndexCoding.appendString(keys[i], &blob)
            switch entries[i] {
            case .live:
                blob.append(0)
                ByteWriter.appendVarint(UInt64(partitionUse[Int(places[i].partition)]), to: &blob)
                ByteWriter.appendVarint(UInt64(fileIdUse[Int(places[i].fileId)]), to: &blob)
            case .deleted(let o):
                blob.append(1)
                o.encode(into: &blob)
            }
        }
        var hashSection: [UInt64] = [], offsets: [UInt64] = []
        hashSection.reserveCapacity(kept.count)
        offsets.reserveCapacity(kept.count)
        for i in kept {
            hashSection.append(hashes[i].littleEndian)
            offsets.append(blobOffset[i].littleEndian)
        }
        var out = IndexFileFormat.magic(.base)
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        u64(UInt64(kept.count))
        u64(UInt64(partitionList.count))
        for p in partitionList { IndexCoding.appendString(p, &out) }
        u64(UInt64(fileIdList.count))
        for f in fileIdList { IndexCoding.appendString(f, &out) }
        out.reserveCapacity(out.count + 16 * kept.count + blob.count + IndexFileFormat.trailerSize)
        hashSection.withUnsafeBytes { out.append(contentsOf: $0) }
        offsets.withUnsafeBytes { out.append(contentsOf: $0) }
        out.append(contentsOf: blob)
        IndexFileFormat.seal(&out)
        return out
    }

    static func hash(_ key: String) -> UInt64 {
        var k = key
        return k.withUTF8 { IndexCoding.hash(UnsafeRawBufferPointer($0)) }
    }

    /// Numbers strings in order of first appearance; a repeat of the previous string costs a
    /// comparison, not a hash.
    private struct Interner {
        var numbers: [String: Int] = [:]
        var list: [String] = []
        var last: (string: String, number: Int)?

        mutating func number(_ s: String) -> Int {
            if let l = last, l.string == s { return l.number }
            let n: Int
            if let known = numbers[s] { n = known } else { n = list.count; numbers[s] = n; list.append(s) }
            last = (s, n)
            return n
        }
    }

    /// A base file read in place: lookups binary-search its sorted hash array.
    struct BaseFile: Sendable {
        let bytes: [UInt8]
        let name: String
        let count: Int
        let partitions: [String]
        let fileIds: [String]
        let hashesAt: Int
        let offsetsAt: Int
        let blobAt: Int
        /// The file format version (``IndexFileFormat``); version 2 was checksum-verified.
        let version: Int

        /// Reads the header of a base file after verifying its checksum.
        /// - Throws: `.corruptTable` naming the file if it is damaged.
        init(_ bytes: [UInt8], name: String) throws(LakeError) {
            version = try IndexFileFormat.verify(bytes, kind: .base, name: name)
            self.bytes = bytes
            self.name = name
            var r = IndexCoding.Reader(bytes, name: name, position: 8)
            let n = try r.fixed(UInt64.self)
            guard n <= UInt64(bytes.count / 16) else {
                throw LakeError(.corruptTable, "record index base \(name) claims \(n) entries")
            }
            count = Int(n)
            let pc = try r.fixed(UInt64.self)
            guard pc <= UInt64(bytes.count) else { throw r.truncated() }
            var ps: [String] = []
            for _ in 0..<pc { ps.append(try r.string()) }
            partitions = ps
            let fc = try r.fixed(UInt64.self)
            guard fc <= UInt64(bytes.count) else { throw r.truncated() }
            var fs: [String] = []
            for _ in 0..<fc { fs.append(try r.string()) }
            fileIds = fs
            hashesAt = r.position
            offsetsAt = hashesAt + 8 * count
            blobAt = offsetsAt + 8 * count
            guard blobAt <= bytes.count else { throw r.truncated() }
        }

        /// The hash of entry `i` (entries are sorted by it).
        func hash(at i: Int) -> UInt64 { u64(hashesAt + 8 * i) }

        /// The first entry whose hash is `h` or more (`count` if none). Key hashes are uniform
        /// over 64 bits, so the search starts where `h` sits proportionally and gallops from
        /// there: a couple of probes near one cache line instead of a binary search's ~20
        /// scattered ones over the whole hash array.
        func firstIndex(ofHash h: UInt64) -> Int {
            guard count > 0 else { return 0 }
            let g = min(count - 1, Int(h.multipliedFullWidth(by: UInt64(count)).high))
            var lo: Int, hi: Int
            if hash(at: g) < h {
                var bound = 1
                while g + bound < count && hash(at: g + bound) < h { bound <<= 1 }
                lo = g + bound / 2 + 1
                hi = min(g + bound, count)
            } else {
                var bound = 1
                while g - bound >= 0 && hash(at: g - bound) >= h { bound <<= 1 }
                lo = max(g - bound + 1, 0)
                hi = g - bound / 2
            }
            while lo < hi {
                let mid = (lo + hi) >> 1
                if hash(at: mid) < h { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        @inline(__always)
        private func u64(_ at: Int) -> UInt64 {
            bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        }

        func lookup(_ key: String) -> IndexEntry? {
            var k = key
            return k.withUTF8 { utf8 -> IndexEntry? in
                let wanted = UnsafeRawBufferPointer(utf8)
                let h = IndexCoding.hash(wanted)
                var i = firstIndex(ofHash: h)
                while i < count && hash(at: i) == h {
                    switch liveEntry(i, ifKeyIs: wanted) {
                    case .otherKey: i += 1
                    case .live(let e): return e
                    case .needsFullDecode:
                        if let (k2, e) = try? entry(i), k2 == key { return e }
                        i += 1
                    }
                }
                return nil
            }
        }

        /// The partition and file id numbers of entry `i` when it is a live entry.
        func place(_ i: Int) -> (Int, Int)? {
            bytes.withUnsafeBytes { raw -> (Int, Int)? in
                if case .live(_, let p, let f) = rawEntry(i, raw) { return (p, f) }
                return nil
            }
        }

        private enum Match {
            case otherKey
            case live(IndexEntry)
            /// A tombstone, or bytes the fast path does not vouch for: decode with ``entry(_:)``.
            case needsFullDecode
        }

        /// Entry `i` read in place — key compared as bytes, no `String` made for it — when its key
        /// is `wanted` and it is a live entry (the common case of an upsert's lookups).
        private func liveEntry(_ i: Int, ifKeyIs wanted: UnsafeRawBufferPointer) -> Match {
            bytes.withUnsafeBytes { raw -> Match in
                func isWanted(_ key: Range<Int>) -> Bool {
                    key.count == wanted.count
                        && (key.isEmpty
                            || memcmp(raw.baseAddress! + key.lowerBound, wanted.baseAddress!, key.count) == 0)
                }
                switch rawEntry(i, raw) {
                case .damaged: return .needsFullDecode
                case .notLive(let key): return isWanted(key) ? .needsFullDecode : .otherKey
                case .live(let key, let p, let f):
                    return isWanted(key) ? .live(.live(partition: partitions[p], fileId: fileIds[f])) : .otherKey
                }
            }
        }

        /// Entry `i` as laid out in the blob: its key's byte range and, for a live entry, its
        /// partition and file id numbers (checked against the name lists).
        private enum RawEntry {
            case live(key: Range<Int>, partition: Int, fileId: Int)
            case notLive(key: Range<Int>)
            case damaged
        }

        private func rawEntry(_ i: Int, _ raw: UnsafeRawBufferPointer) -> RawEntry {
            let off = raw.loadUnaligned(fromByteOffset: offsetsAt + 8 * i, as: UInt64.self).littleEndian
            guard off < UInt64(raw.count - blobAt) else { return .damaged }
            var pos = blobAt + Int(off)
            func varint() -> Int? {
                var r = ByteReader<LakeError>(raw)
                r.position = pos
                guard let v = try? r.readVarint(), let n = Int(exactly: v) else { return nil }
                pos = r.position
                return n
            }
            guard let n = varint(), n <= raw.count - pos else { return .damaged }
            let key = pos..<(pos + n)
            pos += n
            guard pos < raw.count, raw[pos] == 0 else { return .notLive(key: key) }
            pos += 1
            guard let p = varint(), let f = varint(), p < partitions.count, f < fileIds.count else {
                return .notLive(key: key)
            }
            return .live(key: key, partition: p, fileId: f)
        }

        func entry(_ i: Int) throws(LakeError) -> (String, IndexEntry) {
            let off = u64(offsetsAt + 8 * i)
            guard off < UInt64(bytes.count - blobAt) else {
                throw LakeError(.corruptTable, "record index \(name): entry \(i) offset out of range")
            }
            var r = IndexCoding.Reader(bytes, name: name, position: blobAt + Int(off))
            let key = try r.string()
            switch try r.byte() {
            case 0:
                let p = Int(try r.varint()), f = Int(try r.varint())
                guard p < partitions.count, f < fileIds.count else {
                    throw LakeError(
                        .corruptTable, "record index \(name): entry \(i) names a missing partition or file id")
                }
                return (key, .live(partition: partitions[p], fileId: fileIds[f]))
            case 1:
                return (key, .deleted(ordering: try OrderingValue.decode(&r)))
            case let k:
                throw LakeError(.corruptTable, "record index \(name): unknown entry kind \(k)")
            }
        }

        func allEntries() throws(LakeError) -> [String: IndexEntry] {
            var out: [String: IndexEntry] = [:]
            out.reserveCapacity(count)
            for i in 0..<count {
                let (k, e) = try entry(i)
                out[k] = e
            }
            return out
        }
    }
}
