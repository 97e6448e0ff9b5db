import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// The Java-written reference tables (`../shared/fixtures/hudi-java-v6-cow/*.zip`), unzipped
/// once per test process into a temporary directory.
enum HudiFixtures {
    static let tableNames = [
        "v6_complexkeygen_hivestyle", "v6_empty", "v6_nonpartitioned",
        "v6_simplekeygen_nonhivestyle", "v6_simplekeygen_nonhivestyle_overwritetable",
    ]

    /// The package root, found from this file's path (`<root>/Tests/LakeCoreTests/<file>`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let zipDirectory: URL = packageRoot.appendingPathComponent("../shared/fixtures/hudi-java-v6-cow")
        .standardizedFileURL

    private static let extraction: Result<URL, any Error> = Result {
        let dir = URL(fileURLWithPath: TemporaryDirectory.create(prefix: "lake-hudi-fixtures"), isDirectory: true)
        for name in tableNames {
            let zip = zipDirectory.appendingPathComponent(name + ".zip")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
            p.arguments = ["-q", "-o", zip.path, "-d", dir.path]
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw LakeError(.io, "unzip \(zip.path) failed with status \(p.terminationStatus)")
            }
        }
        return dir
    }

    /// Storage rooted at one unzipped reference table.
    static func table(_ name: String) throws -> LocalStorage {
        let root = try extraction.get()
        return LocalStorage(root: root.appendingPathComponent(name).path)
    }

    /// The raw bytes of a file of a reference table.
    static func read(_ table: String, _ path: String) throws -> [UInt8] {
        try self.table(table).read(path)
    }
}

/// Whole-directory checks over every reference table: every name in `.hoodie/` and every base
/// file parses, and every completed instant's metadata reads.
@Suite struct TimelineFixtureTests {
    @Test(arguments: HudiFixtures.tableNames)
    func everyHoodieEntryIsUnderstood(table: String) throws {
        let storage = try HudiFixtures.table(table)
        let entries = try storage.list(Timeline.metaFolder)
        for e in entries {
            if e.isDirectory {
                #expect([".aux", ".schema", ".temp", "archived"].contains(e.name), "unexpected directory \(e.path)")
                continue
            }
            if e.name == "hoodie.properties" { continue }
            let instant = try #require(Instant(fileName: e.name), "\(e.name) does not parse as an instant")
            #expect(instant.fileName == e.name)
        }
    }

    @Test(arguments: HudiFixtures.tableNames)
    func everyCompletedInstantHasReadableMetadataAndSchema(table: String) throws {
        let storage = try HudiFixtures.table(table)
        let timeline = try Timeline.load(from: storage)
        let config = try TableConfig.load(from: storage)
        for instant in timeline.completedCommits {
            let meta = try timeline.commitMetadata(of: instant, in: storage)
            #expect(meta.operationType != nil)
            let schemaText = try #require(meta.schema)
            let schema = try AvroSchema(json: schemaText)
            #expect(schema.jsonString == schemaText, "Avro rendering differs from Java's for \(instant.fileName)")
            #expect(schema.record?.name == config.name + "_record")
            for stat in meta.allWriteStats {
                let path = try #require(stat.path)
                let base = try BaseFile(fileName: StoragePath.fileName(path))
                #expect(base.fileId == stat.fileId)
                #expect(base.instantTime == instant.timestamp)
                #expect(try storage.size(path) == stat.fileSizeInBytes)
            }
        }
        if timeline.completedCommits.isEmpty {
            #expect(try timeline.latestSchema(in: storage) == nil)
        } else {
            #expect(try timeline.latestSchema(in: storage)?.instant == timeline.latestCompleted)
        }
    }

    @Test(arguments: HudiFixtures.tableNames)
    func everyBaseFileParsesAndIsCommitted(table: String) throws {
        let storage = try HudiFixtures.table(table)
        let timeline = try Timeline.load(from: storage)
        let config = try TableConfig.load(from: storage)
        let files = try storage.walkFiles(under: "").filter { !$0.path.hasPrefix(".hoodie/") }
        var parquet = 0
        for f in files where f.name.hasSuffix(".parquet") {
            parquet += 1
            let base = try BaseFile(fileName: f.name)
            #expect(base.fileName == f.name)
            #expect(timeline.isCommitted(base.instantTime))
            let partition = StoragePath.parent(f.path)
            let values = try config.partitionScheme.values(of: partition)
            #expect(values.count == config.partitionFields.count)
            #expect(try config.partitionScheme.path(for: values) == partition)
        }
        let expected = [
            "v6_complexkeygen_hivestyle": 4, "v6_empty": 0, "v6_nonpartitioned": 2,
            "v6_simplekeygen_nonhivestyle": 4, "v6_simplekeygen_nonhivestyle_overwritetable": 5,
        ]
        #expect(parquet == expected[table])
    }
}
