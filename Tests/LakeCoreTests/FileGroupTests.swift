import Testing
@testable import LakeCore

@Suite struct FileGroupTests {
    func slice(_ instant: String, id: String = "f-0", partition: String = "p=1", size: Int64 = 10) throws -> FileSlice {
        FileSlice(
            partitionPath: partition, baseFile: try BaseFile(fileId: id, writeToken: "0-0-0", instantTime: instant),
            size: size)
    }

    @Test func slicesStayOrderedAndAsOfPicksGreatestNotAfter() throws {
        var g = FileGroup(partitionPath: "p=1", fileId: "f-0")
        try g.add(slice("20250101000000003"))
        try g.add(slice("20250101000000001"))
        try g.add(slice("20250101000000002"))
        #expect(g.slices.map(\.instantTime) == ["20250101000000001", "20250101000000002", "20250101000000003"])
        #expect(g.slice(asOf: "20250101000000000") == nil)
        #expect(g.slice(asOf: "20250101000000001")?.instantTime == "20250101000000001")
        #expect(g.slice(asOf: "20250101000000002500")?.instantTime == "20250101000000002")
        #expect(g.slice(asOf: "20250101000000002")?.instantTime == "20250101000000002")
        #expect(g.slice(asOf: "20991231000000000")?.instantTime == "20250101000000003")
        #expect(g.latestSlice?.path == "p=1/f-0_0-0-0_20250101000000003.parquet")
        #expect(g.id == FileGroupID(partitionPath: "p=1", fileId: "f-0"))
    }

    @Test func duplicateInstantAndForeignSlicesAreRejected() throws {
        var g = FileGroup(partitionPath: "p=1", fileId: "f-0")
        try g.add(slice("20250101000000001"))
        let dup = FileSlice(
            partitionPath: "p=1",
            baseFile: try BaseFile(fileId: "f-0", writeToken: "1-2-3", instantTime: "20250101000000001"), size: 1)
        let e = #expect(throws: LakeError.self) { try g.add(dup) }
        #expect(e?.code == .corruptTable)
        #expect(e?.message.contains("already present") == true)
        #expect(
            (#expect(throws: LakeError.self) { try g.add(slice("20250101000000002", id: "g-0")) })?.code
                == .invalidArgument)
        #expect(
            (#expect(throws: LakeError.self) { try g.add(slice("20250101000000002", partition: "p=2")) })?.code
                == .invalidArgument)
    }

    @Test func buildGroupsFromListing() throws {
        let files: [(partitionPath: String, fileName: String, size: Int64)] = [
            ("p=1", "a-0_0-0-0_20250101000000001.parquet", 1),
            ("p=1", "a-0_0-0-0_20250101000000002.parquet", 2),
            ("p=1", "b-0_0-0-0_20250101000000002.parquet", 3),
            ("p=2", "a-0_0-0-0_20250101000000001.parquet", 4),
            ("p=1", ".hoodie_partition_metadata", 0),
            ("p=1", "_SUCCESS", 0),
            ("p=1", "a-0_0-0-0_20250101000000001.parquet.crc", 0),
            ("p=1", ".a-0_0-0-0_20250101000000003.parquet.lake-tmp-1-x", 0),
        ]
        let groups = try FileGroup.build(from: files)
        #expect(groups.count == 3)
        let a1 = try #require(groups[FileGroupID(partitionPath: "p=1", fileId: "a-0")])
        #expect(a1.slices.map(\.size) == [1, 2])
        #expect(groups[FileGroupID(partitionPath: "p=2", fileId: "a-0")]?.slices.count == 1)
        let bad = #expect(throws: LakeError.self) { try FileGroup.build(from: [("", "part-0000.parquet", 1)]) }
        #expect(bad?.message.contains("part-0000.parquet") == true)
    }

    @Test func referenceTableFileGroups() throws {
        let storage = try HudiFixtures.table("v6_simplekeygen_nonhivestyle_overwritetable")
        let files = try storage.walkFiles(under: "").filter { !$0.path.hasPrefix(".hoodie") }
            .map { (partitionPath: StoragePath.parent($0.path), fileName: $0.name, size: $0.size) }
        let groups = try FileGroup.build(from: files)
        #expect(groups.count == 4)
        let g10 = try #require(
            groups[FileGroupID(partitionPath: "10", fileId: "4f2685a3-614f-49ca-9b2b-e1cb9fb61f27-0")])
        #expect(g10.slices.map(\.instantTime) == ["20240707001301554", "20240707001302376"])
        #expect(g10.slice(asOf: "20240707001301554")?.baseFile.writeToken == "1-74-111")
        // The replacecommit replaces every earlier group; only its own group remains live.
        let timeline = try Timeline.load(from: storage)
        let replace = try timeline.commitMetadata(of: timeline.latestCompleted!, in: storage)
        let live = Set(groups.keys).subtracting(replace.replacedFileGroups)
        #expect(live == [FileGroupID(partitionPath: "30", fileId: "ebcb261d-62d3-4895-90ec-5b3c9622dff4-0")])
    }
}
