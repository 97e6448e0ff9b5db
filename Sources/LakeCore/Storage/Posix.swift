#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over POSIX calls that turn `errno` into ``LakeError``.
enum Posix {
    /// A `LakeError` for a failed call: `.notFound` for ENOENT, `.alreadyExists` for EEXIST, `.io`
    /// otherwise. The message names the operation, the table path, the absolute path and the
    /// system's text for the error.
    static func error(_ op: String, _ path: String, _ abs: String, code: Int32 = errno) -> LakeError {
        let text = String(cString: strerror(code))
        let lakeCode: LakeError.Code = switch code {
        case ENOENT: .notFound
        case EEXIST: .alreadyExists
        default: .io
        }
        return LakeError(lakeCode, "\(op) \(path.isEmpty ? "<table root>" : path) (\(abs)): \(text) (errno \(code))")
    }

    static func open(_ abs: String, _ flags: Int32, mode: mode_t = 0, op: String, path: String) throws(LakeError) -> Int32 {
        while true {
            #if canImport(Darwin)
            let fd = Darwin.open(abs, flags, mode)
            #elseif canImport(Musl)
            let fd = Musl.open(abs, flags, mode)
            #else
            let fd = Glibc.open(abs, flags, mode)
            #endif
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw error(op, path, abs)
        }
    }

    /// Writes every byte, retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String, abs: String) throws(LakeError) {
        try bytes.withLakeBytes { raw throws(LakeError) in try writeAll(fd, raw, path: path, abs: abs) }
    }

    /// Writes every byte of `raw`, retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, path: String, abs: String) throws(LakeError) {
        var done = 0
        while done < raw.count {
            #if canImport(Darwin)
            let n = Darwin.write(fd, raw.baseAddress! + done, raw.count - done)
            #elseif canImport(Musl)
            let n = Musl.write(fd, raw.baseAddress! + done, raw.count - done)
            #else
            let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path, abs)
            }
            done += n
        }
    }

    /// Reads up to `count` bytes (fewer at end of file) from the current position, or with
    /// `pread` from `offset` if given.
    static func readExactly(_ fd: Int32, count: Int, offset: Int64? = nil, path: String, abs: String) throws(LakeError) -> [UInt8] {
        var failure: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            var done = 0
            while done < count {
                let n: Int
                if let offset {
                    n = pread(fd, buf.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                } else {
                    #if canImport(Darwin)
                    n = Darwin.read(fd, buf.baseAddress! + done, count - done)
                    #elseif canImport(Musl)
                    n = Musl.read(fd, buf.baseAddress! + done, count - done)
                    #else
                    n = Glibc.read(fd, buf.baseAddress! + done, count - done)
                    #endif
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if failure != 0 { throw error("read", path, abs, code: failure) }
        return out
    }

    /// Appends up to `max` bytes read from `fd` to `out`; returns how many (0 at end of file).
    static func readChunk(_ fd: Int32, into out: inout [UInt8], upTo max: Int, path: String, abs: String) throws(LakeError) -> Int {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: max))
        var got = 0
        var failure: Int32 = 0
        out.withUnsafeMutableBytes { raw in
            while true {
                #if canImport(Darwin)
                let n = Darwin.read(fd, raw.baseAddress! + start, max)
                #elseif canImport(Musl)
                let n = Musl.read(fd, raw.baseAddress! + start, max)
                #else
                let n = Glibc.read(fd, raw.baseAddress! + start, max)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                got = n
                return
            }
        }
        out.removeLast(max - got)
        if failure != 0 { throw error("read", path, abs, code: failure) }
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
