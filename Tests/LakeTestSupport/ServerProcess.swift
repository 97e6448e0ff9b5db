import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A server program started by a test: bound to 127.0.0.1, awaited until it answers, stopped by
/// pid (also when the test fails, and — through a watchdog shell that exits with the test process —
/// when the test process dies), its temporary directory removed.
///
/// The server runs under `/bin/sh` as a watchdog, in a process group of its own: ``stop()`` signals
/// the group; the shell also stops the server by itself when the test process is gone.
public final class ServerProcess: @unchecked Sendable {
    public let name: String
    public let executable: String
    public let arguments: [String]
    public let environment: [String: String]
    /// The port that answers once the server is ready.
    public let readinessPort: Int
    /// The path requested to check readiness.
    public let readinessPath: String
    /// A temporary directory the server may use; removed by ``shutdown()``.
    public let directory: String
    private var pid: pid_t?
    private let lock = NSLock()

    /// Starts a server and waits until `readinessPort` answers an HTTP request.
    /// - Throws: ``ServerProcessError`` when the executable is missing, or the server does not answer
    ///   within `timeout` seconds (its log is in the message).
    public init(
        name: String, executable: String, arguments: [String], environment: [String: String] = [:],
        readinessPort: Int, readinessPath: String = "/", directory: String, timeout: Double = 60
    ) throws {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.readinessPort = readinessPort
        self.readinessPath = readinessPath
        self.directory = directory
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ServerProcessError("\(name): \(executable) is missing; run `bash scripts/setup.sh` first")
        }
        try start(timeout: timeout)
    }

    /// The log file the server writes to.
    public var logPath: String { directory + "/\(name).log" }

    /// Starts the server (again, after ``stop()``) with the same arguments, ports and directory.
    ///
    /// Spawned with `posix_spawn` in its own process group, with an empty signal mask and default
    /// signal actions (a test thread's blocked signals must not be inherited, or SIGTERM would be
    /// ignored).
    public func start(timeout: Double = 60) throws {
        let watchdog = """
            "$@" &
            child=$!
            trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM INT
            while kill -0 "$LAKE_TEST_PID" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.3; done
            kill -TERM $child 2>/dev/null; sleep 1; kill -KILL $child 2>/dev/null; wait $child
            """
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        env["LAKE_TEST_PID"] = String(getpid())
        let argv = ["/bin/sh", "-c", watchdog, "watchdog", executable] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGCHLD, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Descriptors other tests hold open (pipe ends, sockets) must not leak into the server: a
        // child holding a pipe's write end keeps the reader from ever seeing the end of the pipe.
        // glibc (2.34+) has the action; Swift's Glibc module does not export it, so it is looked up.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }

        var pid: pid_t = 0
        let status = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgv, cEnvp) }
        }
        guard status == 0 else { throw ServerProcessError("\(name): posix_spawn failed with \(status)") }
        lock.lock()
        self.pid = pid
        lock.unlock()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if Self.answersHTTP(port: readinessPort, path: readinessPath) { return }
            var exitStatus: Int32 = 0
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                lock.lock()
                self.pid = nil
                lock.unlock()
                break
            }
            usleep(100_000)
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        stop()
        throw ServerProcessError(
            "\(name) did not answer on 127.0.0.1:\(readinessPort) within \(timeout) s; log:\n\(log.suffix(3000))")
    }

    /// Stops the server by pid: SIGTERM to its process group (the watchdog shell and the server),
    /// SIGKILL after 5 s, and reaps the shell.
    public func stop() {
        lock.lock()
        let pid = self.pid
        self.pid = nil
        lock.unlock()
        guard let pid else { return }
        kill(-pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        var exitStatus: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                kill(-pid, SIGKILL)  // anything of the group still there
                return
            }
            usleep(50_000)
        }
        kill(-pid, SIGKILL)
        waitpid(pid, &exitStatus, 0)
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
    public static func answersHTTP(port: Int, path: String = "/") -> Bool {
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
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n >= 5 && Array(buffer[0..<5]) == Array("HTTP/".utf8)
    }

    /// A new temporary directory.
    public static func temporaryDirectory(_ prefix: String) -> String {
        TemporaryDirectory.create(prefix: prefix)
    }
}

/// A server could not be started.
public struct ServerProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
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
