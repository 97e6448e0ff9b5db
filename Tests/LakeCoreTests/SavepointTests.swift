import Foundation
import Testing
@testable import LakeCore

@Suite struct SavepointTests {
    @Test(arguments: StorageKind.allCases)
    func createListDelete(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 9, ts: 1)
        let t1 = f.history[0].instant
        let sp = try f.table.createSavepoint(user: "tester", comment: "before backfill")
        #expect(sp.instant == t1 && sp.savepointedBy == "tester" && sp.comments == "before backfill")
        // The pinned files are exactly the slices a read as of t1 uses.
        let slices = try FileSystemView.load(storage: f.table.storage, timeline: f.timeline()).latestSlices(asOf: t1)
            .map(\.path)
        #expect(sp.files == slices.sorted() && sp.files.count == 3)
        // Java's file names: <T>.savepoint.inflight, then <T>.savepoint.
        let names = try f.files()
        #expect(names.contains(".hoodie/\(t1).savepoint") && names.contains(".hoodie/\(t1).savepoint.inflight"))

        try f.upsert("a", count: 9, ts: 2)
        let reader = try Table.open(storage: f.table.storage)
        #expect(try reader.savepoints() == [sp])
        #expect(reader.savepointedCommits == [t1])
        #expect(reader.timeline.completedSavepoints.map(\.timestamp) == [t1])

        let again = #expect(throws: LakeError.self) { try f.table.createSavepoint(instant: t1) }
        #expect(again?.code == .alreadyExists)
        let missing = #expect(throws: LakeError.self) { try f.table.createSavepoint(instant: "20200101000000000") }
        #expect(missing?.code == .notFound)

        // Savepoints change nothing hudi-rs or lake read.
        try f.check()
        try f.table.deleteSavepoint(instant: t1)
        #expect(try f.table.savepoints().isEmpty)
        #expect(try !f.files().contains { $0.contains(".savepoint") })
        let gone = #expect(throws: LakeError.self) { try f.table.deleteSavepoint(instant: t1) }
        #expect(gone?.code == .notFound)
    }

    @Test(arguments: StorageKind.allCases)
    func savepointOfAnOlderCommitAndOfATableWithoutCommits(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        let none = #expect(throws: LakeError.self) { try f.table.createSavepoint() }
        #expect(none?.code == .notFound)
        try f.upsert("a", count: 6, ts: 1)
        try f.upsert("b", count: 3, ts: 2)
        try f.upsert("a", count: 2, ts: 3)
        let sp = try f.table.createSavepoint(instant: f.history[0].instant)
        #expect(sp.files.count == 3)
        #expect(sp.files.allSatisfy { $0.hasSuffix("_\(f.history[0].instant).parquet") })
        let sp2 = try f.table.createSavepoint(instant: f.history[1].instant)
        // Commit 2's rows went into the three existing (small) file groups.
        #expect(sp2.files.count == 3 && sp2.files.allSatisfy { $0.hasSuffix("_\(f.history[1].instant).parquet") })
        #expect(try f.table.savepoints().map(\.instant) == [f.history[0].instant, f.history[1].instant])
    }

    @Test(arguments: StorageKind.allCases)
    func aSavepointCannotPinWhatTheCleanerRemoved(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 3, ts: 1)
        try f.upsert("a", count: 3, ts: 2)
        let victim = try #require(try f.filesOf(f.history[0].instant).first { $0.hasSuffix(".parquet") })
        try f.table.storage.delete(victim)
        let e = #expect(throws: LakeError.self) { try f.table.createSavepoint(instant: f.history[0].instant) }
        #expect(e?.code == .outsideRetention && e?.message.contains(victim) == true)
    }

    @Test(arguments: StorageKind.allCases)
    func aSavepointThatDiedIsRemovedByTheNextWriter(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 3, ts: 1)
        f.crash(at: "savepoint-inflight")
        #expect(throws: LakeError.self) { try f.table.createSavepoint() }
        f.crash(at: nil)
        #expect(try f.files().contains(".hoodie/\(f.history[0].instant).savepoint.inflight"))
        #expect(try Table.open(storage: f.table.storage).savepoints().isEmpty)
        try f.upsert("a", count: 3, ts: 2)
        #expect(try !f.files().contains { $0.contains(".savepoint") })
        try f.check()
    }

    @Test func metadataRoundTripsAndJavaContentIsNotAnError() throws {
        let sp = SavepointMetadata(
            instant: "20250101000000000", savepointedBy: "me", savepointedAt: 1_735_689_600,
            comments: "c \"q\"",
            files: [
                "a-0_0-0-0_20250101000000000.parquet",
                "p=1/q=2/b-0_0-0-0_20250101000000000.parquet",
            ])
        #expect(SavepointMetadata(instant: sp.instant, json: sp.jsonData(), source: "x") == sp)
        let text = String(decoding: sp.jsonData(), as: UTF8.self)
        #expect(text.contains("\"savepointDataFile\" : [ \"b-0_0-0-0_20250101000000000.parquet\" ]"))
        let avro = SavepointMetadata(instant: "20250101000000000", json: [0x4F, 0x62, 0x6A, 0x01, 0x00], source: "x")
        #expect(!avro.isReadable && avro.files.isEmpty)
    }

    @Test(arguments: StorageKind.allCases)
    func aJavaSavepointIsListedAndStillPinsItsCommit(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 6, ts: 1)
        try f.upsert("a", count: 3, ts: 2)
        let t1 = f.history[0].instant
        // Java writes Avro into <T>.savepoint.
        try f.table.storage.write(".hoodie/\(t1).savepoint", [0x4F, 0x62, 0x6A, 0x01])
        try f.table.refresh()
        let listed = try f.table.savepoints()
        #expect(listed.map(\.instant) == [t1] && !listed[0].isReadable)
        #expect(f.table.savepointedCommits == [t1])
        // Restoring needs only the savepoint instant, not its content.
        let r = try f.table.restore(toSavepoint: t1)
        #expect(r.rolledBack.map(\.rolledBack) == [f.history[1].instant])
        try f.check(f.history[0].model)
    }
}
