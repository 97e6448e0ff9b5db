import Testing
@testable import LakeCore

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
                    let e = IndexEntry.deleted(ordering: rng.next() % 2 == 0 ? .int(Int64(rng.next() % 100)) : .bytes(Array("x\(rng.next() % 9)".utf8)))
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
