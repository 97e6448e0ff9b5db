import Testing
@testable import LakeCore
import LakeTestSupport

/// The record index against a plain dictionary: random sets, deletes and removals over several
/// "commits", persisted as deltas or bases and reloaded, answer every lookup like the model.
@Suite struct RecordIndexTests {
    @Test func deltasAndBasesAnswerLikeADictionary() throws {
        var rng = SplitMix(seed: 77)
        var model: [String: IndexEntry] = [:]
        var base: [UInt8]?
        var deltas: [(name: String, bytes: [UInt8])] = []
        for commit in 0..<12 {
            var index = try RecordIndex(base: base, deltas: deltas)
            let replaceAll = commit % 5 == 4
            for _ in 0..<Int(rng.next() % 400) {
                let key = "k\(rng.next() % 600)"
                switch rng.next() % 10 {
                case 0..<6:
                    let e = IndexEntry.live(partition: "p=\(rng.next() % 7)", fileId: "f\(rng.next() % 5)-0")
                    index.set(key, e); model[key] = e
                case 6..<9:
                    let e = IndexEntry.deleted(
                        ordering: rng.next() % 2 == 0
                            ? .int(Int64(rng.next() % 100)) : .bytes(Array("x\(rng.next() % 9)".utf8)))
                    index.set(key, e); model[key] = e
                default:
                    if replaceAll { index.remove(key); model[key] = nil }
                }
                // Lookups see changes made in this commit.
                let probe = "k\(rng.next() % 600)"
                #expect(index.lookup(probe) == model[probe], "commit \(commit) key \(probe)")
            }
            if replaceAll || index.shouldCompact(minBaseEntries: 200) {
                base = try index.encodedBase()
                deltas = []
            } else {
                deltas.append((name: "delta\(commit)", bytes: index.encodedDelta()))
            }
            var reloaded = try RecordIndex(base: base, deltas: deltas)
            for i in 0..<600 {
                let k = "k\(i)"
                #expect(reloaded.lookup(k) == model[k], "after commit \(commit): key \(k)")
            }
            #expect(try reloaded.allEntries() == model)
        }
    }

    /// The base's interpolation search finds the first entry with a hash at or above any probe,
    /// as a linear scan does: for bases of many sizes (tiny ones, ones with a single entry),
    /// probes at, between, below and above the stored hashes.
    @Test(arguments: [1, 2, 3, 17, 1000, 20000])
    func baseSearchFindsWhatALinearScanFinds(entries: Int) throws {
        var index = RecordIndex()
        for i in 0..<entries { index.set("key-\(i)", .live(partition: "p", fileId: "f-0")) }
        let base = try RecordIndex.BaseFile(try index.encodedBase(), name: "base")
        let hashes = (0..<base.count).map { base.hash(at: $0) }
        #expect(hashes == hashes.sorted())
        func linear(_ h: UInt64) -> Int { hashes.firstIndex { $0 >= h } ?? hashes.count }
        var rng = SplitMix(seed: UInt64(entries))
        var probes: [UInt64] = [0, 1, .max, .max - 1]
        for h in hashes.prefix(200) { probes += [h, h &- 1, h &+ 1] }
        for _ in 0..<500 { probes.append(rng.next()) }
        for h in probes { #expect(base.firstIndex(ofHash: h) == linear(h), "hash \(h) in \(entries) entries") }
        var reloaded = try RecordIndex(base: try index.encodedBase(), deltas: [])
        for i in stride(from: 0, to: entries, by: max(1, entries / 300)) {
            #expect(reloaded.lookup("key-\(i)") == .live(partition: "p", fileId: "f-0"))
        }
        #expect(reloaded.lookup("absent") == nil)
    }

    @Test func damagedFilesAreRefusedWithTheirName() throws {
        var index = RecordIndex()
        index.set("a", .live(partition: "p", fileId: "f-0"))
        var bytes = try index.encodedBase()
        bytes = Array(bytes[0..<(bytes.count - 3)])
        let e = #expect(throws: LakeError.self) {
            let r = try RecordIndex(base: bytes, baseName: "base_1.idx", deltas: [])
            _ = try r.allEntries()
        }
        #expect(e?.message.contains("base_1.idx") == true)
    }
}
