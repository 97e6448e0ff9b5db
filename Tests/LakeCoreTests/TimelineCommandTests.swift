import Foundation
import Testing
@testable import LakeCore

/// `Table.timelineEntries()`, what `lake timeline` prints: one entry per instant with the
/// commit metadata's operation and counts.
@Suite struct TimelineCommandTests {
    typealias F = TimelineFixture

    @Test func completedWritesCarryTheirCounts() throws {
        let f = try F()
        let r1 = try f.table.write(
            RecordBatch.from([F.row("a", 1), F.row("b", 1), F.row("c", 1, region: "us")], fields: F.fields),
            operation: .upsert)
        let r2 = try f.table.write(
            RecordBatch.from([F.row("a", 2), F.row("d", 2, region: "ap")], fields: F.fields), operation: .upsert)
        let r3 = try f.table.write(RecordBatch.from([F.row("b", 3)], fields: F.fields), operation: .delete)
        let r4 = try f.table.write(RecordBatch.from([F.row("z", 1)], fields: F.fields), operation: .insertOverwrite)
        // Writes only: automatic table services may add clean instants.
        let entries = try f.table.timelineEntries().filter(\.action.isWrite)
        #expect(entries.map(\.instant) == [r1, r2, r3, r4].map(\.instant))
        #expect(entries.map(\.action) == [.commit, .commit, .commit, .replacecommit])
        #expect(entries.allSatisfy { $0.state == .completed })
        #expect(entries.map { $0.operation?.rawValue } == ["UPSERT", "UPSERT", "DELETE", "INSERT_OVERWRITE"])
        for (e, r) in zip(entries, [r1, r2, r3, r4]) {
            let c = try #require(e.counts)
            #expect(c.recordsInserted == Int64(r.inserted), "\(e.instant) inserted")
            #expect(c.recordsDeleted == Int64(r.deleted), "\(e.instant) deleted")
            #expect(c.filesWritten == r.filesWritten, "\(e.instant) files")
            #expect(c.partitionsWritten == r.partitionsWritten, "\(e.instant) partitions")
            #expect(c.bytesWritten == r.bytesWritten, "\(e.instant) bytes")
            #expect(c.fileGroupsReplaced == r.fileGroupsReplaced, "\(e.instant) replaced")
        }
        #expect(entries[1].counts?.recordsUpdated == 1)
        // The update of a carries b over: 2 rows written in eu, 1 in ap.
        #expect(entries[1].counts?.recordsWritten == 3)
        #expect(entries[3].counts?.fileGroupsReplaced == 1)
    }

    @Test func pendingAndOtherInstantsHaveNoCounts() throws {
        let f = try F()
        let r1 = try f.table.write(RecordBatch.from([F.row("a", 1)], fields: F.fields), operation: .upsert)
        let meta = f.table.path + "/.hoodie/"
        // A write that crashed after requesting its instant, and a clean in flight.
        _ = FileManager.default.createFile(atPath: meta + "29990101000000000.commit.requested", contents: Data())
        _ = FileManager.default.createFile(atPath: meta + "29990101000000001.clean.requested", contents: Data())
        _ = FileManager.default.createFile(atPath: meta + "29990101000000001.clean.inflight", contents: Data())
        try f.table.refresh()
        let entries = try f.table.timelineEntries().filter { $0.action.isWrite || $0.instant.hasPrefix("2999") }
        #expect(entries.map(\.instant) == [r1.instant, "29990101000000000", "29990101000000001"])
        #expect(
            entries[1].action == .commit && entries[1].state == .requested && entries[1].counts == nil
                && entries[1].operation == nil)
        #expect(entries[2].action == .clean && entries[2].state == .inflight && entries[2].counts == nil)
    }

    @Test func anEmptyTableHasAnEmptyTimeline() throws {
        let f = try F()
        #expect(try f.table.timelineEntries().isEmpty)
        #expect(try f.table.earliestReadableInstant() == nil)
    }
}
