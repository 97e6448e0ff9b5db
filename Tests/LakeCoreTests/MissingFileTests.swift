import Foundation
import Testing
import LakeParquet
@testable import LakeCore

/// A base file the timeline needs that is missing (or not the size its commit wrote, or not
/// written by the commit it is named after) is an error naming it — for reads, as-of reads,
/// incremental reads, writes and describe — never a silently older slice.
@Suite struct MissingFileTests {
    /// Three commits: a load, an update that rewrites every group (ids 0…8, three regions), and
    /// an update of region `eu` only.
    static func fixture() throws -> FailureFixture {
        let f = try FailureFixture()
        try f.upsert("a", count: 9, ts: 1)
        try f.upsert("a", count: 9, ts: 2)
        try f.upsert(
            (0..<9).filter { $0 % 3 == 0 }.map { (FailureFixture.row("a\($0)", 3, "v3", region: "eu"), false) })
        return f
    }

    /// The base file of the latest slice of the group holding `region`.
    static func latestFile(_ f: FailureFixture, region: String) throws -> String {
        let view = try FileSystemView.load(storage: f.table.storage, timeline: f.timeline())
        return try #require(view.latestSlices().first { $0.partitionPath == "region=\(region)" }).path
    }

    static func expectCorrupt(
        naming path: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let e = #expect(throws: LakeError.self, sourceLocation: sourceLocation) { try body() }
        #expect(e?.code == .corruptTable, sourceLocation: sourceLocation)
        #expect(e?.message.contains(path) == true, "\(e?.message ?? "")", sourceLocation: sourceLocation)
    }

    @Test func aMissingLatestSliceFailsReadsAndWritesInsteadOfResurrectingTheOldOne() throws {
        let f = try Self.fixture()
        let missing = try Self.latestFile(f, region: "eu")
        #expect(try f.table.storage.delete(missing))
        let reader = try Table.open(f.table.path)
        Self.expectCorrupt(naming: missing) { _ = try reader.read() }
        Self.expectCorrupt(naming: missing) {
            _ = try reader.read(ReadOptions(predicate: try Predicate(parsing: "id = 'a3'")))
        }
        Self.expectCorrupt(naming: missing) { _ = try reader.describe() }
        Self.expectCorrupt(naming: missing) {
            _ = try reader.readIncremental(ReadWindow(since: f.history[1].instant, until: nil))
        }
        Self.expectCorrupt(naming: missing) { _ = try reader.snapshotFiles() }
        // As of the commit before, the file is not needed: that read is exact.
        #expect(try f.rows(asOf: f.history[1].instant).count == 9)
        // A write refuses too, and leaves nothing behind: the loss does not become permanent.
        let before = try f.timeline().instants
        let e = f.failingUpsert("a", count: 3, ts: 4)
        #expect(e?.code == .corruptTable && e?.message.contains(missing) == true, "\(e?.message ?? "")")
        #expect(try f.timeline().instants == before)
        // Restoring the file makes the table whole again.
    }

    @Test func aFileGroupWhoseOnlyFileIsMissingFailsTheRead() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 6, ts: 1)
        let missing = try Self.latestFile(f, region: "us")
        #expect(try f.table.storage.delete(missing))
        Self.expectCorrupt(naming: missing) { _ = try Table.open(f.table.path).read() }
    }

    @Test func aTruncatedOrExtendedFileFailsTheRead() throws {
        let f = try Self.fixture()
        let path = try Self.latestFile(f, region: "us")
        let bytes = try f.table.storage.read(path)
        try f.table.storage.write(path, Array(bytes.dropLast(100)))
        Self.expectCorrupt(naming: path) { _ = try Table.open(f.table.path).read() }
        try f.table.storage.write(path, bytes + [0])
        let e = #expect(throws: LakeError.self) { _ = try Table.open(f.table.path).read() }
        #expect(e?.message.contains("\(bytes.count + 1) bytes but commit") == true, "\(e?.message ?? "")")
        try f.table.storage.write(path, bytes)
        try f.check()
    }

    @Test func aFileNamedWithACommitThatDidNotWriteItFailsTheRead() throws {
        let f = try Self.fixture()
        let latest = f.history[2].instant
        // A copy of a file under a new file id, named with the latest commit: Hudi readers would
        // read its rows twice.
        let source = try Self.latestFile(f, region: "us")
        let stray = "region=us/00000000-0000-0000-0000-000000000000-0_9-9-9_\(latest).parquet"
        try f.table.storage.write(stray, try f.table.storage.read(source))
        Self.expectCorrupt(naming: stray) { _ = try Table.open(f.table.path).read() }
        #expect(try f.table.storage.delete(stray))
        try f.check()
    }

    @Test func snapshotFilesAreExactlyTheSlicesARead() throws {
        let f = try Self.fixture()
        let files = try f.table.snapshotFiles()
        #expect(files.instant == f.history[2].instant)
        #expect(files.columns == FailureFixture.fields.map(\.name))
        // Reading just those files, as a plain Parquet reader would, gives the model's rows.
        var keys: [String] = []
        for location in files.locations {
            let r = try ParquetFileReader(path: location)
            for g in 0..<r.rowGroupCount {
                let b = try r.readRowGroup(g, columns: ["id"])
                guard case .byteArray(let a) = b.columns[0].data else { continue }
                keys += (0..<a.count).map { a.string(at: $0) }
            }
        }
        #expect(keys.sorted() == f.model.rows.keys.sorted())
        let old = try f.table.snapshotFiles(asOf: f.history[0].instant)
        #expect(old.instant == f.history[0].instant)
        #expect(old.slices.allSatisfy { $0.instantTime == f.history[0].instant })
        #expect(Set(old.slices.map(\.fileGroupID)) == Set(files.slices.map(\.fileGroupID)))
    }
}
