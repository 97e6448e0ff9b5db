import Foundation
import Testing
@testable import LakeCore

/// Point lookups (`id = 'k'`, `id IN (…)`) answer from the file groups the record index names:
/// the same rows as the model, after inserts, partition moves and deletes; only those groups are
/// opened; and without a current index, or as of an older commit, the read scans instead.
@Suite struct PointLookupTests {
    static let regions = ["eu", "us", "ap"]

    /// Three commits: 30 inserts over three partitions, every fourth key moved to the next
    /// partition, every fifth (from k1) deleted.
    static func fixture(_ storage: StorageKind) throws -> CleanerFixture {
        let f = try CleanerFixture(storage, ["cleaner.automatic": "false"])
        try f.upsert((0..<30).map { ("k\($0)", regions[$0 % 3], false) })
        try f.upsert((0..<30).filter { $0 % 4 == 0 }.map { ("k\($0)", regions[($0 + 1) % 3], false) })
        try f.upsert((0..<30).filter { $0 % 5 == 1 }.map { ("k\($0)", regions[$0 % 3], true) })
        return f
    }

    static func rows(_ f: CleanerFixture, _ text: String, asOf: String? = nil) throws -> [String: [String: ModelValue]]
    {
        var out: [String: [String: ModelValue]] = [:]
        for b in try f.table.read(ReadOptions(predicate: try Predicate(parsing: text), asOf: asOf)) {
            for r in b.modelRows() {
                guard case .string(let k)? = r["id"] else { continue }
                #expect(out[k] == nil, "duplicate \(k)")
                out[k] = r
            }
        }
        return out
    }

    @Test(arguments: StorageKind.allCases)
    func keyLookupsEqualTheModel(_ storage: StorageKind) throws {
        let f = try Self.fixture(storage)
        for i in 0..<32 {
            let k = "k\(i)"
            let got = try Self.rows(f, "id = '\(k)'")
            let want = f.model.rows[k]
            #expect(Set(got.keys) == (want == nil ? [] : [k]), "\(k)")
            if let want, let g = got[k] {
                for c in ["name", "region", "ts"] { #expect(g[c] ?? .null == want.values[c] ?? .null, "\(k).\(c)") }
            }
        }
        let listed = try Self.rows(f, "id IN ('k0', 'k1', 'k4', 'k7', 'nope') AND ts > 0")
        #expect(Set(listed.keys) == Set(["k0", "k1", "k4", "k7"].filter { f.model.rows[$0] != nil }))
        let k2Region = try #require(f.model.rows["k2"]?.values["region"])
        #expect(Set(try Self.rows(f, "id = 'k2' AND region = 'ap'").keys) == (k2Region == .string("ap") ? ["k2"] : []))
        #expect(try Self.rows(f, "id = 'k2' AND region = 'nowhere'").isEmpty)
    }

    @Test(arguments: StorageKind.allCases)
    func onlyTheIndexedFileGroupIsOpenedAndWithoutIndexTheReadScans(_ storage: StorageKind) throws {
        let f = try Self.fixture(storage)
        let key = "k3"
        let holder = try #require(f.model.rows[key])
        // Damage every base file outside the key's partition (zeroed, same size, so only opening
        // it tells): a scan can no longer succeed.
        let storage = f.table.storage
        var damaged = 0
        for path in try f.filesOnDisk() where !path.hasPrefix(holder.partition + "/") {
            try storage.write(path, [UInt8](repeating: 0, count: Int(try storage.size(path))))
            damaged += 1
        }
        #expect(damaged > 0)
        #expect(throws: LakeError.self) {
            _ = try f.table.read(ReadOptions(predicate: try Predicate(parsing: "ts > 0")))
        }
        #expect(Set(try Self.rows(f, "id = '\(key)'").keys) == [key])
        // As of an older commit the index (which describes the latest) is not used: that scan fails.
        #expect(throws: LakeError.self) { _ = try Self.rows(f, "id = '\(key)'", asOf: f.commits[0]) }
        // Without its index files the table cannot prune by key either.
        for e in try storage.list(".hoodie/lake/index") { _ = try storage.delete(".hoodie/lake/index/" + e.name) }
        #expect(throws: LakeError.self) { _ = try Self.rows(f, "id = '\(key)'") }
    }
}
