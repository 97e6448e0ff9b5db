import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension LakeBinary {
    struct TerminalResult {
        var status: Int32
        var stdout: String
        /// What the command wrote to standard error, a pseudo-terminal.
        var terminal: String
    }

    /// Runs `lake args…` with standard error on a pseudo-terminal (as on a user's screen) and
    /// standard output on a pipe, in `directory`.
    static func runOnTerminal(_ args: [String], input: String? = nil, in directory: URL? = nil) throws -> TerminalResult
    {
        guard let path else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSLocalizedDescriptionKey: "lake binary not found; build it or set LAKE_BIN"])
        }
        let pty = try PseudoTerminal.functions()
        let master = pty.open(O_RDWR | O_NOCTTY)
        guard master >= 0, pty.grant(master) == 0, pty.unlock(master) == 0, let name = pty.name(master) else {
            throw POSIXError(.ENXIO)
        }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        defer { close(master) }
        let slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw POSIXError(.ENXIO) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let inp = Pipe()
        process.standardOutput = out
        process.standardInput = inp
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        try process.run()
        close(slave)

        let collected = TerminalCollected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collected.setOut(out.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n > 0 {
                    collected.appendTerminal(buffer[0..<n])
                } else if n < 0 && errno == EAGAIN && process.isRunning {
                    usleep(5_000)
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break  // EOF, EIO (the last writer closed the terminal), or nothing left after exit
                }
            }
        }
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try inp.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return TerminalResult(
            status: process.terminationStatus, stdout: String(decoding: collected.out, as: UTF8.self),
            terminal: String(decoding: collected.terminal, as: UTF8.self))
    }

    private final class TerminalCollected: @unchecked Sendable {
        private let lock = NSLock()
        private var o = Data()
        private var t = Data()
        var out: Data { lock.withLock { o } }
        var terminal: Data { lock.withLock { t } }
        func setOut(_ d: Data) { lock.withLock { o = d } }
        func appendTerminal(_ bytes: ArraySlice<UInt8>) { lock.withLock { t.append(contentsOf: bytes) } }
    }
}

/// The C library's pseudo-terminal calls, looked up at run time (Glibc's Swift module does not
/// export `posix_openpt`, `grantpt`, `unlockpt` and `ptsname`, which need `_XOPEN_SOURCE`).
private enum PseudoTerminal {
    typealias IntCall = @convention(c) (Int32) -> Int32
    typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    struct Functions {
        var open: IntCall
        var grant: IntCall
        var unlock: IntCall
        var name: NameCall
    }

    static func functions() throws -> Functions {
        guard let libc = dlopen(nil, RTLD_NOW) else { throw POSIXError(.ENOSYS) }
        func symbol<T>(_ name: String, as: T.Type) throws -> T {
            guard let p = dlsym(libc, name) else { throw POSIXError(.ENOSYS) }
            return unsafeBitCast(p, to: T.self)
        }
        return Functions(
            open: try symbol("posix_openpt", as: IntCall.self), grant: try symbol("grantpt", as: IntCall.self),
            unlock: try symbol("unlockpt", as: IntCall.self), name: try symbol("ptsname", as: NameCall.self))
    }
}
