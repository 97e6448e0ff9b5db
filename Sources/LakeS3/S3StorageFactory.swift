import Foundation
import LakeAWS
import LakeCore
import Synchronization

/// Plugs S3 into ``TableStorageResolver``: after ``register(environment:)``, every path-taking
/// entry point (``Table/create(at:config:schema:)``, ``Table/open(_:)``, the ingest sink, the
/// `lake` CLI's `--table`) accepts `s3://bucket/prefix`.
///
/// One ``AWSClient`` serves the process (connections, the bound on parallel requests and the
/// request counts are shared). It is made on first use from the environment the way every AWS
/// tool reads it (``AWSConfiguration/resolve(environment:profile:readFile:)``: `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_PROFILE`
/// with `~/.aws/credentials` and `~/.aws/config`, `AWS_ENDPOINT_URL`/`AWS_ENDPOINT_URL_S3`;
/// path-style addressing when an endpoint is configured, virtual-hosted otherwise).
///
/// ```swift
/// import Lake
/// S3StorageFactory.register()                 // once, at start
/// let t = try Table.open("s3://lake/customers")
/// ```
public enum S3StorageFactory {
    private struct State {
        var environment: [String: String] = [:]
        var client: Result<AWSClient, LakeError>?
    }

    private static let state = Mutex(State())

    /// Registers S3 for `s3://` table locations, configured from `environment` (the process's
    /// environment by default) when a location is first used.
    public static func register(environment: [String: String] = ProcessInfo.processInfo.environment) {
        state.withLock { $0 = State(environment: environment, client: nil) }
        TableStorageResolver.registerObjectStorage { location throws(LakeError) in
            guard case .s3(let bucket, let prefix) = location else {
                throw LakeError(.unsupported, "table location '\(location)' is not on S3")
            }
            return S3Storage(bucket: bucket, prefix: prefix, client: try S3Client(client()))
        }
    }

    /// The process's AWS client (made from the registered environment on first call).
    /// - Throws: `.invalidArgument` for an unusable configuration (a missing profile, a malformed
    ///   file or endpoint), naming the setting.
    public static func client() throws(LakeError) -> AWSClient {
        let result = state.withLock { s -> Result<AWSClient, LakeError> in
            if let made = s.client { return made }
            let made: Result<AWSClient, LakeError>
            do throws(AWSError) {
                made = .success(AWSClient(configuration: try AWSConfiguration.resolve(environment: s.environment)))
            } catch {
                made = .failure(LakeError(.invalidArgument, "AWS configuration: \(error.description)", cause: error))
            }
            s.client = made
            return made
        }
        return try result.get()
    }

    /// The process's AWS client if one was made (nil while no S3 location has been used).
    public static var clientIfMade: AWSClient? {
        state.withLock { s in if case .success(let c)? = s.client { c } else { nil } }
    }
}
