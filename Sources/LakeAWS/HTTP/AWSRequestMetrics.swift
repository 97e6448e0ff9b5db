import Foundation

/// What a request is, for counting: S3 operations by their HTTP verb (a listing is `LIST`), JSON
/// calls as `POST`.
public enum AWSRequestKind: String, Sendable, CaseIterable, Comparable {
    case list = "LIST"
    case get = "GET"
    case head = "HEAD"
    case put = "PUT"
    case delete = "DELETE"
    case post = "POST"

    public static func < (a: AWSRequestKind, b: AWSRequestKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Counts of the requests a client made and the bytes it moved — a value the caller reads (and
/// subtracts: `after - before` is what one command cost) and prints.
///
/// Every attempt counts, retries included; `retries` and `throttled` say how many of them were
/// repeats and how many answers were throttling.
public struct AWSRequestMetrics: Sendable, Equatable, CustomStringConvertible {
    /// Attempts by kind.
    public var requests: [AWSRequestKind: Int] = [:]
    /// Body bytes sent (request bodies of every attempt).
    public var bytesSent: Int64 = 0
    /// Body bytes received.
    public var bytesReceived: Int64 = 0
    /// Attempts that were repeats of an earlier failed attempt.
    public var retries: Int = 0
    /// Answers that were throttling (`SlowDown`, `ThrottlingException`, 429, 503…).
    public var throttled: Int = 0
    /// Requests that failed for good (after retries), by kind.
    public var failures: Int = 0

    public init() {}

    /// All attempts of every kind.
    public var totalRequests: Int { requests.values.reduce(0, +) }

    /// The difference `self - earlier`: what happened in between.
    public static func - (a: AWSRequestMetrics, b: AWSRequestMetrics) -> AWSRequestMetrics {
        var d = AWSRequestMetrics()
        for kind in AWSRequestKind.allCases {
            let n = (a.requests[kind] ?? 0) - (b.requests[kind] ?? 0)
            if n != 0 { d.requests[kind] = n }
        }
        d.bytesSent = a.bytesSent - b.bytesSent
        d.bytesReceived = a.bytesReceived - b.bytesReceived
        d.retries = a.retries - b.retries
        d.throttled = a.throttled - b.throttled
        d.failures = a.failures - b.failures
        return d
    }

    /// `LIST 3, GET 12, PUT 4; 1.2 MB sent, 5.0 MB received; 1 retry` (kinds with no requests
    /// omitted).
    public var description: String {
        let counts = AWSRequestKind.allCases.compactMap { kind in requests[kind].map { "\(kind.rawValue) \($0)" } }
        var text = counts.isEmpty ? "no requests" : counts.joined(separator: ", ")
        text += "; \(Self.bytes(bytesSent)) sent, \(Self.bytes(bytesReceived)) received"
        if retries > 0 { text += "; \(retries) retr\(retries == 1 ? "y" : "ies")" }
        if throttled > 0 { text += "; \(throttled) throttled" }
        if failures > 0 { text += "; \(failures) failed" }
        return text
    }

    static func bytes(_ n: Int64) -> String {
        if n < 1000 { return "\(n) B" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(n) / 1000
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: "%.1f", value) + " " + units[unit]
    }
}

/// The thread-safe accumulator behind ``AWSTransport/metrics``.
final class AWSMetricsRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var value = AWSRequestMetrics()

    func record(_ update: (inout AWSRequestMetrics) -> Void) {
        lock.lock()
        update(&value)
        lock.unlock()
    }

    var snapshot: AWSRequestMetrics {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
