import Foundation
import Testing
@testable import LakeCore

/// `Table.check()`: a clean table is clean (also after cleaning, partition moves, savepoints and a
/// restore); each kind of damage is reported with where it is.
@Suite struct CheckTests {
    /// Four commits with moves and deletes, cleaned down to two retained commits, a savepoint.
    static func fixture() throws -> FailureFixture {
        let f = try FailureFixture(settings: ["cleaner.commits.retained": "2"])
        try f.upsert("a", count: 30, ts: 1)
        _ = try f.table.createSavepoint()
        try f.upsert(
            (0..<30).filter { $0 % 4 == 0 }.map { (FailureFixture.row("a\($0)", 2, "moved", region: "sa"), false) })
        try f.upsert((0..<30).filter { $0 % 5 == 0 }.map { (FailureFixture.row("a\($0)", 3), true) })
        try f.upsert("b", count: 10, ts: 4)
        return f
    }

    static func kinds(_ f: FailureFixture) throws -> [CheckReport.Kind] {
        try Table.check(at: f.table.path).problems.map(\.kind)
    }

    @Test func aHealthyTableIsClean() throws {
        let f = try Self.fixture()
        let report = try Table.check(at: f.table.path)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.commitsChecked == 4 && report.snapshotsChecked >= 3)
        #expect(report.keysChecked == f.model.rows.count && report.indexEntries >= report.keysChecked)
        #expect(report.indexStatus == "current")
        // After a restore to the savepoint too.
        try f.table.restore(toSavepoint: f.history[0].instant)
        #expect(try Table.check(at: f.table.path).isClean)
    }

    @Test func missingAndResizedFilesAndWrongRowCounts() throws {
        let f = try Self.fixture()
        let view = try FileSystemView.load(storage: f.table.storage, timeline: f.timeline())
        let latest = view.latestSlices()
        let storage = f.table.storage
        #expect(try storage.delete(latest[0].path))
        let resized = latest[1].path
        try storage.write(resized, try storage.read(resized) + [0, 0])
        let report = try Table.check(at: f.table.path)
        #expect(
            report.problems.contains { $0.kind == .missingFile && $0.location == latest[0].path }, "\(report.problems)")
        #expect(report.problems.contains { $0.kind == .sizeMismatch && $0.location == resized }, "\(report.problems)")

        // numWrites edited in the commit metadata: the row count no longer matches.
        let g = try Self.fixture()
        let last = try #require(g.timeline().latestCompleted)
        let metaPath = Timeline.path(of: last)
        var meta = try g.table.commitMetadata(last)
        let partition = try #require(meta.partitionToWriteStats.keys.sorted().first)
        meta.partitionToWriteStats[partition]![0].numWrites += 1
        try g.table.storage.write(metaPath, meta.jsonData())
        let rows = try Table.check(at: g.table.path)
        #expect(rows.problems.map(\.kind) == [.rowCountMismatch], "\(rows.problems)")
    }

    @Test func unreadableFilesDuplicateKeysAndAnIndexThatDisagrees() throws {
        let f = try Self.fixture()
        let storage = f.table.storage
        let view = try FileSystemView.load(storage: storage, timeline: f.timeline())
        let slice = view.latestSlices()[0]
        try storage.write(slice.path, [UInt8](repeating: 0, count: Int(slice.size)))
        #expect(try Self.kinds(f).contains(.unreadableFile))

        // An index that sends a key to the wrong group, and remembers a key no group holds.
        let g = try Self.fixture()
        let latest = try #require(g.history.last?.instant)
        var index = try #require(try RecordIndexStore.loadIfCurrent(table: g.table))
        let key = try #require(g.model.rows.keys.sorted().first)
        index.set(key, .live(partition: "region=nowhere", fileId: "x-0"))
        index.set("ghost", .live(partition: "region=eu", fileId: "y-0"))
        try RecordIndexStore.persist(index, instant: latest, forceBase: true, storage: g.table.storage)
        let report = try Table.check(at: g.table.path)
        #expect(
            report.problems.filter { $0.kind == .indexMismatch }.map(\.location).sorted() == [key, "ghost"].sorted(),
            "\(report.problems)")

        // A stale copy of a moved key's old slice, restored next to the new one: a duplicate key.
        let h = try FailureFixture()
        try h.upsert("a", count: 6, ts: 1)
        let before = try FileSystemView.load(storage: h.table.storage, timeline: h.timeline()).latestSlices()
        let saved = try before.map { ($0, try h.table.storage.read($0.path)) }
        try h.upsert([(FailureFixture.row("a0", 2, "moved", region: "sa"), false)])
        for (s, bytes) in saved where s.partitionPath == "region=eu" {
            let copy =
                "region=eu/"
                + s.baseFile.fileName.replacingAll(s.fileId, with: "00000000-0000-0000-0000-000000000000-0")
            try h.table.storage.write(copy, bytes)
        }
        let dups = try Table.check(at: h.table.path)
        #expect(dups.problems.contains { $0.kind == .duplicateKey && $0.location == "a0" }, "\(dups.problems)")
        #expect(dups.problems.contains { $0.kind == .unexpectedFile }, "\(dups.problems)")
    }

    @Test func aDamagedIndexIsReported() throws {
        let f = try Self.fixture()
        let files = try f.table.storage.list(RecordIndexStore.folder).map(\.name).sorted()
        let path = RecordIndexStore.folder + "/" + (try #require(files.last))
        var bytes = try f.table.storage.read(path)
        bytes[9] ^= 1
        try f.table.storage.write(path, bytes)
        let report = try Table.check(at: f.table.path)
        #expect(report.problems.map(\.kind) == [.indexDamaged], "\(report.problems)")
        #expect(report.indexStatus == "damaged")
    }
}
