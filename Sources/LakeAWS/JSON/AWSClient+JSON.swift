import Foundation

extension AWSClient {
    /// The version of the AWS JSON protocol a service speaks (its `Content-Type`).
    public enum JSONVersion: String, Sendable {
        /// `application/x-amz-json-1.0` (DynamoDB, DynamoDB Streams).
        case v1_0 = "1.0"
        /// `application/x-amz-json-1.1` (Kinesis, Glue).
        case v1_1 = "1.1"
    }

    /// The JSON version each service lake uses speaks (1.1 unless known otherwise).
    public static func jsonVersion(of service: AWSService) -> JSONVersion {
        service.endpointPrefix == "dynamodb" || service.endpointPrefix == "streams.dynamodb" ? .v1_0 : .v1_1
    }

    /// Calls an operation of an AWS JSON-protocol service: `POST /` with `X-Amz-Target: <target>`
    /// and the JSON `body`, signed for `service`; retried as `safety` allows (throttling always).
    ///
    /// - Parameters:
    ///   - service: ``AWSService/kinesis``, ``AWSService/dynamoDBStreams``, ``AWSService/glue``…
    ///   - target: the full target, `Kinesis_20131202.GetRecords`.
    ///   - body: the request document (UTF-8 JSON); `{}` when empty.
    ///   - safety: ``AWSRequestSafety/idempotent`` for reads (the default),
    ///     ``AWSRequestSafety/notRepeatable`` for writes that must not be repeated blindly.
    /// - Returns: the response document's bytes (parse them with the caller's JSON reader).
    /// - Throws: `AWSError` with the service's error code (`__type`) and message, the status and the
    ///   request id; the code is ``AWSError/Code/throttled`` when throttling outlasted the retries,
    ///   ``AWSError/Code/notFound`` for `ResourceNotFoundException`/`EntityNotFoundException`,
    ///   ``AWSError/Code/signatureRejected`` and ``AWSError/Code/accessDenied`` as for S3.
    public func call(
        _ service: AWSService, target: String, body: [UInt8], safety: AWSRequestSafety = .idempotent
    ) throws(AWSError) -> [UInt8] {
        let response = try send(
            jsonRequest(service, target: target, body: body), service: service, kind: .post, safety: safety)
        return try jsonResult(response, service: service, target: target)
    }

    /// The `async` form of ``call(_:target:body:safety:)``.
    public func call(
        _ service: AWSService, target: String, body: [UInt8], safety: AWSRequestSafety = .idempotent
    ) async throws(AWSError) -> [UInt8] {
        let request = try jsonRequest(service, target: target, body: body)
        let response = try await send(request, service: service, kind: .post, safety: safety)
        return try jsonResult(response, service: service, target: target)
    }

    func jsonRequest(_ service: AWSService, target: String, body: [UInt8]) throws(AWSError) -> AWSRequest {
        let endpoint = try configuration.endpoint(for: service)
        return AWSRequest(
            method: "POST", endpoint: endpoint, encodedPath: "/",
            headers: [
                ("Content-Type", "application/x-amz-json-\(Self.jsonVersion(of: service).rawValue)"),
                ("X-Amz-Target", target),
            ],
            body: body.isEmpty ? Array("{}".utf8) : body)
    }

    func jsonResult(_ response: AWSResponse, service: AWSService, target: String) throws(AWSError) -> [UInt8] {
        if response.isSuccess { return response.body }
        let error = AWSErrorBody(response: response)
        let code = error.code ?? "HTTP \(response.status)"
        let what = "\(target) on \(service) at \((try? configuration.endpoint(for: service))?.description ?? "?")"
        let detail = error.message.map { ": \($0)" } ?? ""
        let kind: AWSError.Code
        var message = "\(what) failed with \(code)\(detail)"
        switch error.code {
        case "ResourceNotFoundException", "EntityNotFoundException", "StreamNotFound":
            kind = .notFound
        case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "SignatureDoesNotMatch", "InvalidClientTokenId":
            kind = .signatureRejected
            message =
                "\(service) refused the request's signature (\(code)) for \(target): check AWS_ACCESS_KEY_ID, "
                + "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN "
                + "(credentials: \(configuration.credentialSource))\(detail)"
        case "AccessDeniedException", "AccessDenied", "ExpiredTokenException":
            kind = .accessDenied
        case let c? where AWSRetryPolicy.throttlingCodes.contains(c):
            kind = .throttled
            message += " (still throttled after \(response.attempts) attempts)"
        default:
            kind = response.status == 429 ? .throttled : .serviceError
        }
        throw AWSError(kind, message, status: response.status, serviceCode: error.code, requestID: response.requestID)
    }
}
