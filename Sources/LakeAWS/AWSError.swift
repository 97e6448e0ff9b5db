/// The one error type of LakeAWS (configuration, signing, HTTP transport, S3 and the JSON-protocol
/// services).
///
/// Carries a stable ``Code`` callers match on, a message that names the offending value (bucket,
/// key, service, target, status, profile, file), and — when a server answered — the HTTP status, the
/// service's own error code (`NoSuchKey`, `SlowDown`, `ProvisionedThroughputExceededException`…) and
/// the request id to quote to the provider.
public struct AWSError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, stable across releases (callers and the CLI map these to exit codes).
    public enum Code: String, Sendable, Equatable {
        /// The AWS configuration is unusable: a named profile is missing, a file is malformed, an
        /// endpoint URL does not parse, a profile asks for a credential provider lake lacks.
        case configuration
        /// No credentials were found, or only half of a key pair.
        case missingCredentials
        /// The server refused the request's signature (`SignatureDoesNotMatch`,
        /// `InvalidAccessKeyId`, `IncompleteSignature`): the secret or key id is wrong.
        case signatureRejected
        /// The credentials are valid but not allowed to do this (`AccessDenied`, HTTP 403).
        case accessDenied
        /// The bucket, key, stream, table or upload does not exist (`NoSuchKey`, `NoSuchBucket`,
        /// `ResourceNotFoundException`, HTTP 404).
        case notFound
        /// A precondition failed (`PreconditionFailed`, HTTP 412) that was not expected by the call.
        case preconditionFailed
        /// The service kept throttling after every retry (`SlowDown`, `ThrottlingException`,
        /// `ProvisionedThroughputExceededException`, `LimitExceededException`, HTTP 429/503).
        case throttled
        /// The service answered with an error not covered above (4xx or 5xx after retries).
        case serviceError
        /// The connection failed, was reset or timed out, after every retry allowed.
        case transport
        /// The request could not be built (a key lake refuses to send, an invalid range).
        case invalidRequest
        /// The server's answer could not be understood (malformed XML or JSON, missing fields).
        case invalidResponse
    }

    public var code: Code
    public var message: String
    /// The HTTP status, when a server answered.
    public var status: Int?
    /// The service's error code (`NoSuchKey`, `SlowDown`, `ResourceNotFoundException`…), when given.
    public var serviceCode: String?
    /// The request id the service returned (`x-amz-request-id` / `x-amzn-RequestId`), when given.
    public var requestID: String?
    /// The underlying error (a `URLError`, a parser error), when there is one.
    public var cause: (any Error & Sendable)?

    public init(
        _ code: Code, _ message: String, status: Int? = nil, serviceCode: String? = nil,
        requestID: String? = nil, cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.serviceCode = serviceCode
        self.requestID = requestID
        self.cause = cause
    }

    /// The message, followed by the status, service code and request id when known.
    public var description: String {
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let serviceCode { details.append(serviceCode) }
        if let requestID, !requestID.isEmpty { details.append("request id \(requestID)") }
        return details.isEmpty ? message : "\(message) (\(details.joined(separator: ", ")))"
    }
}
