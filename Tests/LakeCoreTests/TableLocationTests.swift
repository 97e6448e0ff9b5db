import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

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
        "gs://b/t", "hdfs://nn/t", "s3:/bucket/t", "s3:bucket", "s3://Bucket/t", "s3://b/t", "s3://bucket/a/../t",
        "s3://bucket/a//t", "s3://", "file://otherhost/t", "file://", "",
    ])
    func refused(text: String) {
        let e = #expect(throws: LakeError.self) { try TableLocation(parsing: text) }
        #expect(e?.code == .invalidArgument)
    }

    @Test(arguments: [
        ("s3://bucket/t", "bucket", "t", "s3://bucket/t"), ("S3A://bucket/a/b/", "bucket", "a/b", "s3://bucket/a/b"),
        ("s3://my.bucket-1", "my.bucket-1", "", "s3://my.bucket-1"),
        ("s3://bucket//x/", "bucket", "x", "s3://bucket/x"),
    ])
    func s3Locations(text: String, bucket: String, prefix: String, shown: String) throws {
        let location = try TableLocation(parsing: text)
        #expect(location == .s3(bucket: bucket, prefix: prefix))
        #expect(location.description == shown && location.localPath == nil)
        #expect(try TableLocation(parsing: shown) == location)
    }

    @Test func otherObjectStoresSaySo() {
        let e = #expect(throws: LakeError.self) { try TableLocation(parsing: "gs://bucket/t") }
        #expect(e?.message.contains("object storage other than S3 (gs://) is not supported") == true)
    }

    /// Without object storage registered (LakeCore alone), `s3://` is refused before anything is
    /// created, saying how to enable it; the Lake library and the CLI register it. (Registration is
    /// process-wide and other suites in this process register S3, so the unregistered resolver is
    /// called directly; `Table.create(at:)`/`open(_:)` go through it.)
    @Test func createAndOpenRefuseWithoutTouchingTheFileSystem() throws {
        let dir = TemporaryDirectory()
        let existedBefore = FileManager.default.fileExists(atPath: "s3:")
        let config = TableConfig(name: "t", recordKeyFields: ["id"])
        let s3 = try TableLocation(parsing: "s3://bucket/t")
        let e = #expect(throws: LakeError.self) { _ = try TableStorageResolver.storage(for: s3, factory: nil) }
        #expect(e?.code == .unsupported && e?.message.contains("S3StorageFactory.register()") == true)
        #expect(throws: LakeError.self) { try Table.create(at: "gs://bucket/t", config: config) }
        #expect(throws: LakeError.self) { try Table.open("gs://bucket/t") }
        #expect(FileManager.default.fileExists(atPath: "s3:") == existedBefore)
        let t = try Table.create(at: "file://" + dir.sub("local"), config: config)
        #expect(t.path == dir.sub("local"))
        #expect(try Table.open("file://" + dir.sub("local")).config.name == "t")
    }
}
