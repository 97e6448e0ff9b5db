#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// ``LocalStorage``'s streaming writer: appends go through a 1 MiB buffer to a temporary file
/// next to the target (`.<name>.lake-tmp-<pid>-<random>`); ``finish()`` flushes, `fsync`s,
/// closes, renames the file over the target and `fsync`s the directory. Abandoning (or releasing
/// the writer unfinished, or any failure) closes and unlinks the temporary file.
final class LocalFileWriter: StorageWriter {
    let path: String
    private(set) var bytesWritten: Int64 = 0
    private let absolutePath: String
    private let temporary: String
    private let directory: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var settled = false
    private static let bufferSize = 1 << 20

    /// Creates the temporary file (the directory must exist).
    init(path: String, absolutePath: String, temporary: String, directory: String) throws(LakeError) {
        self.path = path
        self.absolutePath = absolutePath
        self.temporary = temporary
        self.directory = directory
        fd = try Posix.open(
            temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644,
            op: "write (temp file)", path: path)
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { abandon() }

    func write(_ raw: UnsafeRawBufferPointer) throws(LakeError) {
        guard fd >= 0 else { throw LakeError(.io, "write \(path): the writer is finished or abandoned") }
        do throws(LakeError) {
            if buffer.count + raw.count > Self.bufferSize { try flush() }
            if raw.count >= Self.bufferSize {
                try Posix.writeAll(fd, raw, path: path, abs: temporary)
            } else {
                buffer.append(contentsOf: raw)
            }
        } catch {
            abandon()
            throw error
        }
        bytesWritten += Int64(raw.count)
    }

    private func flush() throws(LakeError) {
        guard !buffer.isEmpty else { return }
        try buffer.withRawBytes { raw throws(LakeError) in try Posix.writeAll(fd, raw, path: path, abs: temporary) }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws(LakeError) {
        guard fd >= 0 else { throw LakeError(.io, "write \(path): the writer is finished or abandoned") }
        do throws(LakeError) {
            try flush()
            if fsync(fd) != 0 { throw Posix.error("write (fsync)", path, temporary) }
            let closing = fd
            fd = -1
            if close(closing) != 0 { throw Posix.error("write (close)", path, temporary) }
            if rename(temporary, absolutePath) != 0 { throw Posix.error("write (rename)", path, absolutePath) }
            settled = true  // published: nothing to unlink from here on
            try Posix.syncDirectory(directory, path: path)
        } catch {
            abandon()
            throw error
        }
        buffer = []
    }

    func abandon() {
        if fd >= 0 {
            _ = close(fd)
            fd = -1
        }
        if !settled {
            _ = unlink(temporary)
            settled = true
        }
        buffer = []
    }
}
