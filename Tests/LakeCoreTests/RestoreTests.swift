import Foundation
import Testing
@testable import LakeCore

@Suite struct RestoreTests {
    /// Five commits (updates, deletes, a partition move, an insert overwrite) with a savepoint at
    /// the second and another at the fourth.
    func fiveCommits(_ storage: StorageKind) throws -> (FailureFixture, saved: [String: [String: ModelValue]]) {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 30, ts: 1)
        try f.upsert([
            (FailureFixture.row("a1", 2, "x"), false), (FailureFixture.row("a2", 2), true),
            (FailureFixture.row("b1", 2), false),
        ])
        try f.table.createSavepoint()
        let saved = try f.rows()
        try f.upsert([
            (FailureFixture.row("a4", 3, region: "ap"), false), (FailureFixture.row("c1", 3), false),
            (FailureFixture.row("a5", 3), true),
        ])
        try f.upsert("d", count: 6, ts: 4)
        try f.table.createSavepoint()
        try f.upsert([(FailureFixture.row("a1", 5, "late"), false), (FailureFixture.row("d2", 5), true)])
        return (f, saved)
    }

    @Test(arguments: StorageKind.allCases)
    func restoreReturnsTheTableToTheSavepoint(_ storage: StorageKind) throws {
        let (f, saved) = try fiveCommits(storage)
        let t2 = f.history[1].instant
        #expect(try f.rows(asOf: t2) == saved)
        let later = f.history[2...].map(\.instant)

        let r = try f.table.restore(toSavepoint: t2)
        #expect(r.savepoint == t2 && !r.instant.isEmpty)
        #expect(r.rolledBack.map(\.rolledBack) == later.reversed())
        #expect(r.rolledBack.allSatisfy { $0.wasCompleted && $0.instant == r.instant })
        #expect(r.savepointsDeleted == [f.history[3].instant])
        #expect(try f.rows() == saved)
        for t in later { #expect(try f.filesOf(t).isEmpty, "files of \(t) remain") }

        let t = try f.timeline()
        #expect(t.completedCommits.map(\.timestamp) == [f.history[0].instant, t2])
        #expect(t.completedSavepoints.map(\.timestamp) == [t2])
        #expect(t.pendingInstants.isEmpty)
        let path = ".hoodie/\(r.instant).restore"
        #expect(try RestoreMetadata(json: f.table.storage.read(path), source: path) == r)
        #expect(try f.files().contains(".hoodie/\(r.instant).restore.requested"))

        // Writing on goes on from the savepoint's state (the record index is back there too).
        f.model = f.history[1].model
        let w = try f.upsert([(FailureFixture.row("c1", 6), false), (FailureFixture.row("a5", 6, "kept"), false)])
        #expect(w.inserted == 1 && w.updated == 1)
        try f.check()
    }

    @Test(arguments: StorageKind.allCases)
    func restoreWithNothingAfterTheSavepointIsANoOp(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 3, ts: 1)
        try f.table.createSavepoint()
        let before = try f.files()
        let r = try f.table.restore(toSavepoint: f.history[0].instant)
        #expect(r.instant.isEmpty && r.rolledBack.isEmpty)
        #expect(try f.files() == before)
    }

    @Test(arguments: StorageKind.allCases)
    func restoreNeedsASavepoint(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 3, ts: 1)
        try f.upsert("a", count: 3, ts: 2)
        let e = #expect(throws: LakeError.self) { try f.table.restore(toSavepoint: f.history[0].instant) }
        #expect(e?.code == .notFound && e?.message.contains("no savepoint") == true)
    }

    static let restorePoints = [
        "restore-requested", "restore-inflight", "rollback-unpublished", "rollback-data", "restore-undone",
        "restore-savepoints", "restore-completed",
    ]

    @Test(arguments: StorageKind.allCases, restorePoints)
    func aRestoreThatDiedIsFinishedByTheNextWriter(_ storage: StorageKind, point: String) throws {
        let (f, saved) = try fiveCommits(storage)
        let t2 = f.history[1].instant
        let pasts = try f.history.map { h in try f.rows(asOf: h.instant) }
        #expect(pasts[1] == saved)
        f.crash(at: point)
        #expect(throws: LakeError.self) { try f.table.restore(toSavepoint: t2) }
        f.crash(at: nil)
        // Whatever got done, a reader sees one of the table's past snapshots, never a mix.
        #expect(pasts.contains(try f.rows()))

        let next = FailureFixture.row("z", 9)
        let writer = try Table.open(storage: f.table.storage)
        let w = try writer.write(
            RecordBatch.from([next], fields: FailureFixture.fields, deletes: [false]), operation: .upsert)
        var model = f.history[1].model
        model.apply([(next, false)], instant: w.instant)
        try f.check(model)
        let t = try f.timeline()
        #expect(t.pendingInstants.isEmpty, "pending: \(t.pendingInstants)")
        #expect(t.completedCommits.map(\.timestamp) == [f.history[0].instant, t2, w.instant])
        #expect(t.completedSavepoints.map(\.timestamp) == [t2])
        let restores = t.instants.filter { $0.action == .restore && $0.isCompleted }
        #expect(restores.count == 1)
        let path = Timeline.path(of: restores[0])
        let meta = try RestoreMetadata(json: f.table.storage.read(path), source: path)
        #expect(meta.rolledBack.map(\.rolledBack) == f.history[2...].map(\.instant).reversed())
        for h in f.history[2...] { #expect(try f.filesOf(h.instant).isEmpty) }
    }

    @Test func metadataRoundTrips() throws {
        let rb = RollbackMetadata(
            instant: "20250105000000000", rolledBack: "20250104000000000", rolledBackAction: .commit,
            wasCompleted: true, deletedDataFiles: ["p/f-0_0-0-0_20250104000000000.parquet"])
        let m = RestoreMetadata(
            instant: "20250105000000000", savepoint: "20250101000000000", rolledBack: [rb],
            savepointsDeleted: ["20250104000000000"], timeTakenMillis: 3)
        #expect(try RestoreMetadata(json: m.jsonData(), source: "x") == m)
        let plan = RestoreMetadata.Plan(
            savepoint: "20250101000000000",
            rollbacks: [
                .init(
                    target: "20250104000000000", action: .commit, wasCompleted: true,
                    dataFiles: ["p/f-0_0-0-0_20250104000000000.parquet"], indexFiles: [])
            ],
            savepointsToDelete: [])
        #expect(try RestoreMetadata.Plan(json: plan.jsonData(), source: "x") == plan)
        #expect(
            String(decoding: plan.jsonData(), as: UTF8.self).contains(
                "\"savepointToRestoreTimestamp\" : \"20250101000000000\""))
    }
}
