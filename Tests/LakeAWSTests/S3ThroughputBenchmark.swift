import Dispatch
import Foundation
import LakeAWS
import LakeTestSupport
import Testing

/// GET/PUT throughput and requests per second against the local SeaweedFS, with connection reuse,
/// for docs/aws.md. Runs only with `LAKE_AWS_BENCH=1` (it asserts no timings; it prints them):
///
///     LAKE_AWS_BENCH=1 swift test --filter S3ThroughputBenchmark
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LAKE_AWS_BENCH"] == "1"))
struct S3ThroughputBenchmark {
    static func measure(
        _ label: String, requests: Int, bytes: Int, threads: Int, _ body: @Sendable @escaping (Int) throws -> Void
    ) rethrows {
        let start = DispatchTime.now().uptimeNanoseconds
        let failures = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var i = thread
            while i < requests {
                do { try body(i) } catch { failures.add(error) }
                i += threads
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mb = Double(bytes) / 1e6
        print(
            String(
                format: "bench %@: %d requests, %d threads: %.2f s, %.0f requests/s, %.1f MB/s%@", label, requests,
                threads,
                seconds, Double(requests) / seconds, mb / seconds,
                failures.errors.isEmpty ? "" : " (\(failures.errors.count) failed)"))
    }

    @Test func throughput() throws {
        let server = try LocalS3Server.shared()
        let configuration = try AWSConfiguration.resolve(environment: server.environment)
        let s3 = S3Client(
            AWSClient(configuration: configuration, transport: AWSTransport(options: .init(maxConcurrentRequests: 16))))
        try s3.createBucket("bench")
        let small = [UInt8](repeating: 7, count: 4096)
        let large = [UInt8](repeating: 9, count: 8 << 20)
        for threads in [1, 8] {
            let n = 400
            try Self.measure("PUT 4 KiB", requests: n, bytes: n * small.count, threads: threads) { i in
                _ = try s3.putObject(bucket: "bench", key: "small/\(threads)/\(i)", body: small)
            }
            try Self.measure("GET 4 KiB", requests: n, bytes: n * small.count, threads: threads) { i in
                _ = try s3.getObject(bucket: "bench", key: "small/\(threads)/\(i)")
            }
        }
        for threads in [1, 8] {
            let n = 16
            try Self.measure("PUT 8 MiB", requests: n, bytes: n * large.count, threads: threads) { i in
                _ = try s3.putObject(bucket: "bench", key: "large/\(threads)/\(i)", body: large)
            }
            try Self.measure("GET 8 MiB", requests: n, bytes: n * large.count, threads: threads) { i in
                _ = try s3.getObject(bucket: "bench", key: "large/\(threads)/\(i)")
            }
        }
        var options = s3.options
        options.signsPayload = false
        let unsigned = S3Client(s3.aws, options: options)
        try Self.measure("PUT 8 MiB UNSIGNED-PAYLOAD", requests: 16, bytes: 16 * large.count, threads: 1) { i in
            _ = try unsigned.putObject(bucket: "bench", key: "large/u/\(i)", body: large)
        }
        // Without connection reuse: a new transport (URLSession, connection) per request.
        try Self.measure("GET 4 KiB, new connection each", requests: 200, bytes: 200 * small.count, threads: 1) { i in
            let fresh = S3Client(AWSClient(configuration: configuration))
            _ = try fresh.getObject(bucket: "bench", key: "small/1/\(i)")
        }
        print("bench metrics: \(s3.aws.metrics)")
    }
}
