import Foundation
import Testing
import LakeTestSupport
@testable import LakeCore

/// The in-process half of the restore/rollback crash hunt (the process-killing half is
/// Tests/interop/test_restore_crash_hunt.py): rounds of writes with partition moves, deletes and
/// late events on a table cleaned down to two commits, savepoints, then a restore to a savepoint
/// or an undo of the latest commit that "dies" at a random crash point. After each round a fresh
/// reader reads exactly the model as of the latest completed commit — or refuses, naming a missing
/// base file, when a killed restore left a snapshot the cleaner had thinned — never a duplicated
/// key; after the next writer finishes the interrupted work, the table equals the model.
@Suite struct RestoreCrashLoopTests {
    static let restorePoints = [
        "restore-requested", "restore-inflight", "rollback-unpublished", "rollback-data",
        "rollback-index", "rollback-instants", "restore-undone", "restore-savepoints",
        "restore-completed",
    ]
    static let rollbackPoints = [
        "rollback-requested", "rollback-inflight", "rollback-unpublished", "rollback-data",
        "rollback-index", "rollback-instants", "rollback-completed",
    ]
    static let regions = ["eu", "us", "ap", "sa"]

    @Test(arguments: [UInt64(1), 2, 3])
    func crashedRestoresAndRollbacksNeverServeDuplicates(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let f = try FailureFixture(settings: ["cleaner.commits.retained": "2"])
        var models: [String: UpsertModel] = [:]
        var ts: Int64 = 1, fresh = 0
        func write() throws {
            ts += 1
            var rows: [(row: [String: ModelValue], isDelete: Bool)] = []
            let live = f.model.rows.keys.sorted()
            for k in live.shuffled(using: &rng).prefix(Int.random(in: 2...6, using: &rng)) {
                let delete = Int.random(in: 0..<4, using: &rng) == 0
                rows.append(
                    (FailureFixture.row(k, ts, "v\(ts)", region: Self.regions.randomElement(using: &rng)!), delete))
            }
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                fresh += 1
                rows.append(
                    (
                        FailureFixture.row("n\(fresh)", ts, "new", region: Self.regions.randomElement(using: &rng)!),
                        false
                    ))
            }
            // A late event of a deleted key: loses to the delete (its tombstone).
            if let gone = f.model.tombstones.keys.sorted().randomElement(using: &rng) {
                rows.append((FailureFixture.row(gone, 0, "late"), false))
            }
            let r = try f.upsert(rows)
            models[r.instant] = f.model
        }
        try f.upsert((0..<20).map { (FailureFixture.row("k\($0)", 1, "first", region: Self.regions[$0 % 4]), false) })
        models[f.history[0].instant] = f.model
        var refused = 0
        for round in 0..<12 {
            for _ in 0..<Int.random(in: 1...3, using: &rng) { try write() }
            let completed = try f.timeline().completedCommits.map(\.timestamp)
            if try f.timeline().completedSavepoints.isEmpty || Int.random(in: 0..<3, using: &rng) == 0 {
                _ = try f.table.createSavepoint(instant: completed.last)
            }
            for _ in 0..<Int.random(in: 1...3, using: &rng) { try write() }
            let savepoints = try f.timeline().completedSavepoints.map(\.timestamp)
            let latestCommit = try #require(try f.timeline().latestCompleted?.timestamp)
            let restore = Bool.random(using: &rng) || savepoints.contains(latestCommit)
            let point = (restore ? Self.restorePoints : Self.rollbackPoints).randomElement(using: &rng)!
            f.crash(at: point)
            do throws(LakeError) {
                if restore {
                    try f.table.restore(toSavepoint: savepoints.randomElement(using: &rng)!)
                } else {
                    try f.table.rollback(instant: latestCommit)
                }
            } catch {
                #expect(error.message == "simulated crash at \(point)", "round \(round)")
            }
            f.crash(at: nil)
            // What a reader sees now: the model as of the latest completed commit, or a refusal.
            let latest = try #require(try f.timeline().latestCompleted?.timestamp)
            do {
                try f.check(models[latest])
            } catch let e as LakeError {
                #expect(
                    e.code == .corruptTable && e.message.contains("is missing"),
                    "round \(round) at \(point): \(e.message)")
                #expect(!(try f.timeline().pendingInstants.isEmpty), "refused with nothing pending")
                refused += 1
            }
            // The next writer finishes the interrupted work.
            try f.table.rollback()
            let now = try #require(try f.timeline().latestCompleted?.timestamp)
            f.model = try #require(models[now])
            try f.check()
            #expect(try f.timeline().pendingInstants.isEmpty)
        }
        _ = refused
    }
}
