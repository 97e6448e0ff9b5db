/// An AWS access key pair, with the session token of temporary credentials.
///
/// Its `description` never shows the secret or the token: it names the key id only, so it can be
/// logged and printed by `lake describe`.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// The session token of temporary (STS) credentials; sent as `x-amz-security-token`.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The key id, and whether a session token is present; never the secret.
    public var description: String {
        "access key \(accessKeyID)" + (sessionToken == nil ? "" : " with a session token")
    }
}

/// Where the credentials (or another setting) of an ``AWSConfiguration`` came from.
public enum AWSSettingSource: Sendable, Equatable, CustomStringConvertible {
    /// The process environment (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, `AWS_ENDPOINT_URL_S3`…); the
    /// associated value names the variable(s).
    case environment(String)
    /// A profile of a shared file (`~/.aws/credentials` or `~/.aws/config`).
    case profile(name: String, file: String)
    /// Passed in by the program that embeds lake.
    case explicit
    /// Nothing configured it; lake's documented default applies.
    case defaultValue

    public var description: String {
        switch self {
        case .environment(let names): return "environment (\(names))"
        case .profile(let name, let file): return "profile \(name) in \(file)"
        case .explicit: return "set by the caller"
        case .defaultValue: return "default"
        }
    }
}
