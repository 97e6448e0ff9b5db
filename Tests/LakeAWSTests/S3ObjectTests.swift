import Dispatch
import Foundation
import LakeTestSupport
import Testing

@testable import LakeAWS

/// S3 operations against a real, signature-checking S3 server (SeaweedFS, started by the test).
@Suite struct S3ObjectTests {
    static func client(_ server: LocalS3Server, options: AWSTransport.Options = .init()) throws -> S3Client {
        let configuration = try AWSConfiguration.resolve(environment: server.environment)
        return S3Client(AWSClient(configuration: configuration, transport: AWSTransport(options: options)))
    }

    /// A fresh bucket on the shared server.
    static func bucket(_ s3: S3Client, _ name: String) throws -> String {
        let bucket = "\(name)-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        return bucket
    }

    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    @Test func putGetHeadRangeDelete() throws {
        let server = try LocalS3Server.shared()
        let s3 = try Self.client(server)
        let bucket = try Self.bucket(s3, "objects")
        let body = Self.bytes(10_000, seed: 1)
        for key in ["plain.bin", "dir/with space/a+b~c%41 (1).parquet", "unicode/日本/é😀.json", "x/y/z"] {
            let put = try s3.putObject(bucket: bucket, key: key, body: body, contentType: "application/vnd.lake.test")
            guard case .created = put else {
                Issue.record("put \(key): \(put)")
                continue
            }
            #expect(try s3.getObject(bucket: bucket, key: key) == body, "\(key)")
            let info = try #require(try s3.headObject(bucket: bucket, key: key))
            #expect(info.size == 10_000)
            #expect(info.contentType == "application/vnd.lake.test")
        }
        #expect(
            try s3.getObject(bucket: bucket, key: "plain.bin", range: .closed(first: 100, last: 199))
                == Array(body[100..<200]))
        #expect(try s3.getObject(bucket: bucket, key: "plain.bin", range: .from(9_990)) == Array(body[9_990...]))
        #expect(try s3.getObject(bucket: bucket, key: "plain.bin", range: .suffix(8)) == Array(body[(10_000 - 8)...]))

        let missing = #expect(throws: AWSError.self) { try s3.getObject(bucket: bucket, key: "no/such.key") }
        #expect(missing?.code == .notFound)
        #expect(missing?.message.contains("s3://\(bucket)/no/such.key") == true)
        #expect(try s3.headObject(bucket: bucket, key: "no/such.key") == nil)

        let empty = try s3.putObject(bucket: bucket, key: "empty", body: [], contentType: "text/plain")
        #expect(empty != .alreadyExists)
        #expect(try s3.getObject(bucket: bucket, key: "empty") == [])
        #expect(try s3.headObject(bucket: bucket, key: "empty")?.contentType == "text/plain")

        try s3.deleteObject(bucket: bucket, key: "plain.bin")
        #expect(try s3.headObject(bucket: bucket, key: "plain.bin") == nil)
        try s3.deleteObject(bucket: bucket, key: "plain.bin")  // deleting a missing key succeeds

        let noBucket = #expect(throws: AWSError.self) { try s3.getObject(bucket: "no-such-bucket-lake", key: "k") }
        #expect(noBucket?.code == .notFound)
        #expect(throws: AWSError.self) { try s3.getObject(bucket: bucket, key: "a/../b") }
    }

    @Test func listingWithDelimiterAndPagination() throws {
        let server = try LocalS3Server.shared()
        let s3 = try Self.client(server, options: .init(maxConcurrentRequests: 8))
        let bucket = try Self.bucket(s3, "listing")
        let keys =
            (0..<1_100).map { i in "t/\(i % 2 == 0 ? "a" : "b")/file-\(String(format: "%05d", i)) +~.parquet" }
            + ["t/top.json", "other/x"]
        let failures = ErrorBox()
        // Blocking calls from many threads at once: must neither deadlock nor exceed the bound.
        DispatchQueue.concurrentPerform(iterations: keys.count) { i in
            do { _ = try s3.putObject(bucket: bucket, key: keys[i], body: Array(keys[i].utf8)) } catch {
                failures.add(error)
            }
        }
        #expect(failures.errors.isEmpty, "\(failures.errors.prefix(3))")

        let before = s3.aws.metrics
        let all = try s3.listAllObjects(bucket: bucket, prefix: "t/")
        let listed = s3.aws.metrics - before
        #expect(
            all.objects.map(\.key)
                == keys.filter { $0.hasPrefix("t/") }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(all.objects.allSatisfy { $0.size == Int64($0.key.utf8.count) })
        #expect(listed.requests[.list] == 2, "1,101 keys take two pages: \(listed)")

        let first = try s3.listObjects(bucket: bucket, prefix: "t/", maxKeys: 1000)
        #expect(first.objects.count == 1000)
        let token = try #require(first.nextContinuationToken)
        let second = try s3.listObjects(bucket: bucket, prefix: "t/", continuationToken: token)
        #expect(second.objects.count == 101)
        #expect(second.nextContinuationToken == nil)

        let folders = try s3.listAllObjects(bucket: bucket, prefix: "t/", delimiter: "/")
        #expect(folders.commonPrefixes == ["t/a/", "t/b/"])
        #expect(folders.objects.map(\.key) == ["t/top.json"])
        let root = try s3.listAllObjects(bucket: bucket, delimiter: "/")
        #expect(root.commonPrefixes == ["other/", "t/"])
    }

    @Test func putIfAbsentHasExactlyOneWinner() throws {
        let server = try LocalS3Server.shared()
        let s3 = try Self.client(server)
        let bucket = try Self.bucket(s3, "race")
        for round in 0..<3 {
            let key = ".hoodie/2024010100000\(round).commit"
            let results = ResultsBox(count: 16)
            DispatchQueue.concurrentPerform(iterations: 16) { writer in
                results.set(
                    writer,
                    Result {
                        try s3.putObject(
                            bucket: bucket, key: key, body: Array("writer \(writer)".utf8), ifNoneMatch: true)
                    })
            }
            let outcomes = try results.values.map { try $0!.get() }
            let winners = outcomes.indices.filter {
                if case .created = outcomes[$0] { return true } else { return false }
            }
            #expect(winners.count == 1, "round \(round): \(outcomes)")
            #expect(outcomes.filter { $0 == .alreadyExists }.count == 15)
            if let winner = winners.first {
                #expect(try s3.getObject(bucket: bucket, key: key) == Array("writer \(winner)".utf8))
            }
        }
    }

    @Test func multipartUploadOfALargeObject() throws {
        let server = try LocalS3Server.shared()
        let s3 = try Self.client(server)
        let bucket = try Self.bucket(s3, "multipart")
        let body = Self.bytes(37 << 20, seed: 7)  // 37 MiB: five 8 MiB parts
        let before = s3.aws.metrics
        let put = try s3.putObject(bucket: bucket, key: "big/base.parquet", body: body, ifNoneMatch: true)
        let used = s3.aws.metrics - before
        guard case .created(let etag) = put else {
            Issue.record("multipart put: \(put)")
            return
        }
        #expect(etag?.hasSuffix("-5") == true, "a multipart ETag names its part count: \(etag ?? "nil")")
        #expect(used.requests[.put] == 5)
        #expect(used.requests[.post] == 2)  // create + complete
        #expect(used.bytesSent >= Int64(body.count))
        #expect(try s3.headObject(bucket: bucket, key: "big/base.parquet")?.size == Int64(body.count))
        #expect(try s3.getObject(bucket: bucket, key: "big/base.parquet") == body)
        let tail = try s3.getObject(bucket: bucket, key: "big/base.parquet", range: .suffix(1 << 20))
        #expect(tail == Array(body[(body.count - (1 << 20))...]))

        // An explicit upload, aborted: nothing appears.
        let upload = try s3.createMultipartUpload(bucket: bucket, key: "big/aborted")
        _ = try s3.uploadPart(upload, number: 1, body: Self.bytes(5 << 20, seed: 8))
        try s3.abortMultipartUpload(upload)
        #expect(try s3.headObject(bucket: bucket, key: "big/aborted") == nil)
    }

    @Test func wrongSecretIsRefusedWithAClearError() throws {
        let server = try LocalS3Server.shared()
        let good = try Self.client(server)
        let bucket = try Self.bucket(good, "auth")
        _ = try good.putObject(bucket: bucket, key: "k", body: [1, 2, 3])
        var environment = server.environment
        environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret"
        let bad = S3Client(AWSClient(configuration: try AWSConfiguration.resolve(environment: environment)))
        let error = #expect(throws: AWSError.self) { try bad.getObject(bucket: bucket, key: "k") }
        #expect(error?.code == .signatureRejected)
        #expect(error?.status == 403)
        #expect(error?.message.contains("refused the signature") == true)
        #expect(error?.message.contains("AWS_SECRET_ACCESS_KEY") == true)
        #expect(error?.message.contains("s3://\(bucket)/k") == true)
        #expect(error?.message.contains("wrong-secret") == false)
        #expect(bad.aws.metrics.retries == 0, "a refused signature is not retried")

        environment["AWS_ACCESS_KEY_ID"] = "NOSUCHKEY"
        let unknown = S3Client(AWSClient(configuration: try AWSConfiguration.resolve(environment: environment)))
        let unknownError = #expect(throws: AWSError.self) {
            try unknown.putObject(bucket: bucket, key: "k2", body: [1])
        }
        #expect(unknownError?.code == .signatureRejected)
        #expect(unknownError?.message.contains("AWS_ACCESS_KEY_ID") == true)
    }

    @Test func asyncCallsShareTheClient() async throws {
        let server = try LocalS3Server.shared()
        let s3 = try Self.client(server)
        let bucket = try Self.bucket(s3, "async")
        _ = try s3.putObject(bucket: bucket, key: "a", body: [42])
        let request = try s3.objectRequest("GET", bucket: bucket, key: "a")
        let responses = try await withThrowingTaskGroup(of: AWSResponse.self) { group in
            for _ in 0..<20 {
                group.addTask { try await s3.aws.send(request, service: .s3, kind: .get, safety: .idempotent) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(responses.allSatisfy { $0.status == 200 && $0.body == [42] })
    }
}

/// Errors collected from concurrent work.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var errors: [any Error] = []
    func add(_ error: any Error) {
        lock.lock()
        errors.append(error)
        lock.unlock()
    }
}

/// Results collected from concurrent writers.
final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<S3PutResult, any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<S3PutResult, any Error>) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}
