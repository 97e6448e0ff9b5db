import Foundation
import Testing
@testable import LakeCore

@Suite struct CommitMetadataTests {
    static func sample() -> HoodieCommitMetadata {
        var m = HoodieCommitMetadata(operationType: .upsert)
        var s = HoodieWriteStat(
            fileId: "6b3f1b9e-2b1a-4c58-9a51-0d1c1f6a0001-0",
            path: "p=1/6b3f1b9e-2b1a-4c58-9a51-0d1c1f6a0001-0_0-0-0_20250101120000000.parquet",
            partitionPath: "p=1", prevCommit: "20250101110000000",
            numWrites: 10, numDeletes: 1, numUpdateWrites: 2, numInserts: 3,
            totalWriteBytes: 3825, fileSizeInBytes: 3825,
            runtimeStats: .init(totalScanTime: 1, totalUpsertTime: 2, totalCreateTime: 3))
        m.add(s, partition: "p=1")
        s.fileId = "new-0"
        s.path = "p=2/new-0_0-0-0_20250101120000000.parquet"
        s.partitionPath = "p=2"
        s.previousInstant = nil
        m.add(s, partition: "p=2")
        m.schema =
            #"{"type":"record","name":"t_record","namespace":"hoodie.t","fields":[{"name":"id","type":["null","long"],"default":null}]}"#
        return m
    }

    @Test func roundTrips() throws {
        let m = Self.sample()
        let back = try HoodieCommitMetadata(json: m.jsonData())
        #expect(back == m)
        #expect(back.partitionToWriteStats["p=2"]?.first?.prevCommit == "null")
        #expect(back.partitionToWriteStats["p=2"]?.first?.previousInstant == nil)
        #expect(back.partitionToWriteStats["p=1"]?.first?.previousInstant == "20250101110000000")
    }

    @Test func writesJavaLayoutAndTypes() throws {
        let text = String(decoding: Self.sample().jsonData(), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"partitionToWriteStats\" : {\n    \"p=1\" : [ {\n      \"fileId\" : \"6b3f1b9e"))
        #expect(text.contains("\"prevCommit\" : \"null\","))
        #expect(text.contains("\"tempPath\" : null,"))
        #expect(text.contains("\"cdcStats\" : null,"))
        #expect(text.contains("\"minEventTime\" : null,\n      \"maxEventTime\" : null,"))
        #expect(text.contains("\"runtimeStats\" : {\n        \"totalScanTime\" : 1,"))
        #expect(
            text.contains(
                "  \"compacted\" : false,\n  \"extraMetadata\" : {\n    \"schema\" : \"{\\\"type\\\":\\\"record\\\""))
        #expect(text.hasSuffix("  \"operationType\" : \"UPSERT\"\n}"))
        #expect(!text.contains("partitionToReplaceFileIds"))
        // Field order of a write stat is Java's.
        let keys = [
            "fileId", "path", "cdcStats", "prevCommit", "numWrites", "numDeletes", "numUpdateWrites",
            "numInserts", "totalWriteBytes", "totalWriteErrors", "tempPath", "partitionPath",
            "totalLogRecords", "totalLogFilesCompacted", "totalLogSizeCompacted",
            "totalUpdatedRecordsCompacted", "totalLogBlocks", "totalCorruptLogBlock",
            "totalRollbackBlocks", "fileSizeInBytes", "minEventTime", "maxEventTime", "runtimeStats",
        ]
        var last = text.startIndex
        for k in keys {
            let r = try #require(text.range(of: "\"\(k)\" :", range: last..<text.endIndex), "\(k)")
            last = r.upperBound
        }
        // The JSON types a reader checks.
        let obj = try #require(JSONSerialization.jsonObject(with: Data(Self.sample().jsonData())) as? [String: Any])
        let stats = try #require((obj["partitionToWriteStats"] as? [String: Any])?["p=1"] as? [[String: Any]])
        #expect(stats[0]["numWrites"] as? Int == 10)
        #expect(stats[0]["tempPath"] is NSNull)
        #expect((obj["extraMetadata"] as? [String: String])?["schema"] != nil)
    }

    @Test func replaceCommitCarriesReplacedFileIds() throws {
        var m = HoodieCommitMetadata(
            operationType: .insertOverwriteTable,
            partitionToReplaceFileIds: ["10": ["a-0", "b-0"], "20": []])
        m.add(
            HoodieWriteStat(fileId: "c-0", path: "30/c-0_0-1-2_20250101000000000.parquet", partitionPath: "30"),
            partition: "30")
        let text = String(decoding: m.jsonData(), as: UTF8.self)
        #expect(
            text.contains(
                "\"partitionToReplaceFileIds\" : {\n    \"10\" : [ \"a-0\", \"b-0\" ],\n    \"20\" : [ ]\n  }"))
        let back = try HoodieCommitMetadata(json: m.jsonData())
        #expect(back == m)
        #expect(
            back.replacedFileGroups == [
                FileGroupID(partitionPath: "10", fileId: "a-0"), FileGroupID(partitionPath: "10", fileId: "b-0"),
            ])
        #expect(back.touchedFileGroups == [FileGroupID(partitionPath: "30", fileId: "c-0")])
        #expect(WriteOperationType.insertOverwriteTable.isReplace && !WriteOperationType.upsert.isReplace)
    }

    @Test func minimalAndUnknownKeysAreAccepted() throws {
        let json = #"""
            {"partitionToWriteStats":{"p":[{"fileId":"f-0","path":"p/f-0_1-2-3_20250101000000000.parquet","futureField":[1,2],"runtimeStats":{"totalScanTime":5,"extra":true}}]},
             "extraMetadata":{"schema":"{}","checkpoint":"42"},"somethingNew":{"a":1},"operationType":"cluster"}
            """#
        let m = try HoodieCommitMetadata(json: Array(json.utf8))
        let s = try #require(m.partitionToWriteStats["p"]?.first)
        #expect(s.fileId == "f-0" && s.numWrites == 0 && s.prevCommit == "null" && s.partitionPath == nil)
        #expect(s.runtimeStats == .init(totalScanTime: 5))
        #expect(m.extraMetadata == ["schema": "{}", "checkpoint": "42"])
        #expect(m.operationType?.rawValue == "cluster")
        #expect(m.compacted == false)
        #expect(m.partitionToReplaceFileIds == nil)
    }

    @Test(arguments: [
        (#"{"partitionToWriteStats":{"p":[{"fileId":"f","numWrites":"2"}]}}"#, "numWrites"),
        (#"{"partitionToWriteStats":{"p":[{"path":"x"}]}}"#, "missing fileId"),
        (#"{"partitionToWriteStats":{"p":{"fileId":"f"}}}"#, "expected an array"),
        (#"{"partitionToWriteStats":[]}"#, "partitionToWriteStats"),
        (#"{"compacted":"no"}"#, "compacted"),
        (#"{"extraMetadata":{"schema":1}}"#, "extraMetadata.schema"),
        (#"{"partitionToReplaceFileIds":{"p":[1]}}"#, "partitionToReplaceFileIds"),
        (#"{"partitionToWriteStats":{"p":[{"fileId":"f","numWrites":1.5}]}}"#, "numWrites"),
        (#"{}"#, "empty"),
        (#""#, "empty"),
        ("  \n", "empty"),
        (#"[1,2]"#, "expected a JSON object"),
        (#"{"partitionToWriteStats":"#, "invalid JSON"),
    ])
    func malformedMetadataIsRejected(json: String, mention: String) {
        let e = #expect(throws: LakeError.self) {
            try HoodieCommitMetadata(json: Array(json.utf8), source: ".hoodie/x.commit")
        }
        #expect(e?.code == .corruptTable)
        #expect(e?.message.contains(mention) == true, "\(e?.message ?? "")")
        #expect(e?.message.contains(".hoodie/x.commit") == true)
    }

    /// Every Java-written completed and inflight JSON instant parses, and re-encoding gives the
    /// same JSON value (same keys, values and types) as the Java file.
    @Test(arguments: HudiFixtures.tableNames)
    func javaFilesParseAndReencodeIdentically(table: String) throws {
        let storage = try HudiFixtures.table(table)
        let timeline = try Timeline.load(from: storage)
        for instant in timeline.instants where instant.state != .requested {
            let path = Timeline.path(of: instant)
            let bytes = try storage.read(path)
            let m = try HoodieCommitMetadata(json: bytes, source: path)
            // The same document, whatever the key order (Java and lake may order keys differently).
            let original = try JSONValue.parse(bytes, what: path).sortingKeys()
            let ours = try JSONValue.parse(m.jsonData(), what: "re-encoded").sortingKeys()
            #expect(ours == original, "\(path)")
            if instant.state == .completed {
                #expect(m.operationType == (instant.action == .replacecommit ? .insertOverwriteTable : .upsert))
                #expect(m.schema != nil)
            } else {
                #expect(m.extraMetadata.isEmpty)
            }
        }
    }

    @Test func javaReplaceCommitContent() throws {
        let storage = try HudiFixtures.table("v6_simplekeygen_nonhivestyle_overwritetable")
        let m = try HoodieCommitMetadata(json: storage.read(".hoodie/20240707001303088.replacecommit"))
        #expect(
            m.partitionToReplaceFileIds == [
                "30": ["d398fae1-c0e6-4098-8124-f55f7098bdba-0"],
                "20": ["88163884-fef0-4aab-865d-c72327a8a1d5-0"],
                "10": ["4f2685a3-614f-49ca-9b2b-e1cb9fb61f27-0"],
            ])
        let stat = try #require(m.partitionToWriteStats["30"]?.first)
        #expect(stat.fileId == "ebcb261d-62d3-4895-90ec-5b3c9622dff4-0")
        #expect(stat.numInserts == 1 && stat.fileSizeInBytes == 441392)
        #expect(stat.runtimeStats?.totalCreateTime == 83)
        let c2 = try HoodieCommitMetadata(json: storage.read(".hoodie/20240707001302376.commit"))
        #expect(c2.partitionToWriteStats["10"]?.first?.prevCommit == "20240707001301554")
        #expect(c2.partitionToWriteStats["30"]?.first?.prevCommit == "null")
    }

    @Test func operationTypeNames() {
        #expect(WriteOperationType.allKnown.map(\.rawValue).contains("INSERT_OVERWRITE_TABLE"))
        #expect(WriteOperationType(rawValue: "BULK_INSERT") == .bulkInsert)
        #expect(WriteOperationType.deletePartition.rawValue == "DELETE_PARTITION")
        #expect(Set(WriteOperationType.allKnown).count == WriteOperationType.allKnown.count)
    }

    @Test func jsonStringEscaping() {
        var s: [UInt8] = []
        JSONWriter.appendString("a\"b\\c\nd\u{01}é", to: &s)
        #expect(String(decoding: s, as: UTF8.self) == #""a\"b\\c\nd\u0001é""#)
        let v = JSONValue.object(pairs: [
            ("a", .array([.int(1), .bool(true), .null, .double(1.5)])), ("b", .object(pairs: [])),
        ])
        #expect(v.compactText == #"{"a":[1,true,null,1.5],"b":{}}"#)
        #expect(v.prettyText == "{\n  \"a\" : [ 1, true, null, 1.5 ],\n  \"b\" : { }\n}")
    }
}

extension JSONValue {
    /// The document with every object's members sorted by key (the last of duplicates kept).
    func sortingKeys() -> JSONValue {
        switch self {
        case .array(let items): return .array(items.map { $0.sortingKeys() })
        case .object(let members):
            var byKey: [String: JSONValue] = [:]
            for m in members { byKey[m.key] = m.value.sortingKeys() }
            return .object(byKey.keys.sorted().map { JSONMember($0, byKey[$0]!) })
        default: return self
        }
    }
}
