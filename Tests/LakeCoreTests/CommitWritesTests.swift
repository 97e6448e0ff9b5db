import Foundation
import Testing
import LakeTestSupport
@testable import LakeCore

/// ``CommitWrites``: the fast path (``CommitWritesSkimmer``) and the validating decode read the
/// same write stats from every commit file — lake's, Java's, and odd but valid JSON — and a
/// damaged file is refused naming it.
@Suite struct CommitWritesTests {
    static func both(
        _ json: [UInt8]
    ) throws -> (
        fast: ([CommitWrites.Write], [FileGroupID])?,
        slow: ([CommitWrites.Write], [FileGroupID])
    ) {
        let fast = json.withUnsafeBytes { CommitWritesSkimmer.skim($0) }
        let slow = try json.withUnsafeBytes { raw in Result { () throws(LakeError) in try CommitWrites.decode(raw) } }
            .get()
        return (fast, slow)
    }

    static func expectSame(
        _ json: [UInt8], fastPath: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let (fast, slow) = try both(json)
        if fastPath { #expect(fast != nil, "the fast path gave up", sourceLocation: sourceLocation) }
        if let fast {
            #expect(fast.0 == slow.0 && fast.1 == slow.1, sourceLocation: sourceLocation)
        }
    }

    @Test func randomCommitMetadataReadsTheSameBothWays() throws {
        var rng = SplitMix(seed: 10)
        for round in 0..<200 {
            var meta = HoodieCommitMetadata()
            let partitions = ["", "region=eu", "a=%2F/b=ü", "p=\"q\""]
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let p = partitions.randomElement(using: &rng)!
                let id = "\(UUID().uuidString.lowercased())-\(Int.random(in: 0...9, using: &rng))"
                var stat = HoodieWriteStat(
                    fileId: id, path: Bool.random(using: &rng) ? "\(p)/\(id)_0-0-0_2025.parquet" : nil,
                    partitionPath: p, numWrites: Int64.random(in: 0...1_000_000, using: &rng),
                    fileSizeInBytes: Int64.random(in: 0...Int64(1) << 40, using: &rng))
                stat.cdcStats = Bool.random(using: &rng) ? ["x": 1, "y": -2] : nil
                meta.add(stat, partition: p)
            }
            if round % 3 == 0 { meta.partitionToReplaceFileIds = ["region=eu": ["a-0", "b-1"], "": []] }
            meta.extraMetadata["schema"] = #"{"type":"record","name":"t","fields":[{"name":"a\"b","type":"string"}]}"#
            meta.extraMetadata["lake.note"] = "ü \u{1} \\ / \"quoted\""
            let json = meta.jsonData()
            // Partition keys with a quote need an escape: the fast path gives up on those.
            let escaped =
                meta.partitionToWriteStats.keys.contains { $0.contains("\"") }
                || (meta.partitionToReplaceFileIds?.keys.contains { $0.contains("\"") } ?? false)
            try Self.expectSame(json, fastPath: !escaped)
            let (_, slow) = try Self.both(json)
            #expect(slow.0.count == meta.allWriteStats.count)
        }
    }

    @Test func oddButValidJSON() throws {
        let docs = [
            #"{"partitionToWriteStats":{"p":[{"fileId":"f-0","path":"p/f-0_1-0-0_1.parquet","numWrites":3,"fileSizeInBytes":10}]}}"#,
            "{ \"compacted\" : false ,\n\t\"partitionToWriteStats\" : { } , \"extraMetadata\" : { \"a\" : [ 1 , 2.5e3 , -0.0 , true , null , { } ] } }",
            #"{"partitionToWriteStats":null,"partitionToReplaceFileIds":null,"operationType":"UPSERT"}"#,
            #"{"partitionToWriteStats":{"p":null,"q":[]},"x":"\u00fc\n\"\\"}"#,
            #"{"partitionToWriteStats":{"p":[{"fileId":"f-0","path":null,"numWrites":null,"fileSizeInBytes":-1}]}}"#,
        ]
        for d in docs { try Self.expectSame(Array(d.utf8)) }
        // Escapes where a value is needed, an exponent in numWrites: the validating path decides.
        try Self.expectSame(
            Array(#"{"partitionToWriteStats":{"p":[{"fileId":"f\u002d0","path":"x"}]}}"#.utf8), fastPath: false)
        let e = #expect(throws: LakeError.self) {
            _ = try CommitWrites(
                instant: "1", json: Array(#"{"partitionToWriteStats":{"p":[{"fileId":"f","numWrites":1e3}]}}"#.utf8),
                source: ".hoodie/1.commit")
        }
        #expect(e?.code == .corruptTable && e?.message.contains(".hoodie/1.commit") == true)
    }

    @Test func damagedCommitFilesAreRefused() throws {
        let good = Array(#"{"partitionToWriteStats":{"p":[{"fileId":"f-0","path":"p/f-0_1-0-0_1.parquet"}]}}"#.utf8)
        #expect(try CommitWrites(instant: "1", json: good, source: "c").writes.count == 1)
        for bad in [
            "", "{}", "{\"partitionToWriteStats\":{\"p\":[{\"path\":\"x\"}]}}",
            String(decoding: good.dropLast(3), as: UTF8.self),
            "{\"partitionToWriteStats\":{\"p\":[{\"fileId\":\"f\"}]}} trailing",
        ] {
            let e = #expect(throws: LakeError.self, "\(bad)") {
                _ = try CommitWrites(instant: "1", json: Array(bad.utf8), source: ".hoodie/1.commit")
            }
            #expect(e?.code == .corruptTable)
        }
    }

    @Test func javaCommitFilesReadTheSameBothWays() throws {
        var files = 0
        for name in HudiFixtures.tableNames {
            let storage = try HudiFixtures.table(name)
            for e in try storage.list(Timeline.metaFolder) where !e.isDirectory {
                guard let i = Instant(fileName: e.name), i.state == .completed, i.action.isWrite else { continue }
                let bytes = try storage.read(e.path)
                guard bytes.first == UInt8(ascii: "{") else { continue }
                try Self.expectSame(bytes)
                files += 1
            }
        }
        #expect(files >= 9)
    }
}
