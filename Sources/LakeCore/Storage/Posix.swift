#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// Thin wrappers over POSIX calls that turn `errno` into ``LakeError``.
enum Posix {
    /// A `LakeError` for a failed call: `.notFound` for ENOENT, `.alreadyExists` for EEXIST, `.io`
    /// otherwise. The message names the operation, the table path, the absolute path and the
    /// system's text for the error.
    static func error(_ op: String, _ path: String, _ abs: String, code: Int32 = errno) -> LakeError {
        let text = String(cString: strerror(code))
        let lakeCode: LakeError.Code =
            switch code {
            case ENOENT: .notFound
            case EEXIST: .alreadyExists
            default: .io
            }
        return LakeError(lakeCode, "\(op) \(path.isEmpty ? "<table root>" : path) (\(abs)): \(text) (errno \(code))")
    }

    static func open(
        _ abs: String, _ flags: Int32, mode: mode_t = 0, op: String, path: String
    ) throws(LakeError) -> Int32 {
        switch Syscall.open(abs, flags, mode: mode) {
        case .success(let fd): return fd
        case .failure(let e): throw error(op, path, abs, code: e.code)
        }
    }

    /// Writes every byte, retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String, abs: String) throws(LakeError) {
        try bytes.withRawBytes { raw throws(LakeError) in try writeAll(fd, raw, path: path, abs: abs) }
    }

    /// Writes every byte of `raw`, retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, path: String, abs: String) throws(LakeError) {
        if case .failure(let e) = Syscall.writeAll(fd, raw) {
            throw error("write", path, abs, code: e.code)
        }
    }

    /// Reads up to `count` bytes (fewer at end of file) from the current position, or with
    /// `pread` from `offset` if given.
    static func readExactly(
        _ fd: Int32, count: Int, offset: Int64? = nil, path: String, abs: String
    ) throws(LakeError) -> [UInt8] {
        var failure: SystemError?
        let out = [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            switch Syscall.readFully(fd, into: UnsafeMutableRawBufferPointer(buf), offset: offset) {
            case .success(let n): initialized = n
            case .failure(let e): failure = e; initialized = 0
            }
        }
        if let failure { throw error("read", path, abs, code: failure.code) }
        return out
    }

    /// Appends up to `max` bytes read from `fd` to `out`; returns how many (0 at end of file).
    static func readChunk(
        _ fd: Int32, into out: inout [UInt8], upTo max: Int, path: String, abs: String
    ) throws(LakeError) -> Int {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: max))
        let result = out.withUnsafeMutableBytes {
            Syscall.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[start..<(start + max)]))
        }
        let got = (try? result.get()) ?? 0
        out.removeLast(max - got)
        if case .failure(let e) = result { throw error("read", path, abs, code: e.code) }
        return got
    }

    /// `fsync`s a directory so that entries created or renamed in it are durable.
    static func syncDirectory(_ abs: String, path: String) throws(LakeError) {
        let fd = try open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC, op: "sync directory", path: path)
        defer { _ = close(fd) }
        if fsync(fd) != 0 {
            // Some file systems refuse fsync on directories; that is not a data error.
            if errno == EINVAL || errno == EROFS || errno == EBADF { return }
            throw error("sync directory", path, abs)
        }
    }

    /// `mkdir -p` for an absolute path (used for the table root itself).
    static func makeAbsoluteDirectories(_ abs: String) throws(LakeError) {
        var st = stat()
        if stat(abs, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { return }
            throw error("make directory", "", abs, code: ENOTDIR)
        }
        var current = ""
        for seg in abs.split(separator: "/") {
            current += "/" + seg
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw error("make directory", "", current)
            }
        }
    }

    static func modifiedMillis(_ st: stat) -> Int64 {
        #if canImport(Darwin)
        let ts = st.st_mtimespec
        #else
        let ts = st.st_mtim
        #endif
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
