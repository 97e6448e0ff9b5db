import LakeAWS
import LakeCore

/// Small helpers the typed stream wrappers share: request documents, calls whose `AWSError`
/// becomes a ``LakeError`` naming the stream, and the parsed answer.
enum StreamRequest {
    /// `{"k1":"v1","k2":"v2"}` from string members (nil values left out).
    static func body(_ members: [(String, String?)]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (k, v) in members {
            guard let v else { continue }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.appendString(v, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Calls `target` and returns the answer's bytes.
    static func call(
        _ aws: AWSClient, _ service: AWSService, _ target: String, _ body: [UInt8],
        about stream: String
    ) throws(LakeError) -> [UInt8] {
        do {
            return try aws.call(service, target: target, body: body)
        } catch {
            throw LakeError(aws: error, about: stream)
        }
    }

    /// Calls `target` and parses the (small) answer.
    static func document(
        _ aws: AWSClient, _ service: AWSService, _ target: String, _ body: [UInt8],
        about stream: String
    ) throws(LakeError) -> JSONValue {
        let bytes = try call(aws, service, target, body, about: stream)
        do throws(LakeError) {
            return try JSONValue(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw LakeError(.io, "\(stream): \(target) answered with malformed JSON: \(error.message)")
        }
    }

    /// Epoch milliseconds from an AWS JSON timestamp (epoch seconds, possibly fractional).
    static func millis(fromSeconds text: UnsafeRawBufferPointer) -> Int64? {
        if let i = JSONNumber.int64(fromText: text) { return i &* 1000 }
        guard let d = JSONNumber.double(fromText: text), d.isFinite, abs(d) < 1e14 else { return nil }
        return Int64((d * 1000).rounded())
    }
}

extension LakeError {
    /// A failed AWS call as lake's error: the AWS error is the cause (its ``AWSError/serviceCode``
    /// tells `ExpiredIteratorException` or `TrimmedDataAccessException` apart).
    init(aws error: AWSError, about stream: String) {
        let code: LakeError.Code =
            switch error.code {
            case .notFound: .notFound
            case .configuration, .missingCredentials, .signatureRejected, .accessDenied, .invalidRequest:
                .invalidArgument
            default: .io
            }
        self.init(code, "\(stream): \(error.description)", cause: error)
    }

    /// The AWS service's error code when this error came from an AWS call.
    var awsServiceCode: String? { (cause as? AWSError)?.serviceCode }

    /// Whether this error is AWS throttling that outlasted the client's retries.
    var isThrottling: Bool { (cause as? AWSError)?.code == .throttled }
}
