import Foundation
import Testing
@testable import LakeCore

/// Table locations: local paths pass, URI schemes lake cannot serve are refused before anything
/// is created (no local folder named `s3:`).
@Suite struct TableLocationTests {
    @Test(arguments: [
        ("/data/t", "/data/t"), ("data/t", "data/t"), ("./s3:odd/t", "./s3:odd/t"), ("t", "t"),
        ("file:///data/t", "/data/t"), ("file:/data/t", "/data/t"), ("file://localhost/data/t", "/data/t"),
        ("1:x", "1:x"), ("/a:b/c", "/a:b/c"),
    ])
    func localPaths(text: String, path: String) throws {
        #expect(try TableLocation(parsing: text).localPath == path)
    }

    @Test(arguments: [
        "s3://bucket/t", "S3A://bucket/t", "gs://b/t", "hdfs://nn/t", "s3:/bucket/t", "s3:bucket",
        "file://otherhost/t", "file://", "",
    ])
    func refused(text: String) {
        let e = #expect(throws: LakeError.self) { try TableLocation(parsing: text) }
        #expect(e?.code == .invalidArgument)
    }

    @Test func objectStorageSaysSo() {
        let e = #expect(throws: LakeError.self) { try TableLocation(parsing: "s3://bucket/t") }
        #expect(e?.message.contains("object storage (s3://) is not supported yet") == true)
    }

    @Test func createAndOpenRefuseWithoutTouchingTheFileSystem() throws {
        let dir = TempDir()
        let existedBefore = FileManager.default.fileExists(atPath: "s3:")
        let config = TableConfig(name: "t", recordKeyFields: ["id"])
        #expect(throws: LakeError.self) { try Table.create(at: "s3://bucket/t", config: config) }
        #expect(throws: LakeError.self) { try Table.open("s3://bucket/t") }
        #expect(FileManager.default.fileExists(atPath: "s3:") == existedBefore)
        let t = try Table.create(at: "file://" + dir.sub("local"), config: config)
        #expect(t.path == dir.sub("local"))
        #expect(try Table.open("file://" + dir.sub("local")).config.name == "t")
    }
}
