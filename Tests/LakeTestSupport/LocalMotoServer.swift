import Foundation

/// moto's server (`moto[server]`, pinned) standing in for Kinesis, DynamoDB, DynamoDB Streams and
/// Glue, on a free 127.0.0.1 port. It does not check signatures; it picks the service from the
/// credential scope of the `Authorization` header.
public final class LocalMotoServer: @unchecked Sendable {
    public let server: ServerProcess
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    public init(timeout: Double = 90) throws {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = ServerProcess.freePorts(1)[0]
            let directory = ServerProcess.temporaryDirectory("lake-moto")
            do {
                server = try ServerProcess(
                    name: "moto", executable: RepositoryPaths.venv("moto_server"),
                    arguments: ["-H", "127.0.0.1", "-p", String(port)], readinessPort: port, directory: directory,
                    timeout: timeout)
                self.port = port
                return
            } catch {
                lastError = error
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        throw lastError!
    }

    /// The environment a client uses to reach this server for every service.
    public var environment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint, "HOME": "/nonexistent",
        ]
    }

    public func shutdown() { server.shutdown() }
}
