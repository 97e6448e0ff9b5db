/// An HTTP request to an AWS service, as a value: what is signed and what is sent.
///
/// The path is held percent-encoded exactly as it goes on the wire (S3 signs it as is); query
/// parameters are held raw and encoded by the AWS rules (RFC 3986 unreserved characters kept,
/// everything else — `/` included — as `%XX` of the UTF-8 bytes) when the URL is built.
public struct AWSRequest: Sendable {
    /// `GET`, `PUT`, `POST`, `HEAD`, `DELETE`.
    public var method: String
    /// Where the request goes.
    public var endpoint: AWSEndpoint
    /// The percent-encoded path, starting with `/`.
    public var encodedPath: String
    /// Query parameters, raw, in order; a nil value is sent as the bare key (`?uploads`).
    public var query: [(name: String, value: String?)]
    /// Header fields, in order (a name may repeat; signing joins the values with `,`).
    public var headers: [(name: String, value: String)]
    /// The body (empty for GET, HEAD and DELETE).
    public var body: [UInt8]
    /// Whether the SHA-256 of the body is signed (`x-amz-content-sha256` is then its hex digest);
    /// false sends `UNSIGNED-PAYLOAD` for S3 (for large streaming bodies; TLS protects them).
    public var signsPayload: Bool

    public init(
        method: String, endpoint: AWSEndpoint, encodedPath: String = "/",
        query: [(name: String, value: String?)] = [], headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], signsPayload: Bool = true
    ) {
        self.method = method
        self.endpoint = endpoint
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
        self.body = body
        self.signsPayload = signsPayload
    }

    /// The query string as sent: `k=v` pairs joined by `&`, each part URI-encoded.
    public var encodedQuery: String {
        var parts: [String] = []
        parts.reserveCapacity(query.count)
        for (name, value) in query {
            let key = AWSURIEncoding.encode(name, keepingSlash: false)
            if let value {
                parts.append(key + "=" + AWSURIEncoding.encode(value, keepingSlash: false))
            } else {
                parts.append(key)
            }
        }
        return parts.joined(separator: "&")
    }

    /// The full URL as sent (`http://127.0.0.1:8333/bucket/key?x-id=GetObject`).
    public var urlString: String {
        let query = encodedQuery
        return endpoint.description + encodedPath + (query.isEmpty ? "" : "?" + query)
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// Sets a header, replacing every existing field of that name (case-insensitively).
    public mutating func setHeader(_ name: String, _ value: String) {
        let lower = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lower }
        headers.append((name, value))
    }
}
