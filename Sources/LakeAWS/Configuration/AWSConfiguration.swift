/// The AWS settings lake uses — region, credentials, endpoints — resolved the way every AWS tool
/// resolves them, and able to say where each came from (never printing a secret).
///
/// Resolution (``resolve(environment:profile:readFile:)``), first match wins:
/// - **Credentials**: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) from the
///   environment; else the profile (`profile:` argument, else `AWS_PROFILE`, else `default`) in the
///   credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), then in the config
///   file (`AWS_CONFIG_FILE`, else `~/.aws/config`, sections `[profile name]`). A profile passed as
///   `profile:` wins over the environment's keys, as `--profile` does for the AWS CLI.
/// - **Region**: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` in the config file,
///   else `us-east-1`.
/// - **Endpoint** of a service: `AWS_ENDPOINT_URL_<SERVICE>` (`S3`, `KINESIS`, `DYNAMODB_STREAMS`,
///   `GLUE`, `DYNAMODB`), `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, else the AWS endpoint
///   (`https://<service>.<region>.amazonaws.com`). `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
///   ignores all configured endpoints.
///
/// The environment is passed in as a dictionary, so resolution is deterministic under test.
public struct AWSConfiguration: Sendable {
    /// The region requests are signed for and AWS endpoints are built from.
    public var region: String
    public var regionSource: AWSSettingSource
    /// The credentials, or nil when none were configured (requests then fail with
    /// `AWSError(.missingCredentials)`).
    public var credentials: AWSCredentials?
    public var credentialSource: AWSSettingSource
    /// The profile consulted (`AWS_PROFILE` or `default`).
    public var profile: String
    /// Configured endpoint URLs by ``AWSService/environmentID``; the key `""` holds the global one.
    public var endpointOverrides: [String: (url: String, source: AWSSettingSource)]

    public init(
        region: String, credentials: AWSCredentials?, profile: String = "default",
        endpointOverrides: [String: (url: String, source: AWSSettingSource)] = [:]
    ) {
        self.region = region
        self.regionSource = .explicit
        self.credentials = credentials
        self.credentialSource = credentials == nil ? .defaultValue : .explicit
        self.profile = profile
        self.endpointOverrides = endpointOverrides
    }

    /// The endpoint requests to `service` go to.
    /// - Throws: `AWSError(.configuration)` when the configured URL does not parse.
    public func endpoint(for service: AWSService) throws(AWSError) -> AWSEndpoint {
        if let configured = endpointOverrides[service.environmentID] ?? endpointOverrides[""] {
            return try AWSEndpoint(url: configured.url, origin: configured.source.description)
        }
        return .aws(service, region: region)
    }

    /// Where the endpoint of `service` came from (`default` for the AWS endpoint).
    public func endpointSource(for service: AWSService) -> AWSSettingSource {
        (endpointOverrides[service.environmentID] ?? endpointOverrides[""])?.source ?? .defaultValue
    }

    /// The credentials, or the error that says how to provide them.
    public func requireCredentials() throws(AWSError) -> AWSCredentials {
        guard let credentials else {
            throw AWSError(
                .missingCredentials,
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a "
                    + "profile in ~/.aws/credentials (profile '\(profile)' has no aws_access_key_id)")
        }
        return credentials
    }

    /// Lines that say where each setting came from, for `lake describe` and `--verbose`: region,
    /// credentials (key id only — never the secret or token) and the endpoint of each service.
    public func describe(services: [AWSService] = [.s3]) -> [String] {
        var lines = ["region: \(region) (\(regionSource))"]
        if let credentials {
            lines.append("credentials: \(credentials) from \(credentialSource)")
        } else {
            lines.append("credentials: none found")
        }
        for service in services {
            let endpoint = (try? endpoint(for: service))?.description ?? "invalid"
            lines.append("\(service) endpoint: \(endpoint) (\(endpointSource(for: service)))")
        }
        return lines
    }
}
