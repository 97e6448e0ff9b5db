#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// Buffered writing to the process's standard output with `write(2)`, in large chunks.
///
/// Commands append bytes to ``buffer`` and call ``flushIfFull()`` between batches; the exit
/// path flushes whatever is left.
final class StandardOutput {
    /// The shared writer for file descriptor 1.
    nonisolated(unsafe) static let shared = StandardOutput(fd: 1)

    let fd: Int32
    var buffer: [UInt8] = []
    private static let threshold = 1 << 20

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.threshold + (Self.threshold >> 2))
    }

    /// Writes the buffer out once it holds at least 1 MiB.
    func flushIfFull() throws(CLIFailure) {
        if buffer.count >= Self.threshold { try flush() }
    }

    /// Writes out everything buffered.
    func flush() throws(CLIFailure) {
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBytes { raw in Result { () throws(CLIFailure) in try Self.writeAll(fd, raw) } }.get()
    }

    static func flushShared() {
        try? shared.flush()
    }

    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) throws(CLIFailure) {
        if case .failure(let e) = Syscall.writeAll(fd, raw) {
            throw CLIFailure(.ioError, "cannot write output: \(e.text)")
        }
    }
}

/// Unbuffered messages to standard error.
enum StandardError {
    static func write(_ text: String) {
        var t = text
        t.withUTF8 { try? StandardOutput.writeAll(2, UnsafeRawBufferPointer($0)) }
    }
}
