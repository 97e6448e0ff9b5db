import Foundation
import Testing
@testable import LakeCore

/// Reads over the timeline of a table the cleaner has cleaned (`KEEP_LATEST_COMMITS` 2): inside
/// the retained window every read is exact; every read that reaches before it fails with
/// `.outsideRetention` naming the earliest readable instant.
@Suite struct TimeTravelCleanerTests {
    typealias F = TimelineFixture

    /// Eight commits updating `a` every time, inserting `k<i>` and updating (once deleting) `k<i-2>`.
    func cleanedTable(_ storage: StorageKind) throws -> (F, earliest: String) {
        let f = try F(storage)
        for i in 0..<8 {
            try f.upsert(
                [
                    (F.row("a", Int64(i)), false), (F.row("k\(i)", 1, region: i % 2 == 0 ? "eu" : "us"), false),
                    (F.row("k\(max(i - 2, 0))", Int64(i) + 5), i == 5),
                ], at: Int64(i))
        }
        let report = try f.table.cleaner(policy: .keepLatestCommits(2)).run()
        #expect(report.filesDeleted > 0)
        try f.table.refresh()
        let earliest = try #require(try f.table.earliestReadableInstant())
        #expect(earliest == f.history[6].instant)
        return (f, earliest)
    }

    @Test(arguments: StorageKind.allCases)
    func insideTheWindowReadsAreExact(_ storage: StorageKind) throws {
        let (f, e) = try cleanedTable(storage)
        let window = f.history.filter { $0.instant >= e }
        for (instant, m) in window {
            expectRows(
                try f.table.read(ReadOptions(asOf: instant, includeMetaColumns: true)), m.rows, "as of \(instant)")
            let rows = m.rows.filter { $0.value.commitTime > e }
            expectRows(
                try f.table.readIncremental(
                    ReadWindow(since: e, until: instant), options: ReadOptions(includeMetaColumns: true)),
                rows, "incremental (\(e), \(instant)]")
        }
        let (last, lastModel) = f.history[7]
        let feed = ChangeRow.rows(try f.table.changes(since: e))
        #expect(feed == ChangeRow.expected(from: f.history[6].model, to: lastModel, instant: last))
    }

    @Test(arguments: StorageKind.allCases)
    func readsBeforeTheWindowFailAndNameTheEarliestReadableInstant(_ storage: StorageKind) throws {
        let (f, e) = try cleanedTable(storage)
        for (instant, _) in f.history where instant < e {
            let asOf = #expect(throws: LakeError.self) { try f.table.read(ReadOptions(asOf: instant)) }
            #expect(asOf?.code == .outsideRetention)
            #expect(asOf?.message.contains("earliest readable instant is \(e)") == true, "\(asOf?.message ?? "")")
            let changes = #expect(throws: LakeError.self) { try f.table.changes(since: instant) }
            #expect(changes?.code == .outsideRetention)
            let incremental = #expect(throws: LakeError.self) {
                try f.table.readIncremental(ReadWindow(since: instant))
            }
            #expect(incremental?.code == .outsideRetention)
        }
        for w in [ReadWindow(), ReadWindow(since: "0")] {
            let error = #expect(throws: LakeError.self) { try f.table.changes(w) }
            #expect(error?.code == .outsideRetention)
        }
    }
}
