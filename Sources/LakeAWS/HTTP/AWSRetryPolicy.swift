/// Whether a request may be sent again after a failure whose outcome is unknown.
public enum AWSRequestSafety: Sendable, Equatable {
    /// Repeating it has the same effect as sending it once: GET, HEAD, LIST, DELETE, a PUT of a
    /// whole body, reads through the JSON services (GetRecords, DescribeStream, GetTable).
    case idempotent
    /// Repeating it is safe, but a precondition failure (`412`) after an ambiguous earlier attempt
    /// may be our own earlier attempt's success: the response says so
    /// (``AWSResponse/hadAmbiguousFailure``) and the caller resolves it by reading back
    /// (``S3Client/putObject(bucket:key:body:contentType:ifNoneMatch:)`` compares the stored bytes).
    case conditional
    /// Sent again only when it surely did not take effect: the connection was refused before
    /// sending, or the service answered with throttling (which is a refusal to do the work).
    case notRepeatable
}

/// When and how long to wait before a request is sent again: jittered exponential backoff
/// ("full jitter": a uniformly random wait in `[0, min(cap, base × 2^attempt)]`).
///
/// Retried: HTTP 500, 502, 503, 504 and 429; the error codes in ``throttlingCodes`` and
/// ``transientCodes`` (any status); connections refused, reset or timed out — each only as the
/// request's ``AWSRequestSafety`` allows. Throttling waits start from ``throttlingBase`` (longer).
public struct AWSRetryPolicy: Sendable {
    /// Attempts in all, the first included (1 disables retries).
    public var maxAttempts: Int
    /// The first backoff ceiling for transient failures, in seconds.
    public var base: Double
    /// The first backoff ceiling after throttling, in seconds.
    public var throttlingBase: Double
    /// The largest wait, in seconds.
    public var cap: Double

    public init(maxAttempts: Int = 6, base: Double = 0.05, throttlingBase: Double = 0.5, cap: Double = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.base = base
        self.throttlingBase = throttlingBase
        self.cap = cap
    }

    /// No retries.
    public static let none = AWSRetryPolicy(maxAttempts: 1)

    /// Service error codes that mean "slow down" (retried with the throttling backoff).
    public static let throttlingCodes: Set<String> = [
        "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "LimitExceededException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled", "TransactionInProgressException",
        "EC2ThrottledException", "PriorRequestNotComplete",
    ]

    /// Service error codes of transient server-side failures (retried with the normal backoff).
    public static let transientCodes: Set<String> = [
        "InternalError", "InternalFailure", "InternalServerError", "InternalServiceException", "ServiceUnavailable",
        "RequestTimeout", "RequestTimeoutException", "IDPCommunicationError",
    ]

    /// What one failed attempt means for the next.
    public enum Outcome: Sendable, Equatable {
        /// Send again after a throttling wait.
        case retryThrottled
        /// Send again after a normal wait.
        case retryTransient
        /// Do not send again; hand the answer (or error) to the caller.
        case fail
    }

    /// Classifies an answer from the server.
    public static func classify(status: Int, serviceCode: String?, safety: AWSRequestSafety) -> Outcome {
        if let code = serviceCode, throttlingCodes.contains(code) { return .retryThrottled }
        if status == 429 { return .retryThrottled }
        if status == 503 { return .retryThrottled }  // S3's SlowDown is a 503; a busy server too
        let transient = (serviceCode.map { transientCodes.contains($0) } ?? false) || [500, 502, 504].contains(status)
        if transient { return safety == .notRepeatable ? .fail : .retryTransient }
        return .fail
    }

    /// Classifies a failure to get an answer. `reachedServer` is false when the connection was
    /// refused or the host unknown (nothing was sent).
    public static func classify(transportFailureReachedServer reachedServer: Bool, safety: AWSRequestSafety) -> Outcome
    {
        if !reachedServer { return .retryTransient }
        return safety == .notRepeatable ? .fail : .retryTransient
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1), in seconds.
    public func delay(afterAttempt attempt: Int, throttled: Bool, random: Double) -> Double {
        let start = throttled ? throttlingBase : base
        let ceiling = min(cap, start * Double(1 << min(attempt - 1, 20)))
        return ceiling * min(max(random, 0), 1)
    }
}
