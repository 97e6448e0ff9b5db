import Foundation

/// Where requests to one service go: scheme, host and port, and whether it is the service's AWS
/// endpoint or a configured one (an S3-compatible store, moto, LocalStack).
public struct AWSEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address, lowercased, without port (IPv6 addresses keep their brackets).
    public var host: String
    /// The port, when it is not the scheme's default.
    public var port: Int?
    /// True when the endpoint was configured (`AWS_ENDPOINT_URL…` or a profile's `endpoint_url`):
    /// S3 then uses path-style addressing (`http://host/bucket/key`).
    public var isCustom: Bool

    public init(scheme: String, host: String, port: Int? = nil, isCustom: Bool) {
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port == (scheme == "https" ? 443 : 80) ? nil : port
        self.isCustom = isCustom
    }

    /// Parses an endpoint URL such as `http://127.0.0.1:8333` or `https://s3.example.com`.
    /// - Throws: `AWSError(.configuration)` naming the URL and where it came from, when the scheme
    ///   is not http or https, the host is missing, the port is not a number, or a path is given.
    public init(url: String, origin: String) throws(AWSError) {
        let text = url.trimmingSpaces()
        func fail(_ why: String) -> AWSError {
            AWSError(.configuration, "the endpoint URL '\(text)' from \(origin) \(why)")
        }
        guard let schemeEnd = text.range(of: "://") else { throw fail("has no scheme (expected http:// or https://)") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw fail("has scheme '\(scheme)'; use http or https") }
        var rest = text[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[slash...]
            guard path.allSatisfy({ $0 == "/" }) else {
                throw fail("has a path ('\(path)'); lake needs host and port only")
            }
            rest = rest[..<slash]
        }
        guard !rest.isEmpty, !rest.contains("@"), !rest.contains("?") else { throw fail("has no usable host") }
        var host = Substring(rest)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw fail("has an unterminated IPv6 address") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { throw fail("has a bad port") }
                port = p
            }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else {
                throw fail("has a bad port")
            }
            port = p
            host = host[..<colon]
        }
        self.init(scheme: scheme, host: String(host), port: port, isCustom: true)
    }

    /// `host` or `host:port`, as sent in the `Host` header and signed.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }

    /// The endpoint as a URL prefix without a trailing slash (`http://127.0.0.1:8333`).
    public var description: String { "\(scheme)://\(authority)" }

    /// The AWS endpoint of a service in a region (`kinesis.eu-west-1.amazonaws.com`), over https.
    public static func aws(_ service: AWSService, region: String) -> AWSEndpoint {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "\(service.endpointPrefix).\(region).\(suffix)", isCustom: false)
    }
}
