import Crypto

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`, header-based), as pure functions over an
/// ``AWSRequest`` and a time.
///
/// Follows the rules botocore applies (and the tests compare against it byte for byte):
/// - S3 (``AWSService/usesS3SigningRules``): the canonical URI is the path as sent; the signer adds
///   `x-amz-content-sha256` (the body's SHA-256, or `UNSIGNED-PAYLOAD`) and signs it.
/// - Other services: the path's dot segments and empty segments are removed, and the result is
///   URI-encoded again (so `%20` is signed as `%2520`).
/// - Query: pairs sorted by encoded name then encoded value; a bare key signs as `key=`.
/// - Headers: every header but hop-by-hop ones, `user-agent` and `x-amzn-trace-id`, names lowercased,
///   values trimmed with inner runs of whitespace collapsed, repeats joined by `,`; `host` added.
/// - `x-amz-date` always, `x-amz-security-token` when the credentials carry a session token.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: AWSService

    public init(credentials: AWSCredentials, region: String, service: AWSService) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The intermediate strings of one signature (printed when a signature is refused or differs).
    public struct Signature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        /// The value of the `Authorization` header.
        public var authorization: String
        /// The request with `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256` (S3) and
        /// `Authorization` set.
        public var request: AWSRequest
    }

    /// Signs `request` at `time` (seconds since 1970-01-01 UTC).
    public func sign(_ request: AWSRequest, at time: AWSTimestamp) -> Signature {
        var request = request
        let amzDate = time.amzDate
        for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"] { request.removeHeader(name) }
        request.headers.append(("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken { request.headers.append(("X-Amz-Security-Token", token)) }
        let payloadHash: String
        if service.usesS3SigningRules {
            payloadHash = request.signsPayload ? Self.sha256Hex(request.body) : "UNSIGNED-PAYLOAD"
            request.setHeader("X-Amz-Content-SHA256", payloadHash)
        } else if let given = request.header("X-Amz-Content-SHA256") {
            payloadHash = given
        } else {
            payloadHash = Self.sha256Hex(request.body)
        }

        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request)
        let canonicalRequest = [
            request.method.uppercased(),
            canonicalURI(request.encodedPath),
            Self.canonicalQuery(request),
            canonicalHeaders + "\n",
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let date = String(amzDate.prefix(8))
        let scope = "\(date)/\(region)/\(service.signingName)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Self.sha256Hex(Array(canonicalRequest.utf8)))"
        let key = signingKey(date: date)
        let signature = AWSURIEncoding.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        request.headers.append(("Authorization", authorization))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, authorization: authorization,
            request: request)
    }

    /// The key derived from the secret for one day, region and service.
    func signingKey(date: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
        }
        let secret = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        return hmac(hmac(hmac(hmac(secret, date), region), service.signingName), "aws4_request")
    }

    /// The canonical URI of an encoded path under this service's rules.
    public func canonicalURI(_ encodedPath: String) -> String {
        if service.usesS3SigningRules { return encodedPath }
        return AWSURIEncoding.encode(Self.removeDotSegments(encodedPath), keepingSlash: true)
    }

    /// RFC 3986 dot-segment removal that also drops empty segments (as AWS requires and botocore
    /// does); keeps a leading and a trailing `/`. An empty path becomes `/`.
    static func removeDotSegments(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                continue
            }
            output.append(segment)
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    /// The canonical query string: encoded pairs sorted by name, then value.
    static func canonicalQuery(_ request: AWSRequest) -> String {
        var pairs: [(String, String)] = request.query.map { name, value in
            (
                AWSURIEncoding.encode(name, keepingSlash: false),
                value.map { AWSURIEncoding.encode($0, keepingSlash: false) } ?? ""
            )
        }
        pairs.sort { a, b in
            a.0 != b.0 ? a.0.utf8.lexicographicallyPrecedes(b.0.utf8) : a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
        }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Headers never signed: hop-by-hop headers a proxy may change, `user-agent`, `x-amzn-trace-id`
    /// (the set botocore uses), and a stale `authorization`.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    /// The canonical header block (without the final newline) and the signed-header list.
    static func canonicalHeaders(_ request: AWSRequest) -> (String, String) {
        var values: [String: [String]] = [:]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if unsignedHeaders.contains(lower) { continue }
            values[lower, default: []].append(trimAll(value))
        }
        if values["host"] == nil { values["host"] = [request.endpoint.authority] }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\(values[$0]!.joined(separator: ","))" }.joined(separator: "\n")
        return (block, names.joined(separator: ";"))
    }

    /// Trims a header value and collapses inner runs of whitespace to one space.
    static func trimAll(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0B}"
                || scalar == "\u{0C}"
            {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Lower-case hex SHA-256 of bytes.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        AWSURIEncoding.hex(SHA256.hash(data: bytes))
    }
}

extension AWSRequest {
    /// Removes every header of that name (case-insensitively).
    mutating func removeHeader(_ name: String) {
        let lower = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lower }
    }
}
