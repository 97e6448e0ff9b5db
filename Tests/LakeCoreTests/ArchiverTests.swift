import Foundation
import Testing
@testable import LakeCore

/// Timeline archival: what moves, where it stops, and that reads inside the window and the
/// record index do not change.
@Suite struct ArchiverTests {
    static let small = ["cleaner.commits.retained": "2", "archive.min.commits": "4", "archive.max.commits": "6"]

    func activeCommits(_ f: CleanerFixture) throws -> [String] {
        try Timeline.load(from: f.table.storage).completedCommits.map(\.timestamp)
    }

    func archivedNames(_ f: CleanerFixture) throws -> Set<String> {
        guard try f.table.storage.exists(".hoodie/archived") else { return [] }
        return Set(try f.table.storage.list(".hoodie/archived").map(\.name))
    }

    @Test func settings() throws {
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        var s = try ArchiverSettings(config: c)
        #expect(s.minCommits == 20 && s.maxCommits == 30 && s.automatic)
        c.lake = ["cleaner.commits.retained": "25"]
        s = try ArchiverSettings(config: c)
        #expect(s.minCommits == 26 && s.maxCommits == 36)
        c.lake = ["cleaner.commits.retained": "25", "archive.min.commits": "25"]
        #expect(throws: LakeError.self) { try ArchiverSettings(config: c) }
        c.lake = ["archive.min.commits": "12", "archive.max.commits": "11"]
        #expect(throws: LakeError.self) { try ArchiverSettings(config: c) }
        c.lake = ["archive.automatic": "false", "archive.max.commits": "40"]
        s = try ArchiverSettings(config: c)
        #expect(s.minCommits == 20 && s.maxCommits == 40 && !s.automatic)
    }

    /// Contradicting settings are refused when the table is created; written into
    /// `hoodie.properties` by hand afterwards, they stop the next write before it begins (they
    /// used to let it commit and then fail in the services after it).
    @Test(arguments: StorageKind.allCases)
    func contradictorySettingsFailBeforeTheCommit(_ storage: StorageKind) throws {
        let e = #expect(throws: LakeError.self) {
            try CleanerFixture(storage, ["cleaner.commits.retained": "5", "archive.min.commits": "3"])
        }
        #expect(
            e?.code == .invalidArgument && e?.message.contains("lake.archive.min.commits=3") == true,
            "\(e?.message ?? "")")
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "5"])
        try f.upsert([("a", "eu", false)])
        var c = f.table.config
        c.lake["archive.min.commits"] = "3"
        try c.save(to: f.table.storage)
        let reopened = try Table.open(storage: f.table.storage)
        let row = CleanerFixture.row("b", 1, "n", "eu")
        let batch = RecordBatch.from([row], fields: CleanerFixture.fields)
        let failure = #expect(throws: LakeError.self) { try reopened.write(batch, operation: .upsert) }
        #expect(failure?.message.contains("lake.archive.min.commits=3") == true, "\(failure?.message ?? "")")
        try f.table.refresh()
        #expect(f.table.timeline.completedCommits.count == 1)
        #expect(try f.table.snapshotByKey().keys.sorted() == ["a"])
    }

    @Test(arguments: StorageKind.allCases)
    func archivesDownToMinAndReadsInsideTheWindowDoNotChange(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, Self.small)
        try CleanerTests.tenCommits(f) { n in
            let active = try activeCommits(f)
            // 7 commits > max 6: down to 4; then 5, 6; at 10 again down to 4.
            let want = [1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 4, 8: 5, 9: 6, 10: 4][n]!
            #expect(active.count == want, "after commit \(n)")
            #expect(active == Array(f.commits.suffix(want)))
            #expect(try f.filesOnDisk() == f.expectedFiles(retaining: 2))
            #expect(try f.table.earliestReadableInstant() == f.commits.suffix(2).first)
            for c in f.commits.suffix(2) { try f.expectExact(asOf: c) }
            try f.expectExact(asOf: f.commits.last!)
        }
        let archived = try archivedNames(f)
        for c in f.commits.prefix(6) {
            #expect(archived.isSuperset(of: ["\(c).commit", "\(c).commit.requested", "\(c).inflight"]))
        }
        // Old cleans are archived too, but the newest stays active.
        let activeCleans = try f.instants(.clean)
        #expect(!activeCleans.isEmpty && activeCleans.count < 8)
        #expect(archived.contains { $0.hasSuffix(".clean") })
    }

    /// An archival killed while copying an instant file into the archive leaves the copy's
    /// temporary file; the next archival (which moves that instant again) removes it.
    @Test func anArchivalKilledMidMoveLeavesNothingBehindTheNextOne() throws {
        let f = try CleanerFixture(.local, Self.small)
        let storage = try #require(f.table.storage as? LocalStorage)
        try CleanerTests.tenCommits(f) { n in
            guard n == 6 else { return }
            try storage.makeDirectories(".hoodie/archived")
            let first = try #require(try activeCommits(f).first)
            let leftover = storage.absolutePath(".hoodie/archived/.\(first).commit.lake-tmp-4242-dead")
            #expect(FileManager.default.createFile(atPath: leftover, contents: Data([0x7B])))
        }
        let names = try archivedNames(f)
        #expect(!names.contains { LocalStorage.isTemporary($0) }, "\(names.sorted())")
        #expect(names.contains { $0.hasSuffix(".commit") })
    }

    @Test(arguments: StorageKind.allCases)
    func theRecordIndexSurvivesArchivingItsCommits(_ storage: StorageKind) throws {
        // A small table's index is deltas only; archiving their commits must not lose keys.
        let f = try CleanerFixture(storage, Self.small)
        try CleanerTests.tenCommits(f)
        let index = Set(try f.table.storage.list(RecordIndexStore.folder).map(\.name))
        #expect(index.contains { $0.hasPrefix("base_") })
        // Update every key ever written: an index that forgot one would duplicate it.
        let keys = f.model.rows.keys.sorted()
        try f.upsert(keys.map { k in (k, f.model.rows[k]!.partition == "region=eu" ? "eu" : "us", false) })
        let snap = try f.table.snapshotByKey()
        #expect(snap.count == f.model.rows.count)
        try f.expectExact(asOf: f.commits.last!)
    }

    @Test(arguments: StorageKind.allCases)
    func archivalStopsBeforeASavepoint(_ storage: StorageKind) throws {
        var settings = Self.small
        settings["archive.automatic"] = "false"
        let f = try CleanerFixture(storage, settings)
        try f.upsert([("a", "eu", false)])
        try f.upsert([("a", "eu", false)])
        try f.table.storage.write(".hoodie/\(f.commits[1]).savepoint", Array("{}".utf8))
        for _ in 0..<6 { try f.upsert([("a", "eu", false)]) }
        let report = try f.table.archiver().run()
        #expect(report.archivedCommits == [f.commits[0]])
        #expect(report.stoppedBy?.contains("savepoint") == true)
        #expect(try activeCommits(f) == Array(f.commits.dropFirst()))
        try f.expectExact(asOf: f.commits[1])
    }

    @Test(arguments: StorageKind.allCases)
    func archivalStopsBeforeAPendingInstant(_ storage: StorageKind) throws {
        var settings = Self.small
        settings["archive.automatic"] = "false"
        let f = try CleanerFixture(storage, settings)
        try f.upsert([("a", "eu", false)])
        try f.upsert([("a", "eu", false)])
        // A clean lake cannot finish (Java's), left pending after the second commit.
        let t = f.table.clock.next(after: f.table.timeline.latestTimestamp).value
        try f.table.storage.write(".hoodie/\(t).clean.requested", [0x4F, 0x62, 0x6A, 0x01])
        for _ in 0..<6 { try f.upsert([("a", "eu", false)]) }
        let report = try f.table.archiver().run()
        #expect(report.archivedCommits == Array(f.commits.prefix(2)))
        #expect(report.stoppedBy?.contains("pending") == true)
        #expect(try activeCommits(f) == Array(f.commits.suffix(6)))
    }

    @Test(arguments: StorageKind.allCases)
    func archivalWaitsForReplacedFileGroupsToBeCleaned(_ storage: StorageKind) throws {
        let f = try CleanerFixture(
            storage,
            [
                "cleaner.commits.retained": "1", "cleaner.automatic": "false",
                "archive.min.commits": "2", "archive.max.commits": "3",
            ])
        try f.upsert([("a", "eu", false), ("b", "us", false)])
        try f.write([CleanerFixture.row("x", 100, "over", "us")], .insertOverwrite)
        for _ in 0..<3 { try f.upsert([("a", "eu", false)]) }
        // The replacecommit (second) stays: archiving it would bring b's group back.
        #expect(try activeCommits(f) == Array(f.commits.dropFirst()))
        #expect(try f.table.archiver(dryRun: true).run().stoppedBy?.contains("replacecommit") == true)
        #expect(try f.table.snapshotByKey().keys.sorted() == ["a", "x"])
        try f.table.cleaner().run()
        let report = try f.table.archiver().run()
        #expect(report.archivedCommits == [f.commits[1], f.commits[2]])
        #expect(try f.table.snapshotByKey().keys.sorted() == ["a", "x"])
    }

    @Test(arguments: StorageKind.allCases)
    func archivalNeverMakesAnUncommittedFileVisible(_ storage: StorageKind) throws {
        let f = try CleanerFixture(
            storage,
            [
                "cleaner.commits.retained": "1", "archive.min.commits": "2",
                "archive.max.commits": "3",
            ])
        try f.upsert([("a", "eu", false)])
        try f.upsert([("a", "eu", false)])
        // A leftover base file with no instant files, between the second and third commits.
        let t = f.table.clock.next(after: f.table.timeline.latestTimestamp).value
        let some = try #require(try f.filesOnDisk().first)
        try f.table.storage.write("region=eu/orphan-0_0-0-0_\(t).parquet", try f.table.storage.read(some))
        for _ in 0..<3 { try f.upsert([("a", "eu", false)]) }
        // Archiving the second commit would make the third the earliest active instant, and the
        // orphan older than it: visible. So only the first goes.
        #expect(try activeCommits(f) == Array(f.commits.suffix(4)))
        #expect(try f.table.archiver(dryRun: true).run().stoppedBy?.contains("uncommitted") == true)
        #expect(try f.table.snapshotByKey().count == 1)
    }

    @Test(arguments: StorageKind.allCases)
    func anInterruptedArchivalLeavesCommitsCompletedAndIsFinishedLater(_ storage: StorageKind) throws {
        var settings = Self.small
        settings["archive.automatic"] = "false"
        let f = try CleanerFixture(storage, settings)
        try CleanerTests.tenCommits(f)
        // A crash after moving the first commit's requested and inflight files.
        let c = f.commits[0]
        try f.table.storage.makeDirectories(".hoodie/archived")
        for name in ["\(c).commit.requested", "\(c).inflight"] {
            try f.table.storage.write(".hoodie/archived/\(name)", try f.table.storage.read(".hoodie/\(name)"))
            try f.table.storage.delete(".hoodie/\(name)")
        }
        try f.table.refresh()
        #expect(f.table.timeline.pendingCommits.isEmpty)
        try f.expectExact(asOf: f.commits.last!)
        let report = try f.table.archiver().run()
        #expect(report.archivedCommits == Array(f.commits.prefix(6)))
        #expect(try archivedNames(f).contains("\(c).commit"))
        try f.expectExact(asOf: f.commits.last!)
        try f.expectExact(asOf: f.commits[8])
    }
}
