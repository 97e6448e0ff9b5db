import Dispatch
import Foundation
import LakeTestSupport
import Testing

@testable import LakeAWS

/// Retries against real failures: a server stopped and started again mid-sequence, and a proxy in
/// front of the real server that resets connections or answers SlowDown.
@Suite(.serialized) struct S3RetryTests {
    /// A proxy (Tests/LakeAWSTests/flaky_proxy.py) in front of `upstream` following `plan`.
    static func proxy(upstream: Int, plan: [String]) throws -> ServerProcess {
        let port = ServerProcess.freePorts(1)[0]
        return try ServerProcess(
            name: "flaky-proxy", executable: RepositoryPaths.venv("python"),
            arguments: [
                RepositoryPaths.root + "/Tests/LakeAWSTests/flaky_proxy.py", String(port), String(upstream),
                plan.joined(separator: ","),
            ],
            readinessPort: port, readinessPath: "/__proxy_ready",
            directory: ServerProcess.temporaryDirectory("lake-proxy"))
    }

    static func client(endpoint: String, retry: AWSRetryPolicy) throws -> S3Client {
        var environment = [
            "AWS_ACCESS_KEY_ID": LocalS3Server.accessKeyID, "AWS_SECRET_ACCESS_KEY": LocalS3Server.secretAccessKey,
            "AWS_REGION": "us-east-1", "HOME": "/nonexistent",
        ]
        environment["AWS_ENDPOINT_URL"] = endpoint
        let transport = AWSTransport(options: .init(requestTimeout: 20, retry: retry))
        return S3Client(
            AWSClient(configuration: try AWSConfiguration.resolve(environment: environment), transport: transport))
    }

    @Test func aServerStoppedMidSequenceIsWaitedFor() throws {
        let server = try LocalS3Server()
        defer { server.shutdown() }
        let s3 = try Self.client(endpoint: server.endpoint, retry: AWSRetryPolicy(maxAttempts: 40, base: 0.2, cap: 1))
        try s3.createBucket("restart")
        _ = try s3.putObject(bucket: "restart", key: "a", body: Array("before".utf8))

        server.server.stop()
        let outcome = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            outcome.set(Result { try s3.getObject(bucket: "restart", key: "a") })
            done.signal()
        }
        Thread.sleep(forTimeInterval: 1.5)
        try server.server.start(timeout: 90)
        done.wait()
        #expect(try outcome.get() == Array("before".utf8))
        #expect(s3.aws.metrics.retries >= 1, "\(s3.aws.metrics)")
        // And writes go on after the restart.
        #expect(try s3.putObject(bucket: "restart", key: "b", body: [1], ifNoneMatch: true) != .alreadyExists)
    }

    @Test func resetsAndSlowDownAreRetried() throws {
        let server = try LocalS3Server.shared()
        let direct = try Self.client(endpoint: server.endpoint, retry: AWSRetryPolicy())
        try direct.createBucket("flaky")
        _ = try direct.putObject(bucket: "flaky", key: "k", body: Array("value".utf8))

        let proxy = try Self.proxy(upstream: server.port, plan: ["reset", "slowdown", "reset"])
        defer { proxy.shutdown() }
        let s3 = try Self.client(
            endpoint: "http://127.0.0.1:\(proxy.readinessPort)",
            retry: AWSRetryPolicy(maxAttempts: 5, base: 0.01, throttlingBase: 0.05))
        #expect(try s3.getObject(bucket: "flaky", key: "k") == Array("value".utf8))
        let metrics = s3.aws.metrics
        #expect(metrics.requests[.get] == 4)
        #expect(metrics.retries == 3)
        #expect(metrics.throttled == 1)
        #expect(metrics.failures == 0)
    }

    @Test func slowDownOutlastingTheRetriesIsAThrottledError() throws {
        let server = try LocalS3Server.shared()
        let proxy = try Self.proxy(upstream: server.port, plan: ["slowdown", "slowdown", "slowdown"])
        defer { proxy.shutdown() }
        let s3 = try Self.client(
            endpoint: "http://127.0.0.1:\(proxy.readinessPort)",
            retry: AWSRetryPolicy(maxAttempts: 3, throttlingBase: 0.02))
        let error = #expect(throws: AWSError.self) { try s3.getObject(bucket: "flaky", key: "k") }
        #expect(error?.code == .throttled)
        #expect(error?.serviceCode == "SlowDown")
        #expect(error?.message.contains("after 3 attempts") == true)
    }

    @Test func anAmbiguousConditionalPutIsResolvedByReadingBack() throws {
        let server = try LocalS3Server.shared()
        let direct = try Self.client(endpoint: server.endpoint, retry: AWSRetryPolicy())
        try direct.createBucket("ambiguous")

        // The first attempt reaches the server and writes; its answer is lost to a reset. The retry
        // is refused with 412 — by our own write. Reading back tells: created.
        let proxy = try Self.proxy(upstream: server.port, plan: ["forward-reset"])
        defer { proxy.shutdown() }
        let s3 = try Self.client(
            endpoint: "http://127.0.0.1:\(proxy.readinessPort)", retry: AWSRetryPolicy(maxAttempts: 4, base: 0.01))
        let body = Array("instant 20240101000000000".utf8)
        let result = try s3.putObject(bucket: "ambiguous", key: ".hoodie/1.commit", body: body, ifNoneMatch: true)
        #expect(result == .created(etag: nil))
        #expect(s3.aws.metrics.requests[.put] == 2)
        #expect(s3.aws.metrics.requests[.get] == 1, "the read-back")
        // Another writer's body at the same key: refused, and reading back says so.
        #expect(
            try s3.putObject(bucket: "ambiguous", key: ".hoodie/1.commit", body: Array("other".utf8), ifNoneMatch: true)
                == .alreadyExists)
        #expect(try direct.getObject(bucket: "ambiguous", key: ".hoodie/1.commit") == body)
    }

    @Test func notRepeatableRequestsAreNotRetriedAfterAReset() throws {
        let server = try LocalS3Server.shared()
        let proxy = try Self.proxy(upstream: server.port, plan: ["reset"])
        defer { proxy.shutdown() }
        let s3 = try Self.client(
            endpoint: "http://127.0.0.1:\(proxy.readinessPort)", retry: AWSRetryPolicy(maxAttempts: 5, base: 0.01))
        let request = try s3.objectRequest("GET", bucket: "flaky", key: "k")
        let error = #expect(throws: AWSError.self) {
            try s3.aws.send(request, service: .s3, kind: .get, safety: .notRepeatable)
        }
        #expect(error?.code == .transport)
        #expect(s3.aws.metrics.requests[.get] == 1)
    }

    @Test func aRefusedConnectionFailsClearlyAfterItsRetries() throws {
        let port = ServerProcess.freePorts(1)[0]  // nothing listens there
        let s3 = try Self.client(
            endpoint: "http://127.0.0.1:\(port)", retry: AWSRetryPolicy(maxAttempts: 3, base: 0.01))
        let error = #expect(throws: AWSError.self) { try s3.getObject(bucket: "b-lake", key: "k") }
        #expect(error?.code == .transport)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("after 3 attempts") == true)
        #expect(s3.aws.metrics.requests[.get] == 3)
        #expect(s3.aws.metrics.failures == 1)
    }

    @Test func backoffIsJitteredExponentialAndCapped() {
        let policy = AWSRetryPolicy(maxAttempts: 10, base: 0.1, throttlingBase: 1, cap: 5)
        #expect(policy.delay(afterAttempt: 1, throttled: false, random: 1) == 0.1)
        #expect(policy.delay(afterAttempt: 3, throttled: false, random: 1) == 0.4)
        #expect(policy.delay(afterAttempt: 3, throttled: false, random: 0.5) == 0.2)
        #expect(policy.delay(afterAttempt: 2, throttled: true, random: 1) == 2)
        #expect(policy.delay(afterAttempt: 9, throttled: true, random: 1) == 5)
        #expect(
            AWSRetryPolicy.classify(
                status: 400, serviceCode: "ProvisionedThroughputExceededException", safety: .notRepeatable)
                == .retryThrottled)
        #expect(
            AWSRetryPolicy.classify(status: 400, serviceCode: "LimitExceededException", safety: .idempotent)
                == .retryThrottled)
        #expect(AWSRetryPolicy.classify(status: 500, serviceCode: nil, safety: .notRepeatable) == .fail)
        #expect(AWSRetryPolicy.classify(status: 500, serviceCode: nil, safety: .conditional) == .retryTransient)
        #expect(
            AWSRetryPolicy.classify(status: 403, serviceCode: "SignatureDoesNotMatch", safety: .idempotent) == .fail)
        #expect(AWSRetryPolicy.classify(status: 412, serviceCode: "PreconditionFailed", safety: .conditional) == .fail)
    }
}

/// A result handed from a background thread.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<[UInt8], any Error>?
    func set(_ value: Result<[UInt8], any Error>) {
        lock.lock()
        self.value = value
        lock.unlock()
    }
    func get() throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return try value!.get()
    }
}
