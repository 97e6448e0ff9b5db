import Foundation
import PropertyBased
import Testing
@testable import LakeCore
import LakeTestSupport

/// A small partitioned table driven together with the plain model, for the failure tests
/// (rollback, savepoint, restore, crash points).
final class FailureFixture {
    static let fields: [ParquetField] = [
        .string("id", nullable: false), .int64("ts"), .string("name"), .string("region"),
    ]
    let dir = TemporaryDirectory()
    let table: Table
    var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
    /// The model after each completed commit, by instant.
    var history: [(instant: String, model: UpsertModel)] = []

    /// A table with `lake.*` settings (keys without the prefix), on `storage`.
    init(_ storage: StorageKind = .local, settings: [String: String] = [:]) throws {
        var config = TableConfig(
            name: "failures", recordKeyFields: ["id"], partitionFields: ["region"], precombineField: "ts")
        config.lake = settings
        table = try Table.create(in: storage.make(dir), config: config, schema: TableSchema(Self.fields))
    }

    var root: String { table.storage.root }

    static func row(_ id: String, _ ts: Int64, _ name: String = "n", region: String = "eu") -> [String: ModelValue] {
        ["id": .string(id), "ts": .int(ts), "name": .string(name), "region": .string(region)]
    }

    /// Upserts rows (`isDelete` marks deletes) and, if the write completes, applies them to the model.
    @discardableResult
    func upsert(_ rows: [(row: [String: ModelValue], isDelete: Bool)]) throws -> CommitResult {
        let batch = RecordBatch.from(rows.map(\.row), fields: Self.fields, deletes: rows.map(\.isDelete))
        let result = try table.write(batch, operation: .upsert)
        model.apply(rows, instant: result.instant)
        history.append((result.instant, model))
        return result
    }

    /// Upserts `n` rows with ids `prefix0…` across three regions.
    @discardableResult
    func upsert(_ prefix: String, count n: Int, ts: Int64) throws -> CommitResult {
        try upsert(
            (0..<n).map { (Self.row("\(prefix)\($0)", ts, "v\(ts)", region: ["eu", "us", "ap"][$0 % 3]), false) })
    }

    /// The batch of an upsert that is expected to fail (the model is not touched).
    func failingUpsert(_ prefix: String, count n: Int, ts: Int64) -> LakeError? {
        let rows = (0..<n).map { Self.row("\(prefix)\($0)", ts, "v\(ts)", region: ["eu", "us", "ap"][$0 % 3]) }
        do throws(LakeError) {
            try table.write(
                RecordBatch.from(rows, fields: Self.fields, deletes: rows.map { _ in false }), operation: .upsert)
            return nil
        } catch {
            return error
        }
    }

    /// A fresh reader's rows by key (with meta columns), optionally as of an instant.
    func rows(asOf: String? = nil) throws -> [String: [String: ModelValue]] {
        let reader = try Table.open(storage: table.storage)
        var out: [String: [String: ModelValue]] = [:]
        for b in try reader.read(ReadOptions(asOf: asOf, includeMetaColumns: true)) {
            for r in b.modelRows() {
                guard case .string(let k)? = r["_hoodie_record_key"] else { continue }
                #expect(out[k] == nil, "duplicate key \(k)")
                out[k] = r
            }
        }
        return out
    }

    /// A fresh reader sees exactly `model` (values and commit times).
    func check(_ model: UpsertModel? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let m = model ?? self.model
        let got = try rows()
        #expect(
            Set(got.keys) == Set(m.rows.keys),
            "keys differ: missing \(Set(m.rows.keys).subtracting(got.keys).sorted().prefix(5)), extra \(Set(got.keys).subtracting(m.rows.keys).sorted().prefix(5))",
            sourceLocation: sourceLocation)
        for (k, want) in m.rows {
            guard let row = got[k] else { continue }
            for f in Self.fields.map(\.name) {
                #expect(
                    row[f] ?? .null == want.values[f] ?? .null, "key \(k) column \(f)", sourceLocation: sourceLocation)
            }
            #expect(
                row["_hoodie_commit_time"] == .string(want.commitTime), "key \(k) commit time",
                sourceLocation: sourceLocation)
        }
    }

    /// Table-relative paths of every file under the table, `.hoodie` included.
    func files() throws -> [String] {
        try table.storage.walkFiles(under: "").map(\.path).sorted()
    }

    /// Data and index files written by `instant` (not its instant files or write markers).
    func filesOf(_ instant: String) throws -> [String] {
        try files().filter {
            $0.contains(instant) && !$0.hasPrefix(".hoodie/\(instant)") && !$0.hasPrefix(WriteMarkers.folder + "/")
        }
    }

    func timeline() throws -> Timeline { try Timeline.load(from: table.storage) }

    /// Arms an in-process crash at `point` for this table (nil: "restart").
    func crash(at point: String?) { CrashPoint.simulate(point, at: root) }

    /// Reads the completed `.rollback` instants' metadata, oldest first.
    func rollbacks() throws -> [RollbackMetadata] {
        try timeline().instants.filter { $0.action == .rollback && $0.isCompleted }.map { i in
            let path = Timeline.path(of: i)
            return try RollbackMetadata(json: try table.storage.read(path), source: path)
        }
    }
}

@Suite struct RollbackTests {
    static let commitPoints = ["commit-requested", "commit-inflight", "commit-file", "commit-data", "commit-index"]

    @Test(arguments: StorageKind.allCases, commitPoints)
    func aWriteThatDiedIsRolledBackByTheNextWriter(_ storage: StorageKind, point: String) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 30, ts: 1)
        // The writer "dies" at `point`: nothing after it runs, not even its own cleanup.
        f.crash(at: point)
        let error = f.failingUpsert("a", count: 40, ts: 2)
        #expect(error?.message == "simulated crash at \(point)")
        f.crash(at: nil)
        let pending = try #require(try f.timeline().pendingCommits.first)
        // Readers see the last completed commit, not the partial write.
        try f.check()
        if point == "commit-data" || point == "commit-index" { #expect(try !f.filesOf(pending.timestamp).isEmpty) }

        let next = try f.upsert("a", count: 35, ts: 3)
        try f.check()
        #expect(try f.filesOf(pending.timestamp).isEmpty, "files of the failed write remain")
        let t = try f.timeline()
        #expect(t.pendingInstants.isEmpty)
        #expect(t.completedCommits.map(\.timestamp) == [f.history[0].instant, next.instant])
        let rb = try #require(try f.rollbacks().first)
        #expect(rb.rolledBack == pending.timestamp && rb.rolledBackAction == .commit && !rb.wasCompleted)
        if point == "commit-data" || point == "commit-index" { #expect(rb.deletedDataFiles.count == 3) }
        if point == "commit-index" { #expect(rb.deletedIndexFiles.count == 1) }
        #expect(rb.deletedInstantFiles.contains(".hoodie/\(pending.timestamp).commit.requested"))
        #expect(rb.instant < next.instant)
    }

    @Test(arguments: StorageKind.allCases)
    func theCommitItselfCompletedBeforeTheCrash(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 10, ts: 1)
        f.crash(at: "commit-completed")
        _ = f.failingUpsert("a", count: 12, ts: 2)
        f.crash(at: nil)
        // The commit is complete: it counts.
        let t = try f.timeline()
        #expect(t.completedCommits.count == 2 && t.pendingInstants.isEmpty)
        let rows = try f.rows()
        #expect(rows.count == 12)
        #expect(rows.values.allSatisfy { $0["ts"] == .int(2) })
        #expect(try f.table.rollback().isEmpty)
    }

    static let rollbackPoints = [
        "recovery-start", "rollback-requested", "rollback-inflight", "rollback-data", "rollback-index",
        "rollback-instants", "rollback-completed",
    ]

    @Test(arguments: StorageKind.allCases, rollbackPoints)
    func aRollbackThatDiedIsFinishedByTheNextWriter(_ storage: StorageKind, point: String) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 30, ts: 1)
        f.crash(at: "commit-index")
        _ = f.failingUpsert("a", count: 30, ts: 2)
        f.crash(at: nil)
        let failed = try #require(try f.timeline().pendingCommits.first)
        let failedFiles = try f.filesOf(failed.timestamp)
        #expect(failedFiles.count == 4)

        f.crash(at: point)
        #expect(throws: LakeError.self) { try f.table.rollback() }
        f.crash(at: nil)
        try f.check()  // still the first commit, whatever the rollback got to

        try f.upsert("b", count: 5, ts: 3)
        try f.check()
        let t = try f.timeline()
        #expect(t.pendingInstants.isEmpty, "pending: \(t.pendingInstants)")
        #expect(try f.filesOf(failed.timestamp).isEmpty)
        let rbs = try f.rollbacks()
        #expect(rbs.count == 1 && rbs[0].rolledBack == failed.timestamp)
        // The metadata names every file the failed write left, even those deleted before the crash.
        #expect(Set(rbs[0].deletedDataFiles + rbs[0].deletedIndexFiles) == Set(failedFiles))
    }

    @Test(arguments: StorageKind.allCases)
    func undoingTheLatestCommitReturnsToThePreviousSnapshot(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 30, ts: 1)
        try f.upsert([
            (FailureFixture.row("a1", 2, "moved", region: "us"), false), (FailureFixture.row("a2", 2), true),
            (FailureFixture.row("b1", 2), false),
        ])
        let before = try f.rows()
        let t2 = f.history[1].instant
        let model2 = f.model
        // Commit 3: updates, a delete, a partition move and a new key.
        let r3 = try f.upsert([
            (FailureFixture.row("a3", 3, "x"), false), (FailureFixture.row("a4", 3), true),
            (FailureFixture.row("a5", 3, region: "ap"), false), (FailureFixture.row("c1", 3), false),
        ])
        #expect(try f.rows()["c1"] != nil)

        let done = try f.table.rollback(instant: r3.instant)
        #expect(done.count == 1 && done[0].rolledBack == r3.instant && done[0].wasCompleted)
        #expect(done[0].deletedIndexFiles.count == 1)
        #expect(try f.rows() == before)
        try f.check(model2)
        #expect(try f.filesOf(r3.instant).isEmpty)
        #expect(try f.timeline().latestCompleted?.timestamp == t2)

        // The record index is back at commit 2: c1 is new again, a4 is live again.
        f.model = model2
        let r4 = try f.upsert([(FailureFixture.row("c1", 4), false), (FailureFixture.row("a4", 4, "again"), false)])
        #expect(r4.inserted == 1 && r4.updated == 1)
        try f.check()
    }

    @Test(arguments: StorageKind.allCases)
    func undoRebuildsTheIndexWhenOlderIndexFilesAreGone(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 12, ts: 1)
        try f.upsert("b", count: 6, ts: 2)
        let model2 = f.model
        let r3 = try f.upsert([(FailureFixture.row("c1", 3), false), (FailureFixture.row("b1", 3), true)])
        // The cleaner removes superseded index files; here: all but commit 3's.
        for p in try f.files() where p.hasPrefix(RecordIndexStore.folder + "/") && !p.contains(r3.instant) {
            try f.table.storage.delete(p)
        }
        try f.table.rollback(instant: r3.instant)
        try f.check(model2)
        f.model = model2
        let r4 = try f.upsert([
            (FailureFixture.row("c1", 4), false), (FailureFixture.row("b1", 4, "back"), false),
            (FailureFixture.row("a3", 4, "moved", region: "ap"), false),
        ])
        #expect(r4.inserted == 1 && r4.updated == 2)
        try f.check()
    }

    @Test(arguments: StorageKind.allCases)
    func onlyTheLatestCommitCanBeUndone(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 5, ts: 1)
        try f.upsert("a", count: 5, ts: 2)
        let e1 = #expect(throws: LakeError.self) { try f.table.rollback(instant: f.history[0].instant) }
        #expect(e1?.code == .invalidArgument)
        let e2 = #expect(throws: LakeError.self) { try f.table.rollback(instant: "20200101000000000") }
        #expect(e2?.code == .notFound)
        try f.table.createSavepoint()
        let e3 = #expect(throws: LakeError.self) { try f.table.rollback(instant: f.history[1].instant) }
        #expect(e3?.code == .invalidArgument && e3?.message.contains("savepoint") == true)
        try f.check()
    }

    @Test(arguments: StorageKind.allCases)
    func undoRefusesWhenTheCleanerRemovedThePreviousSlice(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 3, ts: 1)
        try f.upsert("a", count: 3, ts: 2)
        // What KEEP_LATEST_COMMITS with 1 retained would do: drop the slices commit 2 superseded.
        for p in try f.filesOf(f.history[0].instant) where p.hasSuffix(".parquet") { try f.table.storage.delete(p) }
        let before = try f.files()
        let e = #expect(throws: LakeError.self) { try f.table.rollback(instant: f.history[1].instant) }
        #expect(e?.code == .outsideRetention)
        #expect(try f.files() == before)
    }

    @Test(arguments: StorageKind.allCases)
    func anUndoThatDiedAfterUnpublishingIsFinished(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 20, ts: 1)
        let model1 = f.model
        let r2 = try f.upsert("a", count: 25, ts: 2)
        f.crash(at: "rollback-unpublished")
        #expect(throws: LakeError.self) { try f.table.rollback(instant: r2.instant) }
        f.crash(at: nil)
        // Unpublished: readers are back at commit 1 already.
        try f.check(model1)
        f.model = model1
        try f.upsert("z", count: 2, ts: 3)
        try f.check()
        #expect(try f.filesOf(r2.instant).isEmpty)
        #expect(try f.rollbacks().map(\.rolledBack) == [r2.instant])
        #expect(try f.rollbacks()[0].wasCompleted)
    }

    @Test(arguments: StorageKind.allCases)
    func rollbackWithNothingToDoChangesNothing(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 3, ts: 1)
        let before = try f.files()
        #expect(try f.table.rollback().isEmpty)
        #expect(try f.files() == before)
    }

    @Test(arguments: StorageKind.allCases)
    func strayTemporaryFilesOfACrashedWriterAreRemoved(_ storage: StorageKind) throws {
        let f = try FailureFixture(storage)
        try f.upsert("a", count: 3, ts: 1)
        f.crash(at: "commit-data")
        _ = f.failingUpsert("a", count: 3, ts: 2)
        f.crash(at: nil)
        // What a writer killed mid-file leaves: a local temporary file, an unfinished upload.
        var unfinished: (any StorageWriter)?
        switch storage {
        case .local:
            try f.table.storage.write("region=eu/.x_0-0-0_1.parquet.lake-tmp-99999-abc", [1, 2, 3])
        case .memory:
            unfinished = try f.table.storage.makeWriter("region=eu/x_0-0-0_1.parquet")
            try unfinished?.write([1, 2, 3])
            #expect((f.table.storage as? MemoryStorage)?.incompleteUploads == ["region=eu/x_0-0-0_1.parquet"])
        case .s3:
            // Past one part (8 MiB): the object store holds an open multipart upload.
            unfinished = try f.table.storage.makeWriter("region=eu/x_0-0-0_1.parquet")
            try unfinished?.write([UInt8](repeating: 1, count: 9 << 20))
            #expect(try s3Uploads(f.table.storage) == ["region=eu/x_0-0-0_1.parquet"])
        }
        try f.table.rollback()
        #expect(try !f.files().contains { $0.contains(".lake-tmp-") })
        if let unfinished {
            if storage == .s3 {
                #expect(try s3Uploads(f.table.storage) == [])
            } else {
                #expect((f.table.storage as? MemoryStorage)?.incompleteUploads == [])
            }
            #expect(throws: LakeError.self) { try unfinished.finish() }
            #expect(try !f.table.storage.exists("region=eu/x_0-0-0_1.parquet"))
        }
    }

    @Test func metadataRoundTrips() throws {
        let m = RollbackMetadata(
            instant: "20250102000000000", rolledBack: "20250101000000000", rolledBackAction: .replacecommit,
            wasCompleted: true,
            deletedDataFiles: ["p=1/f-0_0-0-0_20250101000000000.parquet", "x-0_1-0-0_20250101000000000.parquet"],
            deletedIndexFiles: [".hoodie/lake/index/delta_20250101000000000.idx"],
            deletedInstantFiles: [".hoodie/20250101000000000.replacecommit"], timeTakenMillis: 7)
        #expect(try RollbackMetadata(json: m.jsonData(), source: "x") == m)
        let text = String(decoding: m.jsonData(), as: UTF8.self)
        #expect(text.contains("\"commitsRollback\" : [ \"20250101000000000\" ]"))
        #expect(text.contains("\"totalFilesDeleted\" : 2"))
        let plan = RollbackMetadata.Plan(
            target: "20250101000000000", action: .commit, wasCompleted: false,
            dataFiles: ["p=1/f-0_0-0-0_20250101000000000.parquet", "p=1/g-0_1-0-0_20250101000000000.parquet"],
            indexFiles: [".hoodie/lake/index/base_20250101000000000.idx"])
        #expect(try RollbackMetadata.Plan(json: plan.jsonData(), source: "x") == plan)
        #expect(String(decoding: plan.jsonData(), as: UTF8.self).contains("\"fileId\" : \"g-0\""))
        let e = #expect(throws: LakeError.self) {
            try RollbackMetadata(json: Array("Obj\u{1}avro".utf8), source: ".hoodie/x.rollback")
        }
        #expect(e?.code == .corruptTable && e?.message.contains(".hoodie/x.rollback") == true)
    }

    /// Undoing the latest commit k times gives the table the model had k commits ago.
    @Test(arguments: StorageKind.allCases)
    func undoingCommitsWalksBackThroughHistory(_ storage: StorageKind) async throws {
        await propertyCheck(count: 6, input: zip(Gen.int(in: 2...5), Gen.int(in: 1...3))) { commits, undo in
            let f = try! FailureFixture(storage)
            for c in 0..<commits {
                try! f.upsert(
                    (0..<8).map { i in
                        (
                            FailureFixture.row(
                                "k\((i * 7 + c * 3) % 12)", Int64(c + 1), "c\(c)", region: ["eu", "us"][(i + c) % 2]),
                            i % 5 == 4
                        )
                    })
            }
            let k = min(undo, commits - 1)
            for _ in 0..<k {
                let latest = f.table.timeline.latestCompleted!.timestamp
                _ = try! f.table.rollback(instant: latest)
            }
            try! f.check(f.history[commits - 1 - k].model)
        }
    }
}
