import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// A small upsert table with a model, the model's snapshot after every commit, and a ledger of
/// the slices every commit wrote (from commit metadata, not from the listing), so tests can
/// work out independently which files a cleaner must keep.
final class CleanerFixture {
    static let fields: [ParquetField] = [
        .string("id", nullable: false), .int64("ts"), .string("name"), .string("region"),
    ]

    let dir = TemporaryDirectory()
    let table: Table
    var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
    /// The model's rows after each commit, by instant.
    var snapshots: [String: [String: UpsertModel.Row]] = [:]
    /// Every completed commit, oldest first.
    var commits: [String] = []
    /// Slices written per file group: (instant, path), oldest first.
    var slices: [FileGroupID: [(instant: String, path: String)]] = [:]
    /// File groups replaced, with the replacing instant.
    var replacedAt: [FileGroupID: String] = [:]
    private var tick: Int64 = 0

    /// A table with `lake.*` settings (keys without the prefix), on `storage`.
    init(_ storage: StorageKind = .local, _ settings: [String: String] = [:]) throws {
        var config = TableConfig(name: "t", recordKeyFields: ["id"], partitionFields: ["region"], precombineField: "ts")
        config.lake = settings
        table = try Table.create(in: storage.make(dir), config: config, schema: TableSchema(Self.fields))
    }

    static func row(_ id: String, _ ts: Int64, _ name: String, _ region: String) -> [String: ModelValue] {
        ["id": .string(id), "ts": .int(ts), "name": .string(name), "region": .string(region)]
    }

    /// Upserts (and deletes) rows; records the model, the snapshot and the slices written.
    @discardableResult
    func upsert(_ rows: [(id: String, region: String, delete: Bool)]) throws -> CommitResult {
        tick += 1
        let batch = rows.map { (row: Self.row($0.id, tick, "n\(tick)-\($0.id)", $0.region), isDelete: $0.delete) }
        let result = try table.write(
            RecordBatch.from(batch.map(\.row), fields: Self.fields, deletes: batch.map(\.isDelete)), operation: .upsert)
        model.apply(batch, instant: result.instant)
        try record(result.instant)
        return result
    }

    /// An upsert whose writer dies at `point` of the commit protocol after the commit completed
    /// (an in-process stand-in for a SIGKILL): the commit stands, nothing after `point` ran.
    @discardableResult
    func upsertDying(at point: String, _ rows: [(id: String, region: String, delete: Bool)]) throws -> String {
        tick += 1
        let batch = rows.map { (row: Self.row($0.id, tick, "n\(tick)-\($0.id)", $0.region), isDelete: $0.delete) }
        CrashPoint.simulate(point, at: table.storage.root)
        defer { CrashPoint.simulate(nil, at: table.storage.root) }
        #expect(throws: LakeError.self) {
            try self.table.write(
                RecordBatch.from(batch.map(\.row), fields: Self.fields, deletes: batch.map(\.isDelete)),
                operation: .upsert)
        }
        try table.refresh()
        let instant = try #require(table.timeline.completedCommits.last).timestamp
        #expect(!commits.contains(instant), "the dying write did not complete its commit")
        model.apply(batch, instant: instant)
        try record(instant)
        return instant
    }

    /// Runs another operation (insert_overwrite, delete_partition) without a model update.
    @discardableResult
    func write(_ rows: [[String: ModelValue]], _ op: WriteOperation) throws -> CommitResult {
        let result = try table.write(RecordBatch.from(rows, fields: Self.fields), operation: op)
        try record(result.instant)
        return result
    }

    private func record(_ instant: String) throws {
        commits.append(instant)
        snapshots[instant] = model.rows
        let c = try #require(table.timeline.completedCommit(at: instant))
        let meta = try table.commitMetadata(c)
        for s in meta.allWriteStats {
            let id = FileGroupID(partitionPath: s.partitionPath ?? "", fileId: s.fileId)
            slices[id, default: []].append((instant, try #require(s.path)))
        }
        for g in meta.replacedFileGroups where replacedAt[g] == nil { replacedAt[g] = instant }
    }

    /// The files a read as of `instant` needs, from the ledger.
    func neededFiles(asOf instant: String) -> Set<String> {
        var out = Set<String>()
        for (id, list) in slices {
            if let r = replacedAt[id], r <= instant { continue }
            if let s = list.last(where: { $0.instant <= instant }) { out.insert(s.path) }
        }
        return out
    }

    /// What KEEP_LATEST_COMMITS(n) must leave on disk: the files of the last n commits' reads,
    /// plus the latest slice of every live group, plus `extra` commits' (savepoints).
    func expectedFiles(retaining n: Int, extra: [String] = []) -> Set<String> {
        var out = Set<String>()
        for c in commits.suffix(n) + extra { out.formUnion(neededFiles(asOf: c)) }
        for (id, list) in slices where replacedAt[id] == nil { out.insert(list.last!.path) }
        return out
    }

    /// Every base file on disk (table-relative paths).
    func filesOnDisk() throws -> Set<String> {
        Set(try table.storage.walkFiles(under: "").filter { $0.name.hasSuffix(".parquet") }.map(\.path))
    }

    /// A read as of `instant`, keyed by record key.
    func read(asOf instant: String) throws -> [String: [String: ModelValue]] {
        var out: [String: [String: ModelValue]] = [:]
        for b in try table.read(ReadOptions(asOf: instant, includeMetaColumns: true)) {
            for r in b.modelRows() {
                guard case .string(let k)? = r["_hoodie_record_key"] else { continue }
                #expect(out[k] == nil, "duplicate key \(k) as of \(instant)")
                out[k] = r
            }
        }
        return out
    }

    /// Checks a read as of `instant` against the model then: keys, values and commit times.
    func expectExact(asOf instant: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let got = try read(asOf: instant)
        let want = try #require(snapshots[instant], sourceLocation: sourceLocation)
        #expect(Set(got.keys) == Set(want.keys), "keys as of \(instant)", sourceLocation: sourceLocation)
        for (k, m) in want {
            guard let g = got[k] else { continue }
            for f in Self.fields.map(\.name) {
                #expect(
                    g[f] ?? .null == m.values[f] ?? .null, "key \(k) column \(f) as of \(instant)",
                    sourceLocation: sourceLocation)
            }
            #expect(
                g["_hoodie_commit_time"] == .string(m.commitTime), "key \(k) commit time as of \(instant)",
                sourceLocation: sourceLocation)
        }
    }

    /// Instant files of `action` in `state` on the active timeline.
    func instants(_ action: Instant.Action, _ state: Instant.State = .completed) throws -> [Instant] {
        try Timeline.load(from: table.storage).instants.filter { $0.action == action && $0.state == state }
    }
}

/// The cleaner against a slice ledger and a model: what it deletes, what it keeps, how it
/// records its work and how it recovers from a crash.
@Suite struct CleanerTests {
    /// Ten upserts over twenty keys in two partitions; every commit touches both file groups
    /// (one in each partition), some commits delete.
    static func tenCommits(_ f: CleanerFixture, check: (Int) throws -> Void = { _ in }) throws {
        let keys = (0..<20).map { (id: "k\($0)", region: $0 % 2 == 0 ? "eu" : "us") }
        try f.upsert(keys.map { ($0.id, $0.region, false) })
        try check(1)
        for i in 2...10 {
            var batch = keys.enumerated().filter { ($0.offset + i) % 3 == 0 }.map {
                ($0.element.id, $0.element.region, false)
            }
            if i % 4 == 0 { batch.append((keys[i].id, keys[i].region, true)) }
            batch.append(("new\(i)", i % 2 == 0 ? "eu" : "us", false))
            try f.upsert(batch)
            try check(i)
        }
    }

    /// The proof: N = 2 over 10 commits. After every commit: every read inside the
    /// window is exact, every read outside it is flagged unreadable (earliestReadableInstant),
    /// and the files on disk are exactly those the last 2 commits' reads need plus the latest
    /// slices.
    @Test(arguments: StorageKind.allCases)
    func keepLatestTwoCommitsOverTenCommits(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2"])
        try Self.tenCommits(f) { _ in
            let disk = try f.filesOnDisk()
            #expect(disk == f.expectedFiles(retaining: 2), "after \(f.commits.count) commits")
            let window = f.commits.suffix(2)
            #expect(try f.table.earliestReadableInstant() == window.first)
            for c in f.commits {
                if window.contains(c) {
                    #expect(try f.table.isReadable(asOf: c))
                    try f.expectExact(asOf: c)
                    #expect(f.neededFiles(asOf: c).isSubset(of: disk))
                } else {
                    #expect(try !f.table.isReadable(asOf: c), "\(c) is outside the window")
                    #expect(!f.neededFiles(asOf: c).isSubset(of: disk), "\(c): a cleaned commit really lost files")
                }
            }
        }
        // Two file groups, ten slices each; 2 retained commits touching both keep 2 each.
        #expect(f.slices.count == 2 && f.slices.values.allSatisfy { $0.count == 10 })
        #expect(try f.filesOnDisk().count == 4)
        // One clean per commit from the third on, each with its three instant files.
        #expect(try f.instants(.clean).count == 8)
        #expect(try f.instants(.clean, .requested).count == 8)
        #expect(try f.instants(.clean, .inflight).count == 8)
    }

    @Test(arguments: StorageKind.allCases)
    func cleanInstantRecordsPlanAndResult(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try Self.tenCommits(f)
        #expect(try f.instants(.clean).isEmpty)
        let before = try f.filesOnDisk()
        let report = try f.table.cleaner().run()
        let instant = try #require(report.instant)
        #expect(report.filesDeleted == before.count - 4)
        #expect(report.bytesFreed == report.plan.dataBytes && report.bytesFreed > 0)
        #expect(report.plan.keptFiles == 4)
        #expect(report.plan.earliestCommitToRetain == f.commits[8])
        #expect(report.earliestReadableInstant == f.commits[8])
        let bytes = try f.table.storage.read(".hoodie/\(instant).clean")
        let json = try JSONParser().parse(bytes)
        #expect(json["policy"]?.stringValue == "KEEP_LATEST_COMMITS")
        #expect(json["earliestReadableInstant"]?.stringValue == f.commits[8])
        #expect(json["result"]?["filesDeleted"]?.numberValue?.int64 == Int64(report.filesDeleted))
        #expect(try CleanerPlan(bytes: bytes, source: "x") == report.plan)
        // The requested file is the plan, written before anything was deleted.
        #expect(
            try CleanerPlan(bytes: try f.table.storage.read(".hoodie/\(instant).clean.requested"), source: "x")
                == report.plan)
        // Nothing left to do: a second run writes no instant.
        let again = try f.table.cleaner().run()
        #expect(again.instant == nil && again.filesDeleted == 0 && again.plan.isEmpty)
        #expect(again.earliestReadableInstant == f.commits[8])
    }

    @Test(arguments: StorageKind.allCases)
    func dryRunDeletesNothingAndPlansWhatTheRunDoes(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.automatic": "false"])
        try Self.tenCommits(f)
        let before = try f.filesOnDisk()
        let dry = try f.table.cleaner(policy: .keepLatestCommits(3), dryRun: true).run()
        #expect(dry.instant == nil && dry.dryRun)
        #expect(try f.filesOnDisk() == before)
        #expect(try f.instants(.clean, .requested).isEmpty)
        #expect(Set(dry.plan.dataFiles.map(\.path)) == before.subtracting(f.expectedFiles(retaining: 3)))
        let real = try f.table.cleaner(policy: .keepLatestCommits(3)).run()
        #expect(real.plan.dataFiles == dry.plan.dataFiles)
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 3))
    }

    @Test(arguments: StorageKind.allCases)
    func moreRetainedThanCommitsDeletesNothing(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage)  // defaults: KEEP_LATEST_COMMITS 10, automatic
        try Self.tenCommits(f)
        #expect(try f.instants(.clean).isEmpty)
        #expect(try f.filesOnDisk().count == 20)
        #expect(try f.table.earliestReadableInstant() == f.commits.first)
        for c in f.commits { try f.expectExact(asOf: c) }
        // The eleventh commit pushes the first out of the window.
        try f.upsert([("k0", "eu", false), ("k1", "us", false)])
        #expect(try f.table.earliestReadableInstant() == f.commits[1])
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 10))
    }

    @Test(arguments: StorageKind.allCases)
    func untouchedFileGroupsKeepOlderCommitsReadable(_ storage: StorageKind) throws {
        // Only the eu group changes after the first commit: the us slice of commit 1 is the
        // latest one, so it stays, and reads as of old commits lose only eu's old slices.
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2"])
        try f.upsert([("a", "eu", false), ("b", "us", false)])
        try f.upsert([("c", "us", false)])
        for _ in 0..<4 { try f.upsert([("a", "eu", false)]) }
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
        #expect(try f.table.earliestReadableInstant() == f.commits[4])
        for c in f.commits.suffix(2) { try f.expectExact(asOf: c) }
    }

    @Test(arguments: StorageKind.allCases)
    func keepLatestFileVersions(_ storage: StorageKind) throws {
        let f = try CleanerFixture(
            storage,
            [
                "cleaner.policy": "KEEP_LATEST_FILE_VERSIONS",
                "cleaner.file.versions.retained": "3",
            ])
        try f.upsert([("a", "eu", false), ("b", "us", false)])
        for i in 0..<6 { try f.upsert([("a", "eu", false)] + (i % 3 == 0 ? [("b", "us", false)] : [])) }
        var want = Set<String>()
        for list in f.slices.values { want.formUnion(list.suffix(3).map(\.path)) }
        #expect(try f.filesOnDisk() == want)
        // eu changed in every commit: only the last three commits are whole.
        let earliest = try #require(try f.table.earliestReadableInstant())
        #expect(earliest == f.commits[4])
        for c in f.commits where c >= earliest { try f.expectExact(asOf: c) }
    }

    @Test(arguments: StorageKind.allCases)
    func replacedFileGroupsGoOnceTheReplacingCommitLeavesTheWindow(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2"])
        try f.upsert([("a", "eu", false), ("b", "us", false)])
        try f.upsert([("a", "eu", false), ("b", "us", false)])
        let usGroups = Set(f.slices.keys.filter { $0.partitionPath == "region=us" })
        try f.write([CleanerFixture.row("x", 100, "over", "us")], .insertOverwrite)
        let r = f.commits.last!
        // Window (c2, r): c2 still reads the replaced us group.
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
        #expect(
            try f.filesOnDisk().contains { p in usGroups.contains { p.hasPrefix($0.partitionPath + "/" + $0.fileId) } })
        try f.upsert([("a", "eu", false)])
        // Window (r, c4): nobody reads the replaced group any more.
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
        #expect(
            try !f.filesOnDisk().contains { p in usGroups.contains { p.hasPrefix($0.partitionPath + "/" + $0.fileId) } }
        )
        #expect(try f.table.earliestReadableInstant() == r)
        // Deleting a partition: once cleaned, its directory goes too.
        try f.write([], .deletePartitions(["region=us"]))
        try f.upsert([("a", "eu", false)])
        try f.upsert([("a", "eu", false)])
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
        #expect(try !f.table.storage.exists("region=us"))
        #expect(try f.table.snapshotByKey().keys.sorted() == ["a"])
    }

    @Test(arguments: StorageKind.allCases)
    func savepointedCommitsKeepTheirSlices(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try Self.tenCommits(f)
        let sp = f.commits[3]
        try f.table.storage.write(".hoodie/\(sp).savepoint", Array("{}".utf8))
        try f.table.refresh()
        let report = try f.table.cleaner().run()
        #expect(report.plan.savepoints == [sp])
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2, extra: [sp]))
        #expect(try f.table.isReadable(asOf: sp))
        #expect(try !f.table.isReadable(asOf: f.commits[4]))
        try f.expectExact(asOf: sp)
    }

    @Test(arguments: StorageKind.allCases)
    func supersededIndexFilesAreCleaned(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2"])
        for i in 0..<3 { try f.upsert([("k\(i)", "eu", false), ("j\(i)", "us", false)]) }
        // insert_overwrite writes a new index base; the deltas before it are superseded.
        try f.write([CleanerFixture.row("x", 100, "over", "us")], .insertOverwrite)
        let r = f.commits.last!
        try f.upsert([("k0", "eu", false)])
        let names = Set(try f.table.storage.list(RecordIndexStore.folder).map(\.name))
        #expect(names == ["base_\(r).idx", "delta_\(f.commits.last!).idx"])
        // The index still answers: an update of an existing key does not duplicate it.
        try f.upsert([("k1", "eu", false), ("x", "us", false)])
        let snap = try f.table.snapshotByKey()
        #expect(snap.keys.sorted() == ["k0", "k1", "k2", "x"])
    }

    @Test(arguments: StorageKind.allCases)
    func indexOnlyCleanupWritesNoInstant(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage)  // KEEP_LATEST_COMMITS 10: no slice to delete yet
        for i in 0..<3 { try f.upsert([("k\(i)", "eu", false)]) }
        try f.write([CleanerFixture.row("x", 100, "over", "us")], .insertOverwrite)
        #expect(try f.instants(.clean, .requested).isEmpty)
        // The deltas the previous commit's index is made of stay while an undo of the latest
        // commit may return to it; the next commit's clean removes them.
        var names = Set(try f.table.storage.list(RecordIndexStore.folder).map(\.name))
        #expect(names == Set(["base_\(f.commits.last!).idx"] + f.commits.prefix(3).map { "delta_\($0).idx" }))
        #expect(try f.filesOnDisk().count == 4)
        try f.upsert([("k0", "eu", false)])
        names = Set(try f.table.storage.list(RecordIndexStore.folder).map(\.name))
        #expect(names == ["base_\(f.commits[3]).idx", "delta_\(f.commits.last!).idx"])
    }

    // MARK: Crashes

    /// Leaves a clean planned but not finished, as a crash would: the requested file (and
    /// optionally the inflight file and some deletions).
    func crashedClean(
        _ f: CleanerFixture, policy: CleanerPolicy, inflight: Bool, deleteFirst: Int
    ) throws -> (instant: String, plan: CleanerPlan) {
        try f.table.refresh()
        let plan = try Cleaner.makePlan(table: f.table, policy: policy)
        let instant = f.table.clock.next(after: f.table.timeline.latestTimestamp).value
        try f.table.storage.createExclusive(".hoodie/\(instant).clean.requested", Array(plan.json.jsonText.utf8))
        if inflight { try f.table.storage.write(".hoodie/\(instant).clean.inflight", Array(plan.json.jsonText.utf8)) }
        for file in plan.dataFiles.prefix(deleteFirst) { try f.table.storage.delete(file.path) }
        try f.table.refresh()
        return (instant, plan)
    }

    @Test(arguments: StorageKind.allCases, [(false, 0), (true, 0), (true, 3)] as [(Bool, Int)])
    func crashedCleanIsFinishedByTheNextRun(_ storage: StorageKind, _ crash: (inflight: Bool, deleted: Int)) throws {
        let (inflight, deleted) = crash
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try Self.tenCommits(f)
        let (instant, plan) = try crashedClean(
            f, policy: .keepLatestCommits(2), inflight: inflight, deleteFirst: deleted)
        // Meanwhile: the boundary already counts, and reads inside the window are exact.
        #expect(try f.table.earliestReadableInstant() == f.commits[8])
        for c in f.commits.suffix(2) { try f.expectExact(asOf: c) }
        let report = try f.table.cleaner().run()
        #expect(report.resumed == [instant])
        #expect(report.instant == nil)  // the resumed clean did all there was to do
        #expect(report.filesMissing == deleted)
        #expect(report.filesDeleted == plan.dataFiles.count - deleted)
        #expect(try f.table.storage.exists(".hoodie/\(instant).clean"))
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
    }

    /// A writer killed between its commit and the automatic clean after it: the table reads
    /// exactly, keeps one slice too many per touched group, and ``Table/recover()`` (what a
    /// restarted `lake stream` runs) cleans without writing data.
    @Test(arguments: StorageKind.allCases)
    func recoverRunsTheCleanAWriterKilledAfterItsCommitSkipped(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2"])
        try Self.tenCommits(f)
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
        try f.upsertDying(at: "commit-completed", [("k1", "us", false), ("k2", "eu", false)])
        for c in f.commits.suffix(2) { try f.expectExact(asOf: c) }
        #expect(try f.filesOnDisk() != f.expectedFiles(retaining: 2), "the dying writer's clean ran anyway")
        let commitsBefore = try f.instants(.commit).count
        let cleansBefore = try f.instants(.clean).count
        #expect(try f.table.recover().isEmpty)
        #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
        #expect(try f.instants(.commit).count == commitsBefore, "recover wrote a commit")
        #expect(try f.instants(.clean).count == cleansBefore + 1)
        for c in f.commits.suffix(2) { try f.expectExact(asOf: c) }
        // Nothing left to do: a second recover changes nothing.
        #expect(try f.table.recover().isEmpty)
        #expect(try f.instants(.clean).count == cleansBefore + 1)
    }

    @Test(arguments: StorageKind.allCases)
    func crashedCleanIsFinishedByTheNextWrite(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try Self.tenCommits(f)
        let (instant, _) = try crashedClean(f, policy: .keepLatestCommits(2), inflight: true, deleteFirst: 1)
        try f.upsert([("k3", "us", false)])
        #expect(try f.table.storage.exists(".hoodie/\(instant).clean"))
        #expect(f.table.timeline.pendingInstants.isEmpty)
        for c in f.commits.suffix(2) { try f.expectExact(asOf: c) }
    }

    @Test(arguments: StorageKind.allCases)
    func resumedPlanKeepsWhatASavepointNowNeeds(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try Self.tenCommits(f)
        let (_, plan) = try crashedClean(f, policy: .keepLatestCommits(2), inflight: true, deleteFirst: 0)
        let sp = f.commits[7]
        try f.table.storage.write(".hoodie/\(sp).savepoint", Array("{}".utf8))
        let report = try f.table.cleaner().run()
        let spFiles = f.neededFiles(asOf: sp)
        #expect(report.filesKept == plan.dataFiles.filter { spFiles.contains($0.path) }.count && report.filesKept > 0)
        #expect(spFiles.isSubset(of: try f.filesOnDisk()))
        try f.expectExact(asOf: sp)
    }

    // MARK: Plans and settings

    @Test func planJSONRoundTripsAndRejectsForeignPaths() throws {
        var plan = CleanerPlan(policy: .keepLatestFileVersions(4))
        plan.lastCompletedCommit = "20250101000000005"
        plan.earliestReadableInstant = "20250101000000003"
        plan.savepoints = ["20250101000000001"]
        plan.dataFiles = [.init(path: "region=eu/abc-0_0-0-0_20250101000000001.parquet", bytes: 10)]
        plan.indexFiles = [.init(path: ".hoodie/lake/index/delta_20250101000000001.idx", bytes: 3)]
        plan.keptFiles = 2
        plan.keptBytes = 99
        #expect(try CleanerPlan(json: plan.json, source: "t") == plan)
        for bad in [
            ".hoodie/hoodie.properties", "../x/abc-0_0-0-0_20250101000000001.parquet", "region=eu/notes.txt",
            ".hoodie/abc-0_0-0-0_20250101000000001.parquet",
        ] {
            var p = plan
            p.dataFiles = [.init(path: bad, bytes: 1)]
            #expect(throws: LakeError.self) { try CleanerPlan(json: p.json, source: "t") }
        }
        var p = plan
        p.indexFiles = [.init(path: ".hoodie/lake/writer.lock", bytes: 1)]
        #expect(throws: LakeError.self) { try CleanerPlan(json: p.json, source: "t") }
        // Java writes Avro into clean instants.
        #expect(throws: LakeError.self) { try CleanerPlan(bytes: [0x4F, 0x62, 0x6A, 0x01], source: "t") }
    }

    @Test func settings() throws {
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        #expect(try CleanerSettings(config: c) == CleanerSettings(policy: .keepLatestCommits(10), automatic: true))
        c.lake["cleaner.commits.retained"] = "2"
        c.lake["cleaner.automatic"] = "FALSE"
        #expect(try CleanerSettings(config: c) == CleanerSettings(policy: .keepLatestCommits(2), automatic: false))
        c.lake = ["lake.cleaner.policy": "keep_latest_file_versions"]
        #expect(try CleanerSettings(config: c).policy == .keepLatestFileVersions(3))
        for (k, v) in [
            ("cleaner.policy", "KEEP_ALL"), ("cleaner.commits.retained", "0"), ("cleaner.commits.retained", "two"),
            ("cleaner.automatic", "yes"),
        ] {
            c.lake = [k: v]
            #expect(throws: LakeError.self) { try CleanerSettings(config: c) }
        }
        #expect(CleanerPolicy.keepLatestCommits(2).description == "KEEP_LATEST_COMMITS(2)")
    }
}
