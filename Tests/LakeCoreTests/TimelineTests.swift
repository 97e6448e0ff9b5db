import Testing
@testable import LakeCore

@Suite struct TimelineTests {
    /// C1, C2 completed; R3 a completed replacecommit; P4 pending commit; clean at 5; junk.
    let timeline = Timeline(fileNames: [
        "20250101000000001.commit.requested", "20250101000000001.inflight", "20250101000000001.commit",
        "20250101000000002.commit.requested", "20250101000000002.inflight", "20250101000000002.commit",
        "20250101000000003.replacecommit.requested", "20250101000000003.replacecommit.inflight",
        "20250101000000003.replacecommit",
        "20250101000000004.commit.requested", "20250101000000004.inflight",
        "20250101000000005.clean.requested",
        "hoodie.properties", "archived", "20250101000000006.foo",
    ])

    @Test func instantsAreParsedAndSorted() {
        #expect(timeline.instants.count == 12)
        #expect(timeline.instants == timeline.instants.sorted())
        #expect(timeline.instants.first?.fileName == "20250101000000001.commit.requested")
    }

    @Test func completedWrites() {
        #expect(
            timeline.completedCommits.map(\.timestamp) == [
                "20250101000000001", "20250101000000002", "20250101000000003",
            ])
        #expect(timeline.completedReplaceCommits.map(\.timestamp) == ["20250101000000003"])
        #expect(timeline.latestCompleted?.fileName == "20250101000000003.replacecommit")
        #expect(timeline.isCompleted("20250101000000002"))
        #expect(!timeline.isCompleted("20250101000000004"))
        #expect(!timeline.isCompleted("20250101000000005"))
        #expect(timeline.completedCommit(at: "20250101000000003")?.action == .replacecommit)
    }

    @Test func incrementalWindowIsHalfOpen() {
        #expect(
            timeline.completedCommits(after: "20250101000000001", upTo: "20250101000000003").map(\.timestamp)
                == ["20250101000000002", "20250101000000003"])
        #expect(timeline.completedCommits(after: nil, upTo: "20250101000000002").count == 2)
        #expect(timeline.completedCommits(after: "20250101000000003", upTo: nil).isEmpty)
        #expect(timeline.completedCommits(after: InstantTime.epoch.value, upTo: nil).count == 3)
    }

    @Test func pendingInstants() {
        #expect(
            timeline.pendingInstants.map(\.fileName) == [
                "20250101000000004.inflight", "20250101000000005.clean.requested",
            ])
        #expect(timeline.pendingCommits.map(\.fileName) == ["20250101000000004.inflight"])
        #expect(timeline.latestTimestamp == "20250101000000005")
    }

    @Test func visibilityFollowsEarliestActiveInstant() {
        #expect(timeline.earliestActiveTimestamp == "20250101000000001")
        #expect(timeline.isCommitted("20250101000000001"))
        #expect(timeline.isCommitted("20250101000000003"))
        #expect(!timeline.isCommitted("20250101000000004"))  // pending write
        #expect(!timeline.isCommitted("20250101000000005"))  // clean is not a write
        #expect(!timeline.isCommitted("20250101000000006"))  // newer than the earliest active, no instant file
        #expect(timeline.isCommitted("20241231000000000"))  // older than every instant: archived
    }

    @Test func archivedOldestCommitStaysVisible() {
        // C1's instant files moved away: C1 < earliest active C2, so its files stay visible.
        let t = Timeline(fileNames: ["20250101000000002.commit", "20250101000000003.commit.requested"])
        #expect(t.earliestActiveTimestamp == "20250101000000002")
        #expect(t.isCommitted("20250101000000001"))
        #expect(!t.isCommitted("20250101000000003"))
    }

    @Test func pendingOldestInstantBoundsVisibility() {
        // A pending write older than every completed one is still invisible, and so is
        // everything after it that did not complete.
        let t = Timeline(fileNames: ["20250101000000001.commit.requested", "20250101000000002.commit"])
        #expect(t.earliestActiveTimestamp == "20250101000000001")
        #expect(!t.isCommitted("20250101000000001"))
        #expect(t.isCommitted("20250101000000002"))
        #expect(t.isCommitted("20250101000000000"))
    }

    @Test func emptyTimelineCommitsNothing() {
        let t = Timeline(fileNames: ["hoodie.properties", "20250101000000001.clean"])
        #expect(t.completedCommits.isEmpty)
        #expect(t.latestCompleted == nil)
        #expect(t.earliestActiveTimestamp == nil)
        #expect(!t.isCommitted("20200101000000000"))
        #expect(t.latestTimestamp == "20250101000000001")
    }

    @Test func mixedWidthsCompareAsTime() {
        let t = Timeline(fileNames: ["20250101000001.commit", "20250101000000500.commit"])
        #expect(t.completedCommits.map(\.timestamp) == ["20250101000000500", "20250101000001"])
        #expect(t.isCompleted("20250101000001000"))
        #expect(
            t.completedCommits(after: "20250101000000500", upTo: "20250101000001000").map(\.timestamp) == [
                "20250101000001"
            ])
    }

    @Test func loadsFromStorageAndReadsMetadata() throws {
        let s = LocalStorage(root: try makeTempDirectory("timeline"))
        try s.makeDirectories(".hoodie/archived")
        var meta = HoodieCommitMetadata(operationType: .upsert)
        meta.schema = #"{"type":"record","name":"t_record","namespace":"hoodie.t","fields":[]}"#
        meta.add(
            HoodieWriteStat(fileId: "f-0", path: "f-0_0-0-0_20250101000000001.parquet", partitionPath: ""),
            partition: "")
        try s.createExclusive(".hoodie/20250101000000001.commit.requested", [])
        try s.createExclusive(".hoodie/20250101000000001.inflight", [])
        try s.write(".hoodie/20250101000000001.commit", meta.jsonData())
        try s.createExclusive(".hoodie/20250101000000002.commit.requested", [])
        try s.write(".hoodie/20250101000000003.commit", [])
        try s.write(".hoodie/hoodie.properties", Array("hoodie.table.name=t\n".utf8))

        let t = try Timeline.load(from: s)
        #expect(t.instants.count == 5)
        let c1 = try #require(t.completedCommit(at: "20250101000000001"))
        #expect(try t.commitMetadata(of: c1, in: s) == meta)
        #expect(Timeline.path(of: c1) == ".hoodie/20250101000000001.commit")

        let empty = #expect(throws: LakeError.self) { try t.commitMetadata(of: t.latestCompleted!, in: s) }
        #expect(empty?.code == .corruptTable)
        #expect(empty?.message.contains(".hoodie/20250101000000003.commit") == true)

        let pending = Instant(timestamp: "20250101000000002", action: .commit, state: .requested)
        #expect(
            (#expect(throws: LakeError.self) { try t.commitMetadata(of: pending, in: s) })?.code == .invalidArgument)

        try s.delete(".hoodie/20250101000000003.commit")
        let t2 = try Timeline.load(from: s)
        #expect(try t2.latestSchema(in: s)?.schema == meta.schema)
    }

    @Test func missingMetaFolderIsNotFound() throws {
        let s = LocalStorage(root: try makeTempDirectory("timeline"))
        #expect((#expect(throws: LakeError.self) { try Timeline.load(from: s) })?.code == .notFound)
    }

    @Test func referenceTablesTimelines() throws {
        let t = try Timeline.load(from: HudiFixtures.table("v6_simplekeygen_nonhivestyle_overwritetable"))
        #expect(
            t.completedCommits.map(\.fileName) == [
                "20240707001301554.commit", "20240707001302376.commit",
                "20240707001303088.replacecommit",
            ])
        #expect(t.pendingInstants.isEmpty)
        #expect(t.earliestActiveTimestamp == "20240707001301554")
        let empty = try Timeline.load(from: HudiFixtures.table("v6_empty"))
        #expect(empty.instants.isEmpty)
    }
}
