import Foundation

extension S3Client {
    /// A request for an object, addressed as ``Options/addressingStyle`` says.
    /// - Throws: `AWSError(.invalidRequest)` for an empty key, a key with a `.` or `..` segment (HTTP
    ///   clients resolve those before sending, so the wrong object would be addressed), or an invalid
    ///   bucket name.
    func objectRequest(_ method: String, bucket: String, key: String) throws(AWSError) -> AWSRequest {
        guard !key.isEmpty else {
            throw AWSError(.invalidRequest, "\(method) s3://\(bucket)/: the object key is empty")
        }
        if key.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
            throw AWSError(
                .invalidRequest,
                "\(method) s3://\(bucket)/\(key): keys with '.' or '..' path segments are not supported")
        }
        var request = try bucketRequest(method, bucket: bucket)
        let encodedKey = AWSURIEncoding.encode(key, keepingSlash: true)
        request.encodedPath = request.encodedPath == "/" ? "/" + encodedKey : request.encodedPath + "/" + encodedKey
        return request
    }

    /// A request for a bucket (path `/bucket` path-style, `/` virtual-hosted).
    func bucketRequest(_ method: String, bucket: String) throws(AWSError) -> AWSRequest {
        guard Self.isValidBucketName(bucket) else {
            throw AWSError(
                .invalidRequest,
                "'\(bucket)' is not a valid S3 bucket name (3–63 characters: lower-case letters, digits, '.', '-')")
        }
        var endpoint = try aws.configuration.endpoint(for: .s3)
        let pathStyle: Bool
        switch options.addressingStyle {
        case .path: pathStyle = true
        case .virtualHosted: pathStyle = false
        case .automatic: pathStyle = endpoint.isCustom || bucket.contains(".")
        }
        if pathStyle {
            return AWSRequest(
                method: method, endpoint: endpoint, encodedPath: "/" + bucket, signsPayload: options.signsPayload)
        }
        endpoint.host = bucket + "." + endpoint.host
        return AWSRequest(method: method, endpoint: endpoint, encodedPath: "/", signsPayload: options.signsPayload)
    }

    static func isValidBucketName(_ name: String) -> Bool {
        guard (3...63).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x2D || b == 0x5F
        }
    }

    /// The typed error of an S3 answer that was not a success, naming the operation, the object and
    /// the endpoint.
    func error(_ response: AWSResponse, _ operation: String, bucket: String, key: String?) -> AWSError {
        let body = AWSErrorBody(response: response)
        let target = "s3://\(bucket)" + (key.map { "/\($0)" } ?? "")
        let endpoint = (try? aws.configuration.endpoint(for: .s3))?.description ?? "?"
        let detail = body.message.map { ": \($0)" } ?? ""
        let code: AWSError.Code
        var message: String
        switch (body.code, response.status) {
        case ("SignatureDoesNotMatch", _), ("IncompleteSignature", _), ("AuthorizationHeaderMalformed", _):
            code = .signatureRejected
            let who = aws.configuration.credentials.map { "\($0)" } ?? "none"
            message =
                "the S3 server at \(endpoint) refused the signature of \(operation) \(target): check "
                + "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); credentials: \(who) "
                + "from \(aws.configuration.credentialSource)"
        case ("InvalidAccessKeyId", _):
            code = .signatureRejected
            message =
                "the S3 server at \(endpoint) does not know the access key of \(operation) \(target): check "
                + "AWS_ACCESS_KEY_ID (credentials from \(aws.configuration.credentialSource))"
        case ("AccessDenied", _), (nil, 403):
            code = .accessDenied
            let who = aws.configuration.credentials.map { "\($0)" } ?? "none"
            message =
                "the S3 server at \(endpoint) denied \(operation) \(target)\(detail)"
                + (body.code == nil
                    ? " (no error body: a wrong secret or a missing permission; check AWS_SECRET_ACCESS_KEY and "
                        + "AWS_ACCESS_KEY_ID — credentials: \(who) from \(aws.configuration.credentialSource))"
                    : "")
        case ("NoSuchKey", _), ("NoSuchBucket", _), ("NoSuchUpload", _), (nil, 404):
            code = .notFound
            message =
                body.code == "NoSuchBucket"
                ? "\(operation) \(target): the bucket '\(bucket)' does not exist at \(endpoint)"
                : "\(operation) \(target): no such object at \(endpoint)"
        case ("PreconditionFailed", _), (_, 412):
            code = .preconditionFailed
            message = "\(operation) \(target): a precondition failed at \(endpoint)\(detail)"
        case ("InvalidRange", _), (_, 416):
            code = .invalidRequest
            message = "\(operation) \(target): the requested range is outside the object\(detail)"
        case (let c?, _) where AWSRetryPolicy.throttlingCodes.contains(c):
            code = .throttled
            message = "\(operation) \(target) still throttled (\(c)) by \(endpoint) after \(response.attempts) attempts"
        case (_, 503), (_, 429):
            code = .throttled
            message = "\(operation) \(target) still refused as busy by \(endpoint) after \(response.attempts) attempts"
        default:
            code = .serviceError
            message =
                "\(operation) \(target) failed at \(endpoint) with \(body.code ?? "HTTP \(response.status)")\(detail)"
        }
        return AWSError(code, message, status: response.status, serviceCode: body.code, requestID: response.requestID)
    }
}
