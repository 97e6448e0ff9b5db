import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// The commit protocol on storage an object store can implement: completion is put-if-absent
/// (the loser gets a typed conflict and its write is undone), write markers name every data file
/// before it exists and go when the instant completes or is rolled back, and the requests a
/// commit makes grow with the partitions its batch touches, not with the table.
@Suite struct CommitProtocolTests {
    static let fields: [ParquetField] = [
        .string("id", nullable: false), .int64("ts"), .string("name"),
        .string("region"),
    ]

    /// A table on `storage` with `partitions` regions (`r0`, `r1`, …), `perPartition` rows each.
    static func table(
        _ storage: any TableStorage, partitions: Int, perPartition: Int = 2,
        settings: [String: String] = [:]
    ) throws -> Table {
        var config = TableConfig(name: "t", recordKeyFields: ["id"], partitionFields: ["region"], precombineField: "ts")
        config.lake = settings
        let table = try Table.create(in: storage, config: config, schema: TableSchema(fields))
        let rows = (0..<partitions * perPartition).map { i in row("k\(i)", 1, region: "r\(i % partitions)") }
        try table.write(RecordBatch.from(rows, fields: fields), operation: .bulkInsert)
        return table
    }

    static func row(_ id: String, _ ts: Int64, region: String) -> [String: ModelValue] {
        ["id": .string(id), "ts": .int(ts), "name": .string("\(id)@\(ts)"), "region": .string(region)]
    }

    /// An upsert of keys `k0` and `k1` (partitions r0 and r1) and one new key in r0.
    static func smallUpsert(_ table: Table, ts: Int64) throws -> CommitResult {
        let rows = [row("k0", ts, region: "r0"), row("k1", ts, region: "r1"), row("new\(ts)", ts, region: "r0")]
        return try table.write(RecordBatch.from(rows, fields: fields), operation: .upsert)
    }

    // MARK: Put-if-absent completion

    @Test(arguments: StorageKind.allCases)
    func aWriterThatLosesTheCompletionGetsATypedConflictAndItsWriteIsUndone(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let rival = RivalCompletes(kind.make(dir))
        let table = try Self.table(rival, partitions: 3)
        let before = try table.snapshotByKey()
        rival.armed.update { $0 = true }
        let e = #expect(throws: LakeError.self) { try Self.smallUpsert(table, ts: 2) }
        let instant = try #require(rival.completed.value)
        #expect(e?.code == .conflict)
        #expect(e?.instantConflict?.instant.timestamp == instant)
        #expect(e?.instantConflict?.instant.state == .completed)
        #expect(e?.message.contains(instant) == true, "\(e?.message ?? "")")
        // The loser's data files, index file and markers are gone; the rival's (empty) commit stands.
        let files = try rival.walkFiles(under: "").map(\.path)
        #expect(!files.contains { $0.hasSuffix("\(instant).parquet") }, "\(files)")
        #expect(!files.contains { $0.hasPrefix(WriteMarkers.folder + "/") }, "\(files)")
        #expect(!files.contains { $0 == RecordIndexStore.fileName(base: false, instant: instant) })
        try table.refresh()
        #expect(try table.snapshotByKey() == before)
        // The table goes on: the next write lands (the index is rebuilt, the rival's commit
        // having no index file) and reads exactly.
        let next = try Self.smallUpsert(table, ts: 3)
        let after = try table.snapshotByKey()
        #expect(after.count == before.count + 1)
        #expect(after["k0"]?["ts"] == .int(3) && after["new3"]?["_hoodie_commit_time"] == .string(next.instant))
    }

    @Test(arguments: StorageKind.allCases)
    func everyCompletionIsPutIfAbsent(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let s = kind.make(dir)
        let done = Instant(timestamp: "20250101000000000", action: .clean, state: .completed)
        try Timeline.complete(done.with(state: .requested), [1], in: s)  // the state is taken as completed
        #expect(try s.read(".hoodie/20250101000000000.clean") == [1])
        let e = #expect(throws: LakeError.self) { try Timeline.complete(done, [2], in: s) }
        #expect(e?.code == .conflict && e?.instantConflict == InstantConflict(instant: done))
        #expect(e?.message.contains("20250101000000000.clean") == true)
        #expect(try s.read(".hoodie/20250101000000000.clean") == [1])
    }

    // MARK: Markers

    @Test(arguments: StorageKind.allCases)
    func markersNameEveryDataFileUntilTheInstantCompletes(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try Self.table(kind.make(dir), partitions: 3)
        let s = table.storage
        // A write that dies after its data files: one marker per file, CREATE or MERGE.
        CrashPoint.simulate("commit-data", at: s.root)
        #expect(throws: LakeError.self) { try Self.smallUpsert(table, ts: 2) }
        CrashPoint.simulate(nil, at: s.root)
        try table.refresh()
        let failed = try #require(table.timeline.pendingCommits.first).timestamp
        let markerDir = WriteMarkers.folder + "/" + failed
        let markerFiles = try s.walkFiles(under: markerDir).map(\.path).sorted()
        #expect(markerFiles == [markerDir + "/MARKERS.type", markerDir + "/MARKERS0"])
        #expect(try s.read(markerDir + "/MARKERS.type") == Array("TIMELINE_SERVER_BASED".utf8))
        let lines = String(decoding: try s.read(markerDir + "/MARKERS0"), as: UTF8.self).split(separator: "\n").sorted()
        let data = try s.walkFiles(under: "").map(\.path).filter { $0.hasSuffix("_\(failed).parquet") }.sorted()
        #expect(data.count == 2)
        #expect(lines == data.map { "\($0).marker.MERGE" }, "\(lines)")
        // The inflight file names the partitions (Hudi's workload profile), durably, before them.
        let inflight = try HoodieCommitMetadata(json: s.read(".hoodie/\(failed).inflight"))
        #expect(Set(inflight.partitionToWriteStats.keys) == ["region=r0", "region=r1"])
        #expect(inflight.allWriteStats.allSatisfy { $0.path == nil && !$0.fileId.isEmpty })
        // The next writer rolls it back by its markers, markers included; its own markers go
        // when it completes.
        let next = try Self.smallUpsert(table, ts: 3)
        let left = try s.walkFiles(under: "").map(\.path)
        #expect(!left.contains { $0.contains(failed) }, "\(left.filter { $0.contains(failed) })")
        #expect(!left.contains { $0.hasPrefix(WriteMarkers.folder + "/") }, "\(left)")
        let rb = try #require(try table.storage.walkFiles(under: ".hoodie").first { $0.name.hasSuffix(".rollback") })
        let meta = try RollbackMetadata(json: s.read(rb.path), source: rb.path)
        #expect(meta.rolledBack == failed && meta.deletedDataFiles == data)
        // New file groups get CREATE markers.
        CrashPoint.simulate("commit-index", at: s.root)
        let rows = [Self.row("fresh", 4, region: "r9")]
        #expect(throws: LakeError.self) {
            try table.write(RecordBatch.from(rows, fields: Self.fields), operation: .upsert)
        }
        CrashPoint.simulate(nil, at: s.root)
        try table.refresh()
        let pending = try #require(table.timeline.pendingCommits.first).timestamp
        #expect(pending > next.instant)
        let created = String(decoding: try s.read(".hoodie/.temp/\(pending)/MARKERS0"), as: UTF8.self)
        #expect(created.hasPrefix("region=r9/"), "\(created)")
        #expect(created.hasSuffix("_\(pending).parquet.marker.CREATE\n"), "\(created)")
    }

    /// Markers a writer killed right after completing left (its files are committed) are
    /// removed by the next writer's recovery, files untouched; markers of an instant that is on
    /// the timeline in no state name files no commit will make visible: those go too.
    @Test(arguments: StorageKind.allCases)
    func leftoverMarkersAreSweptByTheNextWriter(_ kind: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try Self.table(kind.make(dir), partitions: 3)
        let s = table.storage
        let committed = try Self.smallUpsert(table, ts: 2)
        let files = try s.walkFiles(under: "").map(\.path).filter { $0.hasSuffix("_\(committed.instant).parquet") }
        #expect(files.count == 2)
        try WriteMarkers(storage: s, instant: committed.instant).create(files.map { ($0, .merge) })
        // A direct marker (Java's other layout) of an instant on the timeline in no state.
        let ghost = "29990101000000000"
        let orphan = "region=r2/ghost-0_0-0-0_\(ghost).parquet"
        try s.write(orphan, try s.read(files[0]))
        try s.write(".hoodie/.temp/\(ghost)/\(orphan).marker.CREATE", [])
        #expect(try s.walkFiles(under: WriteMarkers.folder).count == 3)
        _ = try Self.smallUpsert(table, ts: 3)
        #expect(try s.walkFiles(under: WriteMarkers.folder).isEmpty)
        #expect(try files.allSatisfy { try s.exists($0) })
        #expect(try !s.exists(orphan))
        #expect(try table.snapshotByKey()["k1"]?["ts"] == .int(3))
    }

    /// An instant as an older writer (or Java) leaves it — no markers, a workload profile
    /// naming its partition — is rolled back by listing that partition: the same listings in a
    /// table of 5 partitions as in one of 60.
    @Test func aWriteWithoutMarkersIsRolledBackFromThePartitionsItsInflightNames() throws {
        var lists: [Int] = []
        for partitions in [5, 60] {
            let s = MemoryStorage()
            let table = try Self.table(s, partitions: partitions)
            let t = "29990101000000000"
            var inflight = HoodieCommitMetadata()
            let stat = HoodieWriteStat(fileId: "x-0", path: nil, partitionPath: nil)
            inflight.partitionToWriteStats["region=r3"] = [stat]
            try s.write(".hoodie/\(t).commit.requested", [])
            try s.write(".hoodie/\(t).inflight", inflight.jsonData())
            let orphan = "region=r3/x-0_0-0-0_\(t).parquet"
            let some = try #require(try s.list("region=r3").first { $0.name.hasSuffix(".parquet") })
            try s.write(orphan, try s.read(some.path))
            s.resetRequestCounts()
            let done = try table.rollback()
            #expect(done.count == 1 && done[0].deletedDataFiles == [orphan])
            #expect(try !s.exists(orphan))
            lists.append(s.requestCounts.list)
        }
        #expect(lists[0] == lists[1] && lists[0] < 30, "\(lists)")
    }

    // MARK: Requests per commit

    /// The requests of each commit of the same small upserts into tables of 10 and of 400
    /// partitions: equal, commit by commit (the automatic cleaner and everything else included).
    @Test func requestsPerCommitDoNotGrowWithTheTable() throws {
        var perCommit: [[StorageRequestCounts]] = []
        for partitions in [10, 400] {
            let s = MemoryStorage()
            let table = try Self.table(s, partitions: partitions, settings: ["cleaner.commits.retained": "3"])
            var counts: [StorageRequestCounts] = []
            for ts in Int64(2)...9 {
                s.resetRequestCounts()
                _ = try Self.smallUpsert(table, ts: ts)
                counts.append(s.requestCounts)
            }
            perCommit.append(counts)
            #expect(try table.timeline.completedCommits.count > 3)
        }
        for (small, big) in zip(perCommit[0], perCommit[1]) {
            let a: [Int] = [small.list, small.get, small.head, small.put, small.delete]
            let b: [Int] = [big.list, big.get, big.head, big.put, big.delete]
            #expect(a == b, "10 partitions: \(small); 400 partitions: \(big)")
        }
        print("requests per commit, small upsert (2 partitions touched), 10 vs 400 partitions:")
        for (i, (small, big)) in zip(perCommit[0], perCommit[1]).enumerated() {
            print("  commit \(i + 2): \(small) | \(big)")
        }
    }

    /// Rewriting a file group costs the storage one open of its base file (a GET on S3, a HEAD on
    /// `MemoryStorage`) and nothing else that HEADs: not a size request (the reader knows the
    /// size), not a look for the partition metadata of a partition that already has a slice.
    @Test func aRewrittenFileGroupCostsOneOpenAndNoOtherHead() throws {
        var heads: [Int] = []
        for touched in [2, 40] {
            let s = MemoryStorage()
            let table = try Self.table(s, partitions: 40, perPartition: 1)
            s.resetRequestCounts()
            let rows = (0..<touched).map { i in Self.row("k\(i)", 2, region: "r\(i)") }
            let result = try table.write(RecordBatch.from(rows, fields: Self.fields), operation: .upsert)
            #expect(result.updated == touched)
            heads.append(s.requestCounts.head)
        }
        #expect(heads[1] - heads[0] == 38, "HEADs: \(heads[0]) touching 2 groups, \(heads[1]) touching 40")
    }

    @Test func aReadWithAPartitionPredicateListsOnlyMatchingPartitions() throws {
        let s = MemoryStorage()
        let table = try Self.table(s, partitions: 200)
        s.resetRequestCounts()
        let all = try table.read()
        let listAll = s.requestCounts.list
        s.resetRequestCounts()
        let one = try table.read(ReadOptions(predicate: try Predicate(parsing: "region = 'r42' AND ts > 0")))
        let listOne = s.requestCounts.list
        #expect(all.reduce(0) { $0 + $1.rowCount } == 400 && one.reduce(0) { $0 + $1.rowCount } == 2)
        #expect(listAll == 201 && listOne == 2, "whole table: \(listAll) listings, r42: \(listOne)")
    }
}

/// Storage on which a rival writer completes an instant first: when armed, the next
/// put-if-absent of a completed commit file is preceded by the rival's (an empty commit).
final class RivalCompletes: TableStorage {
    let inner: any TableStorage
    let armed = Mutexed(false)
    /// The instant the rival completed.
    let completed = Mutexed<String?>(nil)

    init(_ inner: any TableStorage) { self.inner = inner }

    var root: String { inner.root }

    func createExclusive(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        if armed.value, let instant = Instant(fileName: StoragePath.fileName(path)),
            instant.state == .completed, instant.action == .commit
        {
            armed.update { $0 = false }
            var rival = HoodieCommitMetadata()
            rival.operationType = .upsert
            try inner.createExclusive(path, rival.jsonData())
            completed.update { $0 = instant.timestamp }
        }
        try inner.createExclusive(path, bytes)
    }

    func read(_ path: String) throws(LakeError) -> [UInt8] { try inner.read(path) }
    func read(_ path: String, range: Range<Int64>) throws(LakeError) -> [UInt8] { try inner.read(path, range: range) }
    func makeReader(_ path: String) throws(LakeError) -> any StorageReader { try inner.makeReader(path) }
    func write(_ path: String, _ bytes: [UInt8]) throws(LakeError) { try inner.write(path, bytes) }
    func makeWriter(_ path: String) throws(LakeError) -> any StorageWriter { try inner.makeWriter(path) }
    func list(_ dir: String) throws(LakeError) -> [StorageEntry] { try inner.list(dir) }
    func exists(_ path: String) throws(LakeError) -> Bool { try inner.exists(path) }
    func delete(_ path: String) throws(LakeError) -> Bool { try inner.delete(path) }
    func deleteDirectoryIfEmpty(_ dir: String) throws(LakeError) -> Bool { try inner.deleteDirectoryIfEmpty(dir) }
    func size(_ path: String) throws(LakeError) -> Int64 { try inner.size(path) }
    func makeDirectories(_ dir: String) throws(LakeError) { try inner.makeDirectories(dir) }
    func discardIncompleteWrites(in dir: String, startedBefore: Int64?) throws(LakeError) -> Int {
        try inner.discardIncompleteWrites(in: dir, startedBefore: startedBefore)
    }
}
