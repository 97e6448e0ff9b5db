import Foundation
import LakeParquet
import LakeTestSupport
import Testing

@testable import LakeCore

/// The Java-written merge-on-read tables (`../shared/fixtures/hudi-java-v6-mor/*.zip`), each
/// unzipped into its own temporary directory per call (tests change some of them).
enum MergeOnReadFixtures {
    static let zipDirectory = HudiFixtures.packageRoot.appendingPathComponent("../shared/fixtures/hudi-java-v6-mor")
        .standardizedFileURL

    /// Unzips table `name` and returns its directory.
    static func unpack(_ name: String) throws -> String {
        let dir = TemporaryDirectory.create(prefix: "lake-mor-fixture")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        p.arguments = [
            "-q", "-o", zipDirectory.appendingPathComponent(name + ".zip").path, "-d", dir, "-x", "__MACOSX/*",
        ]
        try p.run()
        p.waitUntilExit()
        return dir + "/" + name
    }

    /// The table's log files (relative paths), sorted.
    static func logFiles(_ table: String) throws -> [String] {
        try LocalStorage(root: table).walkFiles(under: "") { _ in true }.map(\.path)
            .filter { LogFile.looksLikeLogFile(StoragePath.fileName($0)) }.sorted()
    }
}

@Suite struct LogFileTests {
    @Test func namesParseAndRoundTrip() throws {
        let name = ".d0304c53-6fd2-4b7a-a9d6-5ff632f79224-0_20250331030642808.log.1_0-26-85"
        let f = try LogFile(fileName: name)
        #expect(f.fileId == "d0304c53-6fd2-4b7a-a9d6-5ff632f79224-0" && f.baseInstant == "20250331030642808")
        #expect(f.version == 1 && f.writeToken == "0-26-85" && f.fileName == name)
        let later = try LogFile(fileId: f.fileId, baseInstant: f.baseInstant, version: 2, writeToken: "0-0-1")
        #expect(f < later)
        for bad in [
            "d0304c53-0_20250331030642808.log.1_0-26-85", ".x_20250331030642808.log.one_0-1-2", ".x_2025.log.1_0-1-2",
            ".x_20250331030642808.parquet", ".x_20250331030642808.log.0_0-1-2",
        ] {
            let e = #expect(throws: LakeError.self) { try LogFile(fileName: bad) }
            #expect(e?.code == .corruptTable && e?.message.contains(bad) == true, "\(e?.message ?? "")")
        }
    }
}

@Suite struct LogBlockTests {
    static func bytes(_ table: String, _ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: table + "/" + path)))
    }

    @Test func anAvroDataBlockJavaWrote() throws {
        let t = try MergeOnReadFixtures.unpack("v6_trips_8i1u")
        let path = try #require(try MergeOnReadFixtures.logFiles(t).first)
        let bytes = try Self.bytes(t, path)
        let blocks = try LogBlock.parseAll(bytes, file: path)
        #expect(blocks.count == 1)
        let b = blocks[0]
        #expect(b.type == .avroData && b.instantTime == "20250331030645735" && b.length == bytes.count)
        #expect(b.schema?.contains("_hoodie_record_key") == true && b.footer.isEmpty && !b.isRollback)
        let records = try b.records(in: bytes, file: path)
        #expect(records.rowCount == 1)
        #expect(records.column(named: "rider").map { AvroBinaryDecoderTests.strings($0) } == ["rider-D"])
        #expect(records.column(named: "fare")?.data == .double([25.0]))
        #expect(
            records.column(named: "_hoodie_commit_time").map { AvroBinaryDecoderTests.strings($0) } == [
                "20250331030645735"
            ])
    }

    @Test func aParquetDataBlockJavaWrote() throws {
        let t = try MergeOnReadFixtures.unpack("v6_nonpartitioned")
        let path = try #require(try MergeOnReadFixtures.logFiles(t).first)
        let bytes = try Self.bytes(t, path)
        let blocks = try LogBlock.parseAll(bytes, file: path)
        #expect(blocks.map(\.type) == [.parquetData] && blocks[0].instantTime == "20250117083136333")
        let records = try blocks[0].records(in: bytes, file: path)
        #expect(records.rowCount == 1)
        #expect(records.column(named: "_hoodie_record_key").map { AvroBinaryDecoderTests.strings($0) } == ["1"])
        #expect(records.column(named: "isActive")?.data == .boolean([false]))
    }

    /// An interrupted append (a block cut short, or a size that does not match the trailing
    /// length) is a corrupt block: skipped up to the next magic, the blocks around it intact.
    @Test func corruptBlocksAreFoundAndSkipped() throws {
        let t = try MergeOnReadFixtures.unpack("v6_trips_8i1u")
        let path = try #require(try MergeOnReadFixtures.logFiles(t).first)
        let block = try Self.bytes(t, path)
        let truncated = block + block.prefix(100)
        #expect(try LogBlock.parseAll(truncated, file: "f").map(\.type) == [.avroData, .corrupt])
        var badSize = block
        badSize[13] &+= 1  // the size no longer matches the trailing total length
        let blocks = try LogBlock.parseAll(badSize + block, file: "f")
        #expect(blocks.map(\.type) == [.corrupt, .avroData])
        #expect(blocks[0].length == block.count && blocks[1].offset == block.count)
        let e = #expect(throws: LakeError.self) { try LogBlock.parseAll(Array("nope".utf8) + block, file: "f") }
        #expect(e?.code == .corruptTable && e?.message.contains("magic") == true)
    }

    @Test func serializedBlocksParseBack() throws {
        let header: [LogBlock.MetadataKey: String] = [
            .instantTime: "20250101000000000", .targetInstantTime: "20241231000000000", .commandBlockType: "0",
        ]
        let bytes = LogBlock.serialize(type: .command, header: header, content: [])
        let blocks = try LogBlock.parseAll(bytes + bytes, file: "f")
        #expect(blocks.count == 2 && blocks[0].header == header && blocks[0].isRollback)
        #expect(blocks[0].targetInstantTime == "20241231000000000" && blocks[1].offset == bytes.count)
        let v0 = [UInt8](bytes.prefix(14)) + [0, 0, 0, 0] + bytes.dropFirst(18)
        let e = #expect(throws: LakeError.self) { try LogBlock.parseAll(v0, file: "f") }
        #expect(e?.code == .unsupported && e?.message.contains("version 0") == true)
    }

    @Test func hfileAndCDCBlocksAreRefusedNotIgnored() throws {
        for type in [LogBlock.BlockType.hfileData, .cdcData] {
            let bytes = LogBlock.serialize(
                type: type, header: [.instantTime: "20250101000000000"], content: [0, 0, 0, 3])
            let block = try #require(try LogBlock.parseAll(bytes, file: "f").first)
            let e = #expect(throws: LakeError.self) { try block.records(in: bytes, file: "f") }
            #expect(e?.code == .unsupported && e?.message.contains(type.description) == true)
        }
    }
}

/// Snapshot, as-of and read-optimized reads of the Java-written merge-on-read tables.
@Suite struct MergeOnReadReadTests {
    static func rows(_ t: Table, _ o: ReadOptions = .init(), field: String = "rider") throws -> [String: String] {
        var out: [String: String] = [:]
        for b in try t.read(o) {
            let keys = AvroBinaryDecoderTests.strings(b.columns[2])
            let riders = AvroBinaryDecoderTests.strings(try #require(b.column(named: field)))
            for (k, r) in zip(keys, riders) { out[k!] = r }
        }
        return out
    }

    @Test func anUncommittedBlockIsIgnored() throws {
        let t = try Table.open(try MergeOnReadFixtures.unpack("table_uncommitted_log_v6"))
        let latest = try Self.rows(t, ReadOptions(includeMetaColumns: true))
        #expect(latest == ["a": "committed-A", "b": "rider-B", "c": "rider-C", "d": "rider-D"])
        let first = try Self.rows(t, ReadOptions(asOf: "20260815174505835", includeMetaColumns: true))
        #expect(first["a"] == "rider-A" && first["b"] == "rider-B")
        let ro = try Self.rows(t, ReadOptions(includeMetaColumns: true, readOptimized: true))
        #expect(ro == first)
    }

    /// A rollback command block undoes the blocks of its target instant.
    @Test func aRollbackCommandBlockIsHonoured() throws {
        let dir = try MergeOnReadFixtures.unpack("v6_trips_8i1u")
        let log = try #require(try MergeOnReadFixtures.logFiles(dir).first)
        let before = try Self.rows(
            try Table.open(dir), ReadOptions(includeMetaColumns: true), field: "_hoodie_commit_time")
        let rollback = LogBlock.serialize(
            type: .command,
            header: [
                .instantTime: "20250331030645735", .targetInstantTime: "20250331030645735", .commandBlockType: "0",
            ],
            content: [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/" + log))
        handle.seekToEndOfFile()
        handle.write(Data(rollback))
        try handle.close()
        let t = try Table.open(dir)
        let after = try Self.rows(t, ReadOptions(includeMetaColumns: true), field: "_hoodie_commit_time")
        let base = try Self.rows(
            t, ReadOptions(includeMetaColumns: true, readOptimized: true), field: "_hoodie_commit_time")
        #expect(after == base && after != before && after.count == 8)
    }

    @Test func thePredicateSeesMergedRows() throws {
        let t = try Table.open(try MergeOnReadFixtures.unpack("v6_trips_8i1u"))
        let p = try Predicate(parsing: "fare = 25.0")
        let merged = try t.read(ReadOptions(columns: ["rider", "fare"], predicate: p))
        #expect(merged.reduce(0) { $0 + $1.rowCount } == 1)
        #expect(merged.first.map { AvroBinaryDecoderTests.strings($0.columns[0]) } == ["rider-D"])
        let ro = try t.read(ReadOptions(columns: ["rider"], predicate: p, readOptimized: true))
        #expect(ro.reduce(0) { $0 + $1.rowCount } == 0)
        let plan = try t.plan(ReadOptions(columns: ["rider"]))
        #expect(plan.logMerge != nil && plan.slices.contains { !$0.logFiles.isEmpty })
        #expect(try t.plan(ReadOptions(readOptimized: true)).isReadOptimized)
    }
}

/// Delete blocks: the one Java wrote (from hudi-rs's test data), and deletes in a table read.
@Suite struct DeleteBlockTests {
    static let javaLog = HudiFixtures.packageRoot.appendingPathComponent("Tests/fixtures/hudi-rs/delete-block.log")

    @Test func aDeleteBlockJavaWrote() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.javaLog))
        let blocks = try LogBlock.parseAll(bytes, file: "delete-block.log")
        #expect(blocks.map(\.type) == [.delete] && blocks[0].instantTime == "20250618054714114")
        let deletes = try blocks[0].deleteRecords(in: bytes, file: "delete-block.log")
        #expect(
            deletes.map(\.recordKey) == [
                "e96c4396-3fad-413a-a942-4cb36106d721", "9909a8b1-2d15-4d3d-8ec9-efc48c536a00",
                "334e26e9-8355-45cc-97c6-c31daf0df330",
            ])
        #expect(deletes.allSatisfy { $0.partitionPath == "city=san_francisco" && $0.orderingValue == .int(0) })
        #expect(deletes.allSatisfy { $0.isNaturalOrder })
        let e = #expect(throws: LakeError.self) { try blocks[0].records(in: bytes, file: "f") }
        #expect(e?.code == .invalidArgument)
        // Kryo-serialized (block version 2) deletes are refused, not skipped.
        var v2 = bytes
        v2[blocks[0].content.lowerBound + 3] = 2
        let e2 = #expect(throws: LakeError.self) { try blocks[0].deleteRecords(in: v2, file: "f") }
        #expect(e2?.code == .unsupported && e2?.message.contains("Kryo") == true)
    }

    /// The Java delete block's content, appended to the trips table's log at its committed delta
    /// commit, removes those three keys from the snapshot — not from the read-optimized view.
    @Test func deletesRemoveKeysFromTheSnapshot() throws {
        let java = [UInt8](try Data(contentsOf: Self.javaLog))
        let block = try #require(try LogBlock.parseAll(java, file: "f").first)
        let dir = try MergeOnReadFixtures.unpack("v6_trips_8i1u")
        let log = try #require(try MergeOnReadFixtures.logFiles(dir).first)
        let delete = LogBlock.serialize(
            type: .delete, header: [.instantTime: "20250331030645735", .schema: block.schema ?? ""],
            content: Array(java[block.content]))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/" + log))
        handle.seekToEndOfFile()
        handle.write(Data(delete))
        try handle.close()
        let t = try Table.open(dir)
        let rows = try MergeOnReadReadTests.rows(t, ReadOptions(includeMetaColumns: true))
        #expect(rows.count == 5 && Set(rows.values).isDisjoint(with: ["rider-A", "rider-C", "rider-D"]))
        #expect(try MergeOnReadReadTests.rows(t, ReadOptions(includeMetaColumns: true, readOptimized: true)).count == 8)
    }
}
