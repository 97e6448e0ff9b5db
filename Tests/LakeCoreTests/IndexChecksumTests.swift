import Foundation
import Testing
@testable import LakeCore

/// Record index files carry a CRC-32: a damaged file is never used. Writes rebuild the index
/// from the base files (and say so), readers scan instead, `rebuildRecordIndex()` does it on
/// demand, and files written before the checksum (version 1) keep working until the next write
/// replaces them.
@Suite struct IndexChecksumTests {
    static func index() -> RecordIndex {
        var index = RecordIndex()
        for i in 0..<40 { index.set("k\(i)", .live(partition: "region=eu", fileId: "f-\(i % 3)")) }
        index.set("gone", .deleted(ordering: .int(7)))
        return index
    }

    @Test func everyFlippedBitOfABaseOrDeltaIsDetected() throws {
        let index = Self.index()
        for (kind, bytes) in [("base", try index.encodedBase()), ("delta", index.encodedDelta())] {
            #expect(try IndexFileFormat.verify(bytes, kind: kind == "base" ? .base : .delta, name: kind) == 2)
            for i in bytes.indices {
                for bit in [0, 3, 7] {
                    var damaged = bytes
                    damaged[i] ^= UInt8(1 << bit)
                    let e = #expect(throws: LakeError.self, "\(kind) byte \(i) bit \(bit)") {
                        if kind == "base" {
                            _ = try RecordIndex(base: damaged, baseName: "base_1.idx", deltas: [])
                        } else {
                            _ = try RecordIndex(base: nil, deltas: [(name: "delta_1.idx", bytes: damaged)])
                        }
                    }
                    #expect(e?.code == .corruptTable)
                }
            }
            let e = #expect(throws: LakeError.self) {
                _ = try RecordIndex(base: nil, deltas: [(name: "delta_2.idx", bytes: Array(bytes.dropLast()))])
            }
            #expect(e?.message.contains("delta_2.idx") == true)
        }
    }

    /// A version-1 file (no checksum) as lake wrote it before: version byte 1, no trailer.
    static func versionOne(_ bytes: [UInt8]) -> [UInt8] {
        var v1 = Array(bytes.dropLast(IndexFileFormat.trailerSize))
        v1[6] = UInt8(ascii: "1")
        return v1
    }

    @Test func versionOneFilesAreReadAndMarkedForRewriting() throws {
        let index = Self.index()
        var loaded = try RecordIndex(base: Self.versionOne(try index.encodedBase()), deltas: [])
        #expect(loaded.hasUncheckedFiles)
        #expect(loaded.lookup("k5") == .live(partition: "region=eu", fileId: "f-2"))
        #expect(loaded.lookup("gone") == .deleted(ordering: .int(7)))
        let rewritten = try RecordIndex(base: try loaded.encodedBase(), deltas: [])
        #expect(!rewritten.hasUncheckedFiles)
    }

    /// The index files of the table, newest last.
    static func indexFiles(_ f: FailureFixture) throws -> [String] {
        try f.table.storage.list(RecordIndexStore.folder).map { RecordIndexStore.folder + "/" + $0.name }.sorted()
    }

    /// Collects notices.
    final class Notices: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [TableNotice] = []
        func add(_ n: TableNotice) { lock.lock(); items.append(n); lock.unlock() }
        var all: [TableNotice] { lock.lock(); defer { lock.unlock() }; return items }
    }

    @Test func aDamagedIndexIsRebuiltByTheNextWriteAndIgnoredByReaders() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 30, ts: 1)
        // Every fourth key moves partition: the index decides where the old copy is.
        try f.upsert(
            (0..<30).filter { $0 % 4 == 0 }.map { (FailureFixture.row("a\($0)", 2, "moved", region: "sa"), false) })
        let delta = try #require(try Self.indexFiles(f).last)
        var bytes = try f.table.storage.read(delta)
        bytes[bytes.count / 2] ^= 0x10
        try f.table.storage.write(delta, bytes)

        // A reader's point lookup does not trust it: it scans, and says so.
        let notices = Notices()
        let reader = try Table.open(f.table.path)
        reader.noticeHandler = { notices.add($0) }
        let hits = try reader.read(ReadOptions(predicate: try Predicate(parsing: "id = 'a4'")))
        #expect(hits.reduce(0) { $0 + $1.rowCount } == 1)
        #expect(notices.all.map(\.kind) == [.indexIgnored])
        #expect(notices.all.first?.message.contains(delta) == true, "\(notices.all)")

        // The next write rebuilds it from the data, says why, and moves keys without duplicating them.
        f.table.noticeHandler = { notices.add($0) }
        let result = try f.upsert(
            (0..<30).filter { $0 % 4 == 0 }.map { (FailureFixture.row("a\($0)", 3, "back", region: "eu"), false) })
        #expect(result.indexRebuild?.contains(delta) == true, "\(result.indexRebuild ?? "nil")")
        #expect(notices.all.last?.kind == .indexRebuilt)
        try f.check()
        #expect(try Table.check(at: f.table.path).isClean)
    }

    @Test func aMissingIndexFileOfALakeCommitIsRebuiltWithItsReason() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 10, ts: 1)
        try f.upsert("a", count: 12, ts: 2)
        let delta = try #require(try Self.indexFiles(f).last)
        #expect(try f.table.storage.delete(delta))
        let report = try Table.check(at: f.table.path)
        #expect(report.problems.map(\.kind) == [.indexMissing], "\(report.problems)")
        let result = try f.upsert("a", count: 14, ts: 3)
        #expect(result.indexRebuild?.contains("is missing") == true, "\(result.indexRebuild ?? "nil")")
        try f.check()
    }

    @Test func aRebuildKeepsTheTombstonesOfIntactIndexFiles() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 10, ts: 1)
        // An ordered delete of a3 at ts 5: the index remembers it.
        try f.upsert([(FailureFixture.row("a3", 5), true)])
        try f.upsert("b", count: 5, ts: 6)
        let newest = try #require(try Self.indexFiles(f).last)
        var bytes = try f.table.storage.read(newest)
        bytes[10] ^= 0xFF
        try f.table.storage.write(newest, bytes)
        // A late insert of a3 (ts 4 < 5) after the rebuild must still lose to the delete.
        let result = try f.upsert([(FailureFixture.row("a3", 4, "late"), false)])
        #expect(result.indexRebuild != nil)
        #expect(result.ignored == 1 && result.inserted == 0)
        try f.check()
    }

    @Test func versionOneIndexFilesOfAnOlderLakeKeepWorkingAndAreReplaced() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 20, ts: 1)
        try f.upsert("a", count: 25, ts: 2)
        for path in try Self.indexFiles(f) {
            try f.table.storage.write(path, Self.versionOne(try f.table.storage.read(path)))
        }
        let result = try f.upsert((0..<5).map { (FailureFixture.row("a\($0)", 3, "moved", region: "sa"), false) })
        #expect(result.indexRebuild == nil)  // read, not rebuilt
        let newest = RecordIndexStore.fileName(base: true, instant: result.instant)
        #expect(try Self.indexFiles(f).contains(newest))
        #expect(try IndexFileFormat.verify(try f.table.storage.read(newest), kind: .base, name: newest) == 2)
        try f.check()
    }

    /// After the index was compacted into a new base (here by a rebuild) and cleaned, a restore to
    /// an older savepoint and an undo of the latest commit still find the index they return to,
    /// so a delete before the savepoint still beats a late, older insert of its key.
    @Test func restoreAndUndoKeepTheTombstonesOfTheStateTheyReturnTo() throws {
        let f = try FailureFixture(settings: ["cleaner.commits.retained": "2"])
        try f.upsert("a", count: 10, ts: 1)
        try f.upsert([(FailureFixture.row("a3", 5), true)])  // tombstone a3@5
        let savepoint = try #require(f.history.last)
        _ = try f.table.createSavepoint(instant: savepoint.instant)
        try f.upsert("b", count: 4, ts: 6)
        try f.upsert([(FailureFixture.row("a4", 7), true)])  // tombstone a4@7
        try f.table.rebuildRecordIndex()  // a base at the latest commit
        try f.upsert("c", count: 3, ts: 8)  // cleans the superseded index files
        try f.upsert("d", count: 3, ts: 9)
        // Undo the latest commit: the previous commit's index (with a4's tombstone) is there.
        try f.table.rollback(instant: f.history.last!.instant)
        f.history.removeLast()
        f.model = f.history.last!.model
        let late4 = try f.upsert([(FailureFixture.row("a4", 2, "late"), false)])
        #expect(late4.indexRebuild == nil && late4.ignored == 1, "\(late4)")
        // Restore to the savepoint: its index (with a3's tombstone) is there too.
        try f.table.restore(toSavepoint: savepoint.instant)
        f.model = savepoint.model
        let late3 = try f.upsert([(FailureFixture.row("a3", 2, "late"), false)])
        #expect(late3.indexRebuild == nil && late3.ignored == 1, "\(late3)")
        try f.check()
    }

    @Test func rebuildRecordIndexOnDemand() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 12, ts: 1)
        try f.upsert([(FailureFixture.row("a1", 5), true)])
        for path in try Self.indexFiles(f) { #expect(try f.table.storage.delete(path)) }
        let r = try f.table.rebuildRecordIndex()
        #expect(r.instant == f.history.last?.instant)
        #expect(r.liveKeys == 11 && r.tombstones == 0)
        #expect(r.previousState.hasPrefix("stale"))
        #expect(try Table.check(at: f.table.path).isClean)
        #expect(try Self.indexFiles(f) == [RecordIndexStore.fileName(base: true, instant: r.instant!)])
        try f.upsert("a", count: 14, ts: 6)
        try f.check()
    }
}
