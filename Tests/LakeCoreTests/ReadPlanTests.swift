import Foundation
import LakeTestSupport
import Testing
@testable import LakeCore

/// Read plans: which slices a plan chooses for a predicate, an as-of instant, a window or a
/// pinned key (against the ledger of slices every commit wrote, from its metadata), and lazy
/// reads of a plan equal to eager reads and to the plain model, on random tables.
@Suite struct ReadPlanTests {
    static let regions = ["eu", "us", "ap"]

    /// Seeded random commits over 40 keys: inserts, updates, partition moves and deletes.
    static func randomTable(_ storage: StorageKind, seed: UInt64, commits: Int = 6) throws -> CleanerFixture {
        var rng = SplitMix(seed: seed)
        let f = try CleanerFixture(storage, ["cleaner.automatic": "false"])
        for _ in 0..<commits {
            var rows: [(id: String, region: String, delete: Bool)] = []
            var seen = Set<String>()
            for _ in 0..<Int.random(in: 1...16, using: &rng) {
                let id = "k\(Int.random(in: 0..<40, using: &rng))"
                guard seen.insert(id).inserted else { continue }
                rows.append((id, regions.randomElement(using: &rng)!, Int.random(in: 0..<5, using: &rng) == 0))
            }
            try f.upsert(rows)
        }
        return f
    }

    /// A predicate as text and as the model's test on a row.
    struct ModelPredicate {
        let text: String?
        let test: (UpsertModel.Row) -> Bool
    }

    static func predicates(_ rng: inout SplitMix) -> [ModelPredicate] {
        let r = regions.randomElement(using: &rng)!
        let t = Int64.random(in: 1...6, using: &rng)
        let a = "k\(Int.random(in: 0..<40, using: &rng))", b = "k\(Int.random(in: 0..<40, using: &rng))"
        func ts(_ row: UpsertModel.Row) -> Int64 { if case .int(let v)? = row.values["ts"] { v } else { -1 } }
        return [
            ModelPredicate(text: nil) { _ in true },
            ModelPredicate(text: "region = '\(r)'") { $0.values["region"] == .string(r) },
            ModelPredicate(text: "ts > \(t)") { ts($0) > t },
            ModelPredicate(text: "region != '\(r)' AND ts <= \(t)") {
                $0.values["region"] != .string(r) && ts($0) <= t
            },
            ModelPredicate(text: "id IN ('\(a)', '\(b)')") { [.string(a), .string(b)].contains($0.values["id"]) },
            ModelPredicate(text: "id = '\(a)' OR region = '\(r)'") {
                $0.values["id"] == .string(a) || $0.values["region"] == .string(r)
            },
        ]
    }

    /// Rows of `batches` keyed by `id`.
    static func byId(_ batches: [RecordBatch]) -> [String: [String: ModelValue]] {
        var out: [String: [String: ModelValue]] = [:]
        for b in batches {
            for r in b.modelRows() {
                guard case .string(let k)? = r["id"] else { continue }
                #expect(out[k] == nil, "duplicate \(k)")
                out[k] = r
            }
        }
        return out
    }

    /// Checks `got` against the model rows `want`: keys, the requested columns, commit times.
    static func expectRows(
        _ got: [String: [String: ModelValue]], _ want: [String: UpsertModel.Row],
        columns: [String], meta: Bool, _ what: String
    ) {
        #expect(Set(got.keys) == Set(want.keys), "keys: \(what)")
        for (k, m) in want {
            guard let g = got[k] else { continue }
            #expect(Set(g.keys) == Set(columns + (meta ? TableSchema.metaColumns : [])), "columns: \(what)")
            for c in columns { #expect(g[c] ?? .null == m.values[c] ?? .null, "\(k).\(c): \(what)") }
            if meta { #expect(g["_hoodie_commit_time"] == .string(m.commitTime), "\(k) commit time: \(what)") }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func snapshotPlansChooseTheSlicesTheCommitsWrote(_ storage: StorageKind) throws {
        let f = try Self.randomTable(storage, seed: 7)
        for instant in f.commits.map(Optional.some) + [nil] {
            let asOf = instant ?? f.commits.last!
            let needed = f.neededFiles(asOf: asOf)
            for region in [nil] + Self.regions {
                let p = try region.map { r throws in try Predicate(parsing: "region = '\(r)' AND ts > 0") }
                let plan = try f.table.plan(ReadOptions(predicate: p, asOf: instant))
                let want = needed.filter { path in region.map { path.hasPrefix("region=\($0)/") } ?? true }
                #expect(Set(plan.slices.map(\.path)) == want, "as of \(asOf), region \(region ?? "any")")
                #expect(plan.slices.map(\.fileGroupID) == plan.slices.map(\.fileGroupID).sorted())
                #expect(plan.instant == asOf)
                #expect(plan.commits == nil && plan.pinnedKeys == nil)
                #expect((plan.parquetPredicate != nil) == (p != nil), "ts > 0 is pushed down")
            }
            // A predicate on data columns only, or an OR reaching every partition, prunes nothing.
            for text in ["ts > 3", "region = 'eu' OR ts > 3"] {
                let plan = try f.table.plan(ReadOptions(predicate: try Predicate(parsing: text), asOf: instant))
                #expect(Set(plan.slices.map(\.path)) == needed, "\(text) as of \(asOf)")
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func planColumnsAndSchema(_ storage: StorageKind) throws {
        let f = try Self.randomTable(storage, seed: 3, commits: 2)
        let plan = try f.table.plan(
            ReadOptions(
                columns: ["name", "id"], predicate: try Predicate(parsing: "ts > 1"),
                includeMetaColumns: true))
        #expect(plan.columns == ["name", "id"])
        #expect(plan.readFields.map(\.name) == ["name", "id", "ts"])
        #expect(plan.schema.fields.map(\.name) == TableSchema.metaColumns + ["name", "id"])
        for b in try f.table.read(plan) { #expect(b.schema == plan.schema) }
        #expect(throws: LakeError.self) { _ = try f.table.plan(ReadOptions(columns: ["nope"])) }
        #expect(throws: LakeError.self) { _ = try f.table.plan(ReadOptions(asOf: "not a time")) }
        // A table without a schema or commits plans nothing.
        let empty = try Table.create(
            in: StorageKind.memory.make(f.dir),
            config: TableConfig(name: "e", recordKeyFields: ["id"]))
        #expect(try empty.plan().slices.isEmpty)
        #expect(try empty.read(empty.plan()).isEmpty)
    }

    @Test(arguments: StorageKind.allCases)
    func aPinnedKeyPlansOnlyTheGroupsTheIndexNames(_ storage: StorageKind) throws {
        let f = try Self.randomTable(storage, seed: 11)
        let live = f.neededFiles(asOf: f.commits.last!)
        #expect(live.count >= 3)
        for i in 0..<40 {
            let k = "k\(i)"
            let plan = try f.table.plan(ReadOptions(predicate: try Predicate(parsing: "id = '\(k)'")))
            #expect(plan.pinnedKeys == [k])
            if let row = f.model.rows[k] {
                #expect(plan.slices.count == 1, "\(k)")
                #expect(plan.slices.allSatisfy { live.contains($0.path) && $0.path.hasPrefix(row.partition + "/") })
                #expect(Set(Self.byId(try f.table.read(plan)).keys) == [k])
            } else {
                #expect(plan.slices.isEmpty, "\(k) is not in the table")
            }
        }
        let both = try f.table.plan(ReadOptions(predicate: try Predicate(parsing: "id IN ('k1', 'k2') AND ts > 0")))
        #expect(both.pinnedKeys == ["k1", "k2"])
        #expect(both.slices.count <= 2)
        // As of an older commit, the index (which describes the latest) is not used.
        let old = try f.table.plan(ReadOptions(predicate: try Predicate(parsing: "id = 'k1'"), asOf: f.commits[0]))
        #expect(old.pinnedKeys == nil)
        #expect(Set(old.slices.map(\.path)) == f.neededFiles(asOf: f.commits[0]))
        // Without its index files, nothing is pinned.
        for e in try f.table.storage.list(".hoodie/lake/index") {
            _ = try f.table.storage.delete(".hoodie/lake/index/" + e.name)
        }
        let scan = try f.table.plan(ReadOptions(predicate: try Predicate(parsing: "id = 'k1'")))
        #expect(scan.pinnedKeys == nil)
        #expect(Set(scan.slices.map(\.path)) == live)
    }

    @Test(arguments: StorageKind.allCases)
    func lazySnapshotReadsEqualEagerReadsAndTheModel(_ storage: StorageKind) throws {
        for seed: UInt64 in 1...3 {
            let f = try Self.randomTable(storage, seed: seed)
            var rng = SplitMix(seed: seed &* 31)
            for _ in 0..<10 {
                let instant = Bool.random(using: &rng) ? nil : f.commits.randomElement(using: &rng)
                let p = Self.predicates(&rng).randomElement(using: &rng)!
                let columns = [nil, ["id", "ts"], ["name", "id", "region"]].randomElement(using: &rng)!
                let meta = Bool.random(using: &rng)
                let options = ReadOptions(
                    columns: columns, predicate: try p.text.map { try Predicate(parsing: $0) },
                    asOf: instant, includeMetaColumns: meta)
                let what =
                    "seed \(seed), as of \(instant ?? "latest"), where \(p.text ?? "-"), "
                    + "columns \(columns ?? [])"
                let plan = try f.table.plan(options)
                let eager = try f.table.read(plan)
                var lazy = f.table.readBatches(plan)
                var streamed: [RecordBatch] = []
                while let b = try lazy.next() {
                    #expect(lazy.nextSlice <= plan.slices.count)
                    streamed.append(b)
                }
                #expect(streamed == eager, "\(what)")
                #expect(try f.table.read(options) == eager, "\(what)")
                for b in eager { #expect(b.schema == plan.schema, "\(what)") }
                let want = try #require(f.snapshots[instant ?? f.commits.last!]).filter { p.test($0.value) }
                Self.expectRows(
                    Self.byId(eager), want, columns: columns ?? CleanerFixture.fields.map(\.name),
                    meta: meta, what)
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func lazyIncrementalReadsEqualEagerReadsAndTheModel(_ storage: StorageKind) throws {
        for seed: UInt64 in 4...5 {
            let f = try Self.randomTable(storage, seed: seed)
            var rng = SplitMix(seed: seed &* 17)
            for _ in 0..<10 {
                let i = Int.random(in: 0..<f.commits.count, using: &rng)
                let j = Int.random(in: i..<f.commits.count, using: &rng)
                let since = i == 0 ? nil : f.commits[i - 1], until = f.commits[j]
                let p = Self.predicates(&rng).randomElement(using: &rng)!
                let meta = Bool.random(using: &rng)
                let options = ReadOptions(
                    predicate: try p.text.map { try Predicate(parsing: $0) },
                    includeMetaColumns: meta)
                let window = ReadWindow(since: since, until: until)
                let what = "seed \(seed), window \(window), where \(p.text ?? "-")"
                let plan = try f.table.planIncremental(window, options: options)
                #expect(plan.commits == Array(f.commits[i...j]), "\(what)")
                #expect(plan.instant == until)
                let eager = try f.table.read(plan)
                var lazy = f.table.readBatches(plan)
                #expect(try lazy.collect() == eager, "\(what)")
                #expect(try f.table.readIncremental(window, options: options) == eager, "\(what)")
                for b in eager { #expect(b.schema == plan.schema, "\(what)") }
                let want = try #require(f.snapshots[until]).filter { entry in
                    (since.map { entry.value.commitTime > $0 } ?? true) && p.test(entry.value)
                }
                Self.expectRows(Self.byId(eager), want, columns: CleanerFixture.fields.map(\.name), meta: meta, what)
            }
        }
    }
}
