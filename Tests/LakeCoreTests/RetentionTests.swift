import Foundation
import Testing
@testable import LakeCore

/// `earliestReadableInstant()` and `isReadable(asOf:)`: what the reads rely on to refuse a
/// silently partial answer.
@Suite struct RetentionTests {
    func commits(_ f: CleanerFixture, _ n: Int) throws {
        for i in 0..<n { try f.upsert([("a", "eu", false), ("b\(i % 3)", "us", false)]) }
    }

    @Test(arguments: StorageKind.allCases)
    func emptyTableHasNoReadableInstant(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage)
        #expect(try f.table.earliestReadableInstant() == nil)
        #expect(try !f.table.isReadable(asOf: "20250101000000000"))
    }

    @Test(arguments: StorageKind.allCases)
    func beforeAnyCleanEveryCommitIsReadable(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try commits(f, 6)
        #expect(try f.table.earliestReadableInstant() == f.commits.first)
        for c in f.commits {
            #expect(try f.table.isReadable(asOf: c))
            try f.expectExact(asOf: c)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func theBoundaryFollowsTheCleans(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "3", "cleaner.automatic": "false"])
        try commits(f, 6)
        try f.table.cleaner().run()
        #expect(try f.table.earliestReadableInstant() == f.commits[3])
        // Later commits do not move it until the next clean.
        try commits(f, 2)
        #expect(try f.table.earliestReadableInstant() == f.commits[3])
        try f.expectExact(asOf: f.commits[3])
        try f.table.cleaner().run()
        #expect(try f.table.earliestReadableInstant() == f.commits[5])
        // A wider policy later cannot bring cleaned commits back.
        try f.table.cleaner(policy: .keepLatestCommits(8)).run()
        #expect(try f.table.earliestReadableInstant() == f.commits[5])
        #expect(try !f.table.isReadable(asOf: f.commits[4]))
        #expect(try f.table.isReadable(asOf: f.commits[5]))
    }

    @Test(arguments: StorageKind.allCases)
    func aReaderOpenedBeforeACleanSeesItsBoundary(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try commits(f, 5)
        let reader = try Table.open(storage: f.table.storage)
        #expect(try reader.earliestReadableInstant() == f.commits[0])
        try f.table.cleaner().run()
        // No refresh: the reader's loaded timeline still has no clean, the storage does.
        #expect(reader.timeline.instants.allSatisfy { $0.action != .clean })
        #expect(try reader.earliestReadableInstant() == f.commits[3])
        #expect(try !reader.isReadable(asOf: f.commits[2]))
        // An instant between commits resolves to the commit before it.
        #expect(try reader.isReadable(asOf: "29990101000000000"))
        #expect(try !reader.isReadable(asOf: "20000101000000000"))
    }

    @Test(arguments: StorageKind.allCases)
    func aCleanLakeCannotReadKeepsOnlyTheCommitBeforeIt(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.automatic": "false"])
        try commits(f, 4)
        // Java Hudi writes Avro into clean instants.
        let t = f.table.clock.next(after: f.table.timeline.latestTimestamp).value
        try f.table.storage.write(".hoodie/\(t).clean", [0x4F, 0x62, 0x6A, 0x01, 0x02])
        try commits(f, 1)
        #expect(try f.table.earliestReadableInstant() == f.commits[3])
    }

    @Test(arguments: StorageKind.allCases)
    func aBoundaryPastTheLatestCommitMeansTheLatestCommit(_ storage: StorageKind) throws {
        // As after a restore that removed the commits a clean had kept.
        let f = try CleanerFixture(storage, ["cleaner.automatic": "false"])
        try commits(f, 3)
        var plan = CleanerPlan(policy: .keepLatestCommits(1))
        plan.earliestReadableInstant = "29990101000000000"
        let t = f.table.clock.next(after: f.table.timeline.latestTimestamp).value
        try f.table.storage.write(".hoodie/\(t).clean", Array(plan.json.jsonText.utf8))
        try f.table.refresh()
        #expect(try f.table.earliestReadableInstant() == f.commits.last)
    }

    @Test(arguments: StorageKind.allCases)
    func savepointsAreReadableBelowTheBoundary(_ storage: StorageKind) throws {
        let f = try CleanerFixture(storage, ["cleaner.commits.retained": "2", "cleaner.automatic": "false"])
        try commits(f, 3)
        try f.table.storage.write(".hoodie/\(f.commits[0]).savepoint", Array("{}".utf8))
        try commits(f, 4)
        try f.table.cleaner().run()
        #expect(f.table.savepointedCommits == [f.commits[0]])
        #expect(try f.table.earliestReadableInstant() == f.commits[5])
        #expect(try f.table.isReadable(asOf: f.commits[0]))
        #expect(try !f.table.isReadable(asOf: f.commits[1]))
        try f.expectExact(asOf: f.commits[0])
    }
}
