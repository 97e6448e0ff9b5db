import Foundation
import LakeAWS
import LakeCore
import LakeS3
import LakeTestSupport
import Testing

/// Tables on a real S3 server (SeaweedFS, signature checking on, started once for the test process
/// and stopped by pid at exit): `s3://` locations through the registered factory, errors that name
/// the key and the S3 error code, refused credentials with their own error code, and writes whose
/// request count follows the partitions they touch, not the table.
@Suite struct S3TableTests {
    static let bucket = "lake-s3-tests"
    static let schema = TableSchema([.string("id", nullable: false), .int64("ts"), .string("region")])

    /// A client for the shared server (its own, so its request counts are this test's), bucket made.
    static func client(secret: String = LocalS3Server.secretAccessKey) throws -> S3Client {
        let server = try LocalS3Server.shared()
        var environment = server.environment
        environment["AWS_SECRET_ACCESS_KEY"] = secret
        let client = S3Client(AWSClient(configuration: try AWSConfiguration.resolve(environment: environment)))
        if secret == LocalS3Server.secretAccessKey { try client.createBucket(bucket) }
        return client
    }

    static func unique() -> String { "t-" + UUID().uuidString.lowercased() }

    static func rows(_ ids: Range<Int>, ts: Int, regions: Int) -> RecordBatch {
        var text = ""
        for i in ids { text += "{\"id\":\"k\(i)\",\"ts\":\(ts),\"region\":\"r\(i % regions)\"}\n" }
        return try! TableInput.jsonLines(Array(text.utf8), name: "rows", tableSchema: schema)
    }

    static func count(_ table: Table) throws -> Int { try table.read().reduce(0) { $0 + $1.rowCount } }

    @Test func aTableAtAnS3LocationIsCreatedWrittenAndReopened() throws {
        let server = try LocalS3Server.shared()
        _ = try Self.client()
        S3StorageFactory.register(environment: server.environment)
        let url = "s3://\(Self.bucket)/\(Self.unique())/customers"
        let config = TableConfig(
            name: "customers", recordKeyFields: ["id"], partitionFields: ["region"],
            precombineField: "ts")
        let created = try Table.create(at: url, config: config, schema: Self.schema)
        #expect(created.path == url && created.storage is S3Storage)
        let first = try created.write(Self.rows(0..<100, ts: 1, regions: 4), operation: .upsert)
        try created.write(Self.rows(50..<150, ts: 2, regions: 4), operation: .upsert)

        let reopened = try Table.open(url)
        #expect(try Self.count(reopened) == 150)
        #expect(reopened.timeline.completedCommits.count == 2)
        let storage = try #require(reopened.storage as? S3Storage)
        #expect(try storage.exists(".hoodie/\(first.instant).commit"))
        #expect(
            Set(try storage.list("").map(\.path)) == [".hoodie", "region=r0", "region=r1", "region=r2", "region=r3"])
        // Nothing but published objects: no open multipart uploads, no temporary names.
        #expect(try storage.client.listMultipartUploads(bucket: Self.bucket, prefix: storage.prefix + "/").isEmpty)
        #expect(throws: LakeError.self) { try Table.create(at: url, config: config, schema: Self.schema) }
    }

    @Test func aMissingObjectNamesTheKeyAndTheS3ErrorCode() throws {
        let prefix = Self.unique()
        let storage = S3Storage(bucket: Self.bucket, prefix: prefix, client: try Self.client())
        let e = #expect(throws: LakeError.self) { try storage.read(".hoodie/nope.commit") }
        #expect(e?.code == .notFound)
        #expect(e?.message.contains("s3://\(Self.bucket)/\(prefix)/.hoodie/nope.commit") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("NoSuchKey") == true || e?.message.contains("HTTP 404") == true)
        #expect((e?.cause as? AWSError)?.code == .notFound)
        let bucketless = S3Storage(bucket: "no-such-bucket-lake", prefix: "t", client: try Self.client())
        let b = #expect(throws: LakeError.self) { try bucketless.read("x") }
        #expect(b?.code == .notFound && b?.message.contains("no-such-bucket-lake") == true)
    }

    @Test func aWrongSecretIsRefusedAsAccessDenied() throws {
        _ = try Self.client()
        let wrong = S3Storage(
            bucket: Self.bucket, prefix: Self.unique(), client: try Self.client(secret: "wrong-secret"))
        let config = TableConfig(name: "t", recordKeyFields: ["id"])
        let e = #expect(throws: LakeError.self) { try Table.create(in: wrong, config: config, schema: Self.schema) }
        #expect(e?.code == .accessDenied, "\(e?.message ?? "")")
        #expect(e?.message.contains("AWS_SECRET_ACCESS_KEY") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains(LocalS3Server.secretAccessKey) == false)
        #expect(e?.message.contains("wrong-secret") == false)
    }

    /// Planning a write lists only the partitions the batch touches: a micro-batch into 2 of 10
    /// partitions and into 2 of 200 makes the same number of requests of every kind.
    @Test func aWritesRequestsFollowTheBatchNotTheTable() throws {
        func requests(partitions: Int) throws -> StorageRequestCounts {
            let storage = S3Storage(bucket: Self.bucket, prefix: Self.unique(), client: try Self.client())
            let table = try Table.create(
                in: storage, config: TableConfig(name: "t", recordKeyFields: ["id"], partitionFields: ["region"]),
                schema: Self.schema)
            try table.write(Self.rows(0..<(partitions * 2), ts: 1, regions: partitions), operation: .upsert)
            let before = storage.requestCounts
            // Keys k0, k1 (regions r0, r1) updated, k_new inserted into r0.
            var batch = "{\"id\":\"k0\",\"ts\":2,\"region\":\"r0\"}\n{\"id\":\"k1\",\"ts\":2,\"region\":\"r1\"}\n"
            batch += "{\"id\":\"new\",\"ts\":2,\"region\":\"r0\"}\n"
            let rows = try TableInput.jsonLines(Array(batch.utf8), name: "batch", tableSchema: Self.schema)
            try Table.open(storage: storage).write(rows, operation: .upsert)
            var d = storage.requestCounts - before
            d.bytesRead = 0
            d.bytesWritten = 0
            return d
        }
        let small = try requests(partitions: 10)
        let large = try requests(partitions: 200)
        #expect(small == large, "10 partitions: \(small); 200 partitions: \(large)")
        #expect(small.put > 0 && small.list > 0)
    }
}
