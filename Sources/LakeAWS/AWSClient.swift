/// The one AWS client lake shares across S3, Kinesis, DynamoDB Streams and Glue: a resolved
/// ``AWSConfiguration``, a clock for signing, and one ``AWSTransport`` (so connections, the bound on
/// parallel requests and the metrics are shared by every service).
///
/// ```swift
/// let aws = try AWSClient(configuration: .resolve(environment: ProcessInfo.processInfo.environment))
/// let s3 = S3Client(aws)
/// let bytes = try s3.getObject(bucket: "lake", key: "t/.hoodie/hoodie.properties")
/// let shards = try aws.call(.kinesis, target: "Kinesis_20131202.ListShards", body: Array(#"{"StreamName":"s"}"#.utf8))
/// print(aws.metrics)   // LIST 0, GET 1, POST 1; …
/// ```
public final class AWSClient: Sendable {
    public let configuration: AWSConfiguration
    public let transport: AWSTransport
    public let clock: AWSClock

    /// - Parameters:
    ///   - configuration: where and as whom to send requests.
    ///   - transport: the HTTP transport (shared with other clients to share its connections and bound).
    ///   - clock: the time used to sign (tests inject a fixed one).
    public init(configuration: AWSConfiguration, transport: AWSTransport = AWSTransport(), clock: AWSClock = .system) {
        self.configuration = configuration
        self.transport = transport
        self.clock = clock
    }

    /// Requests made and bytes moved through this client's transport so far.
    public var metrics: AWSRequestMetrics { transport.metrics }

    /// A transport call that signs `request` for `service` at each attempt.
    /// - Throws: `AWSError(.missingCredentials)` when there are no credentials (checked before sending).
    public func signedCall(
        _ request: AWSRequest, service: AWSService, kind: AWSRequestKind, safety: AWSRequestSafety
    ) throws(AWSError) -> AWSTransport.Call {
        let signer = SigV4Signer(
            credentials: try configuration.requireCredentials(), region: configuration.region, service: service)
        let clock = self.clock
        return AWSTransport.Call(kind: kind, safety: safety) { signer.sign(request, at: clock.now()).request }
    }

    /// Signs and sends a request (blocking), retrying as `safety` allows.
    /// - Returns: the answer, whatever its status.
    public func send(
        _ request: AWSRequest, service: AWSService, kind: AWSRequestKind, safety: AWSRequestSafety
    ) throws(AWSError) -> AWSResponse {
        try transport.send(signedCall(request, service: service, kind: kind, safety: safety))
    }

    /// Signs and sends a request (`async`), retrying as `safety` allows.
    public func send(
        _ request: AWSRequest, service: AWSService, kind: AWSRequestKind, safety: AWSRequestSafety
    ) async throws(AWSError) -> AWSResponse {
        try await transport.send(signedCall(request, service: service, kind: kind, safety: safety))
    }
}
