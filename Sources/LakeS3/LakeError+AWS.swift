import LakeAWS
import LakeCore

extension LakeError {
    /// An S3 failure as the storage contract's error: the operation and table-relative path first,
    /// then the AWS message (which names `s3://bucket/key`, the endpoint, the HTTP status and the
    /// S3 error code such as `NoSuchKey` or `SignatureDoesNotMatch`). The ``AWSError`` is the cause.
    ///
    /// `notFound` → `.notFound`; a rejected signature, an unknown key, access denied or missing
    /// credentials → `.accessDenied`; a bad configuration or request → `.invalidArgument`;
    /// everything else (transport failures, throttling after retries, server errors) → `.io`.
    init(s3 error: AWSError, _ operation: String, _ path: String) {
        let code: LakeError.Code
        switch error.code {
        case .notFound: code = .notFound
        case .signatureRejected, .accessDenied, .missingCredentials: code = .accessDenied
        case .configuration, .invalidRequest: code = .invalidArgument
        case .preconditionFailed, .throttled, .serviceError, .transport, .invalidResponse: code = .io
        }
        let shown = path.isEmpty ? "<table root>" : path
        self.init(code, "\(operation) \(shown): \(error.description)", cause: error)
    }
}
