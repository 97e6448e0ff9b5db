/// A server's answer to one ``AWSRequest`` (the last attempt, when it was retried).
public struct AWSResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Header fields by lowercased name.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]
    /// How many attempts were made (1 when the first answered).
    public var attempts: Int
    /// True when an earlier attempt failed in a way that may have reached the server (a reset or a
    /// timeout after the request was sent): a conditional request's `412` may then be the
    /// consequence of our own earlier attempt, and the caller must read back to know.
    public var hadAmbiguousFailure: Bool

    public init(
        status: Int, headers: [String: String], body: [UInt8], attempts: Int = 1, hadAmbiguousFailure: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
        self.hadAmbiguousFailure = hadAmbiguousFailure
    }

    /// The value of a header (name matched case-insensitively).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The request id: `x-amz-request-id` (S3) or `x-amzn-requestid` (JSON services).
    public var requestID: String? {
        headers["x-amz-request-id"] ?? headers["x-amzn-requestid"] ?? headers["x-amz-id-2"]
    }

    /// True for 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
