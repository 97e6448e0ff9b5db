#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeCore
import LakeBase

private func posixOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
private func posixRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }

/// An open file descriptor read sequentially (files, pipes, standard input). Owner of the
/// descriptor: closes it on deinit unless it is standard input.
final class PosixFile {
    let fd: Int32
    /// The path, or `-` for standard input; for messages and checkpoints.
    let path: String
    private let owned: Bool

    init(fd: Int32, path: String, owned: Bool) {
        self.fd = fd
        self.path = path
        self.owned = owned
    }

    deinit {
        if owned { _ = close(fd) }
    }

    /// Opens a file for reading.
    static func open(_ path: String) throws(LakeError) -> PosixFile {
        let fd = posixOpen(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.error("cannot open", path) }
        return PosixFile(fd: fd, path: path, owned: true)
    }

    static func error(_ what: String, _ path: String) -> LakeError {
        let code = errno
        let reason = String(cString: strerror(code))
        return LakeError(code == ENOENT ? .notFound : .io, "\(path): \(what): \(reason)")
    }

    /// Reads up to `max` bytes, appending them to `buffer`. Returns the count (0 at end of file
    /// for now). Retries on EINTR.
    func read(appendingTo buffer: inout [UInt8], max: Int) throws(LakeError) -> Int {
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: max))
        let n = buffer.withUnsafeMutableBytes { raw in
            Syscall.retrying { posixRead(fd, raw.baseAddress! + old, max) }
        }
        if n < 0 {
            buffer.removeLast(max)
            throw Self.error("read failed", path)
        }
        buffer.removeLast(max - n)
        return n
    }

    /// Moves the read position to `offset` from the start.
    func seek(to offset: Int64) throws(LakeError) {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw Self.error("cannot seek to \(offset)", path) }
    }

    /// The current size and identity (device, inode) of the open file.
    func status() throws(LakeError) -> (size: Int64, device: UInt64, inode: UInt64) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Self.error("cannot stat", path) }
        return (Int64(st.st_size), UInt64(st.st_dev), UInt64(st.st_ino))
    }
}
