import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server program started by a test: bound to 127.0.0.1, awaited until it answers, stopped by
/// pid (also when the test fails, and — through a watchdog shell that exits with the test process —
/// when the test process dies), its temporary directory removed.
///
/// The server runs under `/bin/sh` as a watchdog: the shell starts it, stops it when asked
/// (SIGTERM) and stops it by itself when the test process is gone.
public final class ServerProcess: @unchecked Sendable {
    public let name: String
    public let executable: String
    public let arguments: [String]
    public let environment: [String: String]
    /// The port that answers once the server is ready.
    public let readinessPort: Int
    /// A temporary directory the server may use; removed by ``shutdown()``.
    public let directory: String
    private var process: Process?
    private let lock = NSLock()

    /// Starts a server and waits until `readinessPort` answers an HTTP request.
    /// - Throws: ``ServerProcessError`` when the executable is missing, or the server does not answer
    ///   within `timeout` seconds (its log is in the message).
    public init(
        name: String, executable: String, arguments: [String], environment: [String: String] = [:],
        readinessPort: Int, directory: String, timeout: Double = 60
    ) throws {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.readinessPort = readinessPort
        self.directory = directory
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ServerProcessError("\(name): \(executable) is missing; run `bash scripts/setup.sh` first")
        }
        try start(timeout: timeout)
    }

    /// The log file the server writes to.
    public var logPath: String { directory + "/\(name).log" }

    /// Starts the server (again, after ``stop()``) with the same arguments, ports and directory.
    public func start(timeout: Double = 60) throws {
        let watchdog = """
            "$@" >>"$LAKE_SERVER_LOG" 2>&1 &
            child=$!
            trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT
            while kill -0 "$LAKE_TEST_PID" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.3; done
            kill -TERM $child 2>/dev/null; sleep 1; kill -KILL $child 2>/dev/null; wait $child
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", watchdog, "watchdog", executable] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        env["LAKE_SERVER_LOG"] = logPath
        env["LAKE_TEST_PID"] = String(getpid())
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.lock()
        self.process = process
        lock.unlock()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if Self.answersHTTP(port: readinessPort) { return }
            if !process.isRunning { break }
            usleep(100_000)
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        stop()
        throw ServerProcessError("\(name) did not answer on 127.0.0.1:\(readinessPort) within \(timeout) s; log:\n\(log.suffix(3000))")
    }

    /// Stops the server by pid (SIGTERM to the watchdog, which stops the server and waits for it).
    public func stop() {
        lock.lock()
        let process = self.process
        self.process = nil
        lock.unlock()
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Stops the server and removes its directory.
    public func shutdown() {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { shutdown() }

    /// Ports free on 127.0.0.1 right now (bound to port 0 and released together).
    public static func freePorts(_ count: Int) -> [Int] {
        var sockets: [Int32] = []
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
            sockets.append(fd)
        }
        for fd in sockets { close(fd) }
        return ports
    }

    /// True when 127.0.0.1:`port` answers an HTTP request with a status line.
    public static func answersHTTP(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let request = Array("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n >= 5 && Array(buffer[0..<5]) == Array("HTTP/".utf8)
    }

    /// A new temporary directory.
    public static func temporaryDirectory(_ prefix: String) -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A server could not be started.
public struct ServerProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Paths of the repository the tests run in.
public enum RepositoryPaths {
    /// The package root (found from this file's path).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/LakeTestSupport/ServerProcess.swift
        return url.path
    }()

    /// A program of the pinned Python environment (`.venv/bin/NAME`), installed by scripts/setup.sh.
    public static func venv(_ name: String) -> String { root + "/.venv/bin/" + name }
}
