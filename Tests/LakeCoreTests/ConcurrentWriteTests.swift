import Foundation
import Synchronization
import Testing
@testable import LakeCore
import LakeTestSupport

/// Several writers at once under optimistic concurrency (`write.concurrency.mode`): writers on
/// different file groups both land; a writer that overlaps a commit completed since it started
/// — same file group, a partition the other replaced, the same new key — is rolled back with a
/// typed ``WriteConflict`` naming that commit, or re-plans with ``WriteOptions/retries``; failed
/// writes are rolled back only once their heartbeat expired; one `Table` serves a writer and
/// readers on other threads.
///
/// The overlaps are made deterministic by running the rival's whole write from inside the first
/// writer's progress callback (after its data files are written, before it completes).
@Suite struct ConcurrentWriteTests {
    static let fields = CommitProtocolTests.fields

    static func occTable(
        _ storage: any TableStorage, partitions: Int = 3,
        settings: [String: String] = [:]
    ) throws -> Table {
        var s = settings
        s["write.concurrency.mode"] = "OPTIMISTIC_CONCURRENCY_CONTROL"
        return try CommitProtocolTests.table(storage, partitions: partitions, settings: s)
    }

    static func row(_ id: String, _ ts: Int64, _ region: String) -> [String: ModelValue] {
        CommitProtocolTests.row(id, ts, region: region)
    }

    static func batch(_ rows: [[String: ModelValue]]) -> RecordBatch { RecordBatch.from(rows, fields: fields) }

    /// Options whose progress callback runs `rival` once, when this write's files are written.
    static func options(retries: Int = 0, rival: @escaping @Sendable () throws -> Void) -> WriteOptions {
        let ran = Mutex(false)
        var o = WriteOptions()
        o.retries = retries
        o.progress = { phase in
            guard phase.name == "write groups",
                ran.withLock({ r in
                    defer { r = true }; return !r
                })
            else { return }
            try! rival()
        }
        return o
    }

    /// Rows by key, failing on a key that appears twice.
    static func rowsByKey(_ table: Table) throws -> [String: [String: ModelValue]] {
        try table.refresh()
        return try table.snapshotByKey()
    }

    @Test(arguments: StorageKind.allCases)
    func writersOnDifferentFileGroupsBothLand(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(storage)
        let rival = try Table.open(storage: storage)
        let rivalInstant = Mutex<String?>(nil)
        let result = try table.write(
            Self.batch([Self.row("k0", 2, "r0")]), operation: .upsert,
            options: Self.options {
                let r = try rival.write(
                    Self.batch([Self.row("k1", 2, "r1"), Self.row("n1", 2, "r1")]), operation: .upsert)
                rivalInstant.withLock { $0 = r.instant }
            })
        let other = try #require(rivalInstant.withLock { $0 })
        #expect(other > result.instant, "the rival completed first with a later instant")
        let rows = try Self.rowsByKey(table)
        #expect(rows["k0"]?["ts"] == .int(2) && rows["k1"]?["ts"] == .int(2) && rows["n1"] != nil)
        #expect(table.timeline.pendingInstants.isEmpty)
        // The record index holds both commits' changes, whichever order they completed in.
        var index = try #require(try RecordIndexStore.loadIfCurrent(table: table))
        #expect(index.lookup("n1") != nil)
    }

    @Test(arguments: StorageKind.allCases)
    func aWriterOverlappingANewerCommitIsRolledBackNamingIt(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(storage)
        let rival = try Table.open(storage: storage)
        let rivalInstant = Mutex<String?>(nil)
        let e = #expect(throws: LakeError.self) {
            try table.write(
                Self.batch([Self.row("k0", 2, "r0")]), operation: .upsert,
                options: Self.options {
                    let r = try rival.write(Self.batch([Self.row("k0", 3, "r0")]), operation: .upsert)
                    rivalInstant.withLock { $0 = r.instant }
                })
        }
        let other = try #require(rivalInstant.withLock { $0 })
        let conflict = try #require(e?.writeConflict)
        #expect(e?.code == .conflict)
        #expect(conflict.conflictingInstant == other)
        guard case .fileGroup(let g) = conflict.overlap else { Issue.record("\(conflict)"); return }
        #expect(g.partitionPath == "region=r0")
        #expect(e?.message.contains(other) == true && e?.message.contains(g.fileId) == true, "\(e?.message ?? "")")
        // The loser is gone: no pending instant, no files of its instant, its heartbeat deleted.
        try table.refresh()
        #expect(table.timeline.pendingInstants.isEmpty)
        let files = try storage.walkFiles(under: "").map(\.path)
        #expect(!files.contains { $0.contains(conflict.instant) && !$0.hasSuffix(".rollback") }, "\(files)")
        #expect(try Self.rowsByKey(table)["k0"]?["ts"] == .int(3))
    }

    @Test(arguments: StorageKind.allCases)
    func withRetriesTheLoserReplansOnTheNewSnapshot(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(storage)
        let rival = try Table.open(storage: storage)
        let result = try table.write(
            Self.batch([Self.row("k0", 5, "r0")]), operation: .upsert,
            options: Self.options(retries: 2) {
                try rival.write(Self.batch([Self.row("k0", 3, "r0"), Self.row("k3", 3, "r0")]), operation: .upsert)
            })
        #expect(result.attempts == 2)
        let rows = try Self.rowsByKey(table)
        #expect(rows["k0"]?["ts"] == .int(5) && rows["k3"]?["ts"] == .int(3))
        #expect(rows["k0"]?["_hoodie_commit_time"] == .string(result.instant))
    }

    @Test(arguments: StorageKind.allCases)
    func twoWritersInsertingTheSameNewKeyNeverBothLand(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(storage)
        let rival = try Table.open(storage: storage)
        // Different partitions, so different (new) file groups: only the record index sees it.
        let mine = (0..<5).map { Self.row("new\($0)", 2, "r0") }
        let theirs = (0..<5).map { Self.row("new\($0)", 2, "r2") }
        let e = #expect(throws: LakeError.self) {
            try table.write(
                Self.batch(mine), operation: .insert,
                options: Self.options {
                    try rival.write(Self.batch(theirs), operation: .insert)
                })
        }
        guard case .key(let k)? = e?.writeConflict?.overlap else { Issue.record("\(String(describing: e))"); return }
        #expect(k.hasPrefix("new"))
        var rows = try Self.rowsByKey(table)
        #expect((0..<5).allSatisfy { rows["new\($0)"]?["region"] == .string("r2") })
        // With a retry the keys exist, so the loser's rows update them (moving partitions): still
        // one row per key.
        _ = try table.write(
            Self.batch(mine), operation: .insert,
            options: Self.options(retries: 1) {
                try rival.write(
                    Self.batch(
                        theirs.map {
                            var r = $0; r["ts"] = .int(1); return r
                        }), operation: .insert)
            })
        rows = try Self.rowsByKey(table)
        #expect((0..<5).allSatisfy { rows["new\($0)"]?["region"] == .string("r0") })
    }

    @Test(arguments: StorageKind.allCases)
    func aWriteIntoAPartitionAnotherReplacedConflicts(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(storage)
        let rival = try Table.open(storage: storage)
        let e = #expect(throws: LakeError.self) {
            // bulk_insert: a new file group, in the partition the rival replaces.
            try table.write(
                Self.batch([Self.row("fresh", 2, "r1")]), operation: .bulkInsert,
                options: Self.options {
                    try rival.write(Self.batch([Self.row("only", 2, "r1")]), operation: .insertOverwrite)
                })
        }
        #expect(e?.writeConflict?.overlap == .partition("region=r1"), "\(String(describing: e))")
        let rows = try Self.rowsByKey(table)
        #expect(rows["only"] != nil && rows["fresh"] == nil && rows["k1"] == nil)
    }

    @Test func aRecordIndexBaseWrittenConcurrentlyStaysConsistent() throws {
        // The rival's write rebuilds the index (a base, after a commit without index files), the
        // first writer's delta would be hidden behind it: it conflicts and, retried, lands.
        let dir = TemporaryDirectory()
        let storage = LocalStorage(root: dir.sub("t"))
        let table = try Self.occTable(storage)
        let rival = try Table.open(storage: storage)
        let result = try table.write(
            Self.batch([Self.row("a", 2, "r0")]), operation: .insert,
            options: Self.options(retries: 1) {
                try rival.write(Self.batch([Self.row("b", 2, "r1")]), operation: .insertOverwrite)
            })
        #expect(result.attempts == 2)
        var index = try #require(try RecordIndexStore.loadIfCurrent(table: table))
        #expect(index.lookup("a") != nil && index.lookup("b") != nil)
        let rows = try Self.rowsByKey(table)
        #expect(rows["a"] != nil && rows["b"] != nil && rows["k1"] == nil)
    }

    @Test(arguments: StorageKind.allCases)
    func threadsOnDisjointPartitionsAllLand(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(storage, partitions: 4)
        let writers = 4, commits = 6
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            do {
                let t = try Table.open(storage: storage)
                for c in 0..<commits {
                    let rows = (0..<3).map { Self.row("w\(w)-\(c)-\($0)", Int64(c), "p\(w)") }
                    try t.write(Self.batch(rows), operation: .upsert)
                }
            } catch {
                failures.withLock { $0.append("\(w): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let rows = try Self.rowsByKey(table)
        #expect(rows.count == 8 + writers * commits * 3)
        #expect(table.timeline.completedCommits.count == 1 + writers * commits)
    }

    @Test(arguments: StorageKind.allCases)
    func threadsUpsertingOverlappingKeysGiveASerialHistory(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(storage, partitions: 2)
        let writers = 3, commits = 4
        let landed = Mutex<[(instant: String, rows: [[String: ModelValue]])]>([])
        let refused = Mutex<[LakeError]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            guard let t = try? Table.open(storage: storage) else { return }
            for c in 0..<commits {
                let rows = ["k0", "k1", "k2", "w\(w)"].map { Self.row($0, 7, $0 == "k1" ? "r1" : "r0") }
                    .map { r -> [String: ModelValue] in
                        var r = r; r["name"] = .string("w\(w)c\(c)"); return r
                    }
                var o = WriteOptions()
                o.retries = 1
                do throws(LakeError) {
                    let r = try t.write(Self.batch(rows), operation: .upsert, options: o)
                    landed.withLock { $0.append((r.instant, rows)) }
                } catch {
                    refused.withLock { $0.append(error) }
                }
            }
        }
        for e in refused.withLock({ $0 }) {
            #expect(
                e.code == .conflict && e.writeConflict != nil && e.message.contains("gave up after 1 retries"),
                "\(e)")
        }
        // The table is the serial application of the landed commits in instant order.
        var model: [String: String] = [:]
        for (_, rows) in landed.withLock({ $0 }).sorted(by: { $0.instant < $1.instant }) {
            for r in rows { if case .string(let k)? = r["id"], case .string(let n)? = r["name"] { model[k] = n } }
        }
        let rows = try Self.rowsByKey(table)
        for (k, n) in model { #expect(rows[k]?["name"] == .string(n), "\(k)") }
        #expect(landed.withLock { $0.count } + refused.withLock { $0.count } == writers * commits)
        #expect(table.timeline.pendingInstants.isEmpty)
    }

    // MARK: Heartbeats

    /// Leaves a pending write as a killed writer would: its heartbeat, requested and inflight files.
    static func abandonedWrite(_ storage: any TableStorage, _ table: Table) throws -> String {
        let instant = table.clock.next(after: table.timeline.latestTimestamp).value
        try storage.createExclusive(Heartbeat.path(instant), Array("0\n".utf8))
        let requested = Instant(timestamp: instant, action: .commit, state: .requested)
        try storage.createExclusive(Timeline.path(of: requested), [])
        try storage.write(Timeline.path(of: requested.with(state: .inflight)), HoodieCommitMetadata().jsonData())
        return instant
    }

    @Test(arguments: StorageKind.allCases)
    func aPendingWriteIsRolledBackOnlyOnceItsHeartbeatExpired(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let storage = kind.make(dir)
        let table = try Self.occTable(
            storage,
            settings: [
                "heartbeat.interval.ms": "2000",
                "heartbeat.tolerable.misses": "1",
            ])
        let dead = try Self.abandonedWrite(storage, table)
        // Live heartbeat (beaten again just before each write, as its writer would): neither an
        // optimistic nor a single writer rolls it back.
        try storage.write(Heartbeat.path(dead), Array("1\n".utf8))
        try table.write(Self.batch([Self.row("a", 2, "r0")]), operation: .upsert)
        var single = WriteOptions()
        single.concurrencyMode = .singleWriter
        try storage.write(Heartbeat.path(dead), Array("2\n".utf8))
        try table.write(Self.batch([Self.row("b", 2, "r0")]), operation: .upsert, options: single)
        try table.refresh()
        #expect(table.timeline.pendingCommits.map(\.timestamp) == [dead])
        // Once expired (no beat for interval × misses), the next writer rolls it back.
        Thread.sleep(forTimeInterval: 2.3)
        try table.write(Self.batch([Self.row("c", 2, "r0")]), operation: .upsert)
        #expect(table.timeline.pendingInstants.isEmpty)
        #expect(table.timeline.instants.contains { $0.action == .rollback && $0.isCompleted })
        #expect(try !storage.exists(Heartbeat.path(dead)))
        #expect(try Self.rowsByKey(table).count == 6 + 3)
    }

    @Test func aLiveWritersHeartbeatIsRefreshedWhileItWrites() throws {
        let dir = TemporaryDirectory()
        let storage = LocalStorage(root: dir.sub("t"))
        let table = try Self.occTable(storage, settings: ["heartbeat.interval.ms": "20"])
        let seen = Mutex<[Int64]>([])
        _ = try table.write(
            Self.batch([Self.row("a", 2, "r0")]), operation: .upsert,
            options: Self.options {
                for _ in 0..<3 {
                    Thread.sleep(forTimeInterval: 0.15)
                    let beats = try Heartbeat.lastBeats(in: storage)
                    seen.withLock { $0.append(contentsOf: beats.values) }
                }
            })
        let beats = seen.withLock { $0 }
        #expect(beats.count == 3 && Set(beats).count >= 2, "the heartbeat file was rewritten: \(beats)")
        #expect(try Heartbeat.lastBeats(in: storage).isEmpty, "deleted once the write completed")
    }

    // MARK: One Table, several threads

    @Test(arguments: [WriteConcurrencyMode.singleWriter, .optimisticConcurrencyControl])
    func oneTableServesAWriterAndReadersOnOtherThreads(_ mode: WriteConcurrencyMode) throws {
        let dir = TemporaryDirectory()
        let storage = LocalStorage(root: dir.sub("t"))
        let table = try Self.occTable(storage, partitions: 1)
        table.lockWaitMillis = 30_000
        let commits = 12
        let done = Mutex(false)
        let problems = Mutex<[String]>([])
        let reads = Mutex(0)
        // Readers on threads of their own, reading until the writer (this thread) is done.
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread {
                while !done.withLock({ $0 }) || reads.withLock({ $0 }) == 0 {
                    do throws(LakeError) {
                        // Every read sees one whole commit: 2 rows, plus the inserted ones so far.
                        let n = try table.read().reduce(0) { $0 + $1.rowCount }
                        if n < 2 || n > 2 + commits { problems.withLock { $0.append("read \(n) rows") } }
                        reads.withLock { $0 += 1 }
                    } catch { problems.withLock { $0.append("read: \(error)") } }
                }
                finished.signal()
            }.start()
        }
        var o = WriteOptions()
        o.concurrencyMode = mode
        for c in 0..<commits {
            do throws(LakeError) {
                try table.write(Self.batch([Self.row("n\(c)", 1, "r0")]), operation: .insert, options: o)
            } catch { problems.withLock { $0.append("write \(c): \(error)") } }
        }
        done.withLock { $0 = true }
        finished.wait()
        finished.wait()
        #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0 })")
        #expect(reads.withLock { $0 } > 0)
        #expect(try table.read().reduce(0) { $0 + $1.rowCount } == 2 + commits)
    }
}
