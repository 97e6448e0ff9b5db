#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one wrapper over POSIX calls that can be interrupted: each call is retried while it fails
/// with `EINTR`, short reads and writes are continued, and a failure comes back as its `errno`,
/// which each module turns into its own error type (naming the path and operation).
public enum Syscall {
    /// Calls `body` again while it returns a negative value with `errno == EINTR`; returns its
    /// first other result (negative with `errno` set on failure).
    @inlinable @inline(__always)
    public static func retrying<T: SignedInteger>(_ body: () -> T) -> T {
        while true {
            let r = body()
            if r < 0 && errno == EINTR { continue }
            return r
        }
    }

    /// Opens `path`; returns the descriptor, or the failure's `errno` as `.failure`.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) -> Result<Int32, SystemError> {
        let fd = retrying { () -> Int32 in
            #if canImport(Darwin)
            Darwin.open(path, flags, mode)
            #elseif canImport(Musl)
            Musl.open(path, flags, mode)
            #else
            Glibc.open(path, flags, mode)
            #endif
        }
        return fd >= 0 ? .success(fd) : .failure(SystemError(errno))
    }

    /// Writes every byte of `raw` to `fd`, continuing after short writes.
    public static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Result<Void, SystemError> {
        var done = 0
        while done < raw.count {
            let n = retrying { () -> Int in
                #if canImport(Darwin)
                Darwin.write(fd, raw.baseAddress! + done, raw.count - done)
                #elseif canImport(Musl)
                Musl.write(fd, raw.baseAddress! + done, raw.count - done)
                #else
                Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                #endif
            }
            if n < 0 { return .failure(SystemError(errno)) }
            done += n
        }
        return .success(())
    }

    /// Reads into `buffer` until it is full or the file ends — from the current position, or with
    /// `pread` from `offset` when given. Returns the number of bytes read (fewer than
    /// `buffer.count` only at end of file).
    public static func readFully(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64? = nil
    ) -> Result<Int, SystemError> {
        var done = 0
        while done < buffer.count {
            let n = readSome(
                fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]),
                offset: offset.map { $0 + Int64(done) })
            switch n {
            case .failure(let e): return .failure(e)
            case .success(0): return .success(done)
            case .success(let k): done += k
            }
        }
        return .success(done)
    }

    /// One `read` (or `pread` at `offset`) of at most `buffer.count` bytes: what a pipe or
    /// terminal has now. Returns 0 at end of file.
    public static func readSome(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64? = nil
    ) -> Result<Int, SystemError> {
        guard buffer.count > 0 else { return .success(0) }
        let n = retrying { () -> Int in
            if let offset { return pread(fd, buffer.baseAddress!, buffer.count, off_t(offset)) }
            #if canImport(Darwin)
            return Darwin.read(fd, buffer.baseAddress!, buffer.count)
            #elseif canImport(Musl)
            return Musl.read(fd, buffer.baseAddress!, buffer.count)
            #else
            return Glibc.read(fd, buffer.baseAddress!, buffer.count)
            #endif
        }
        return n < 0 ? .failure(SystemError(errno)) : .success(n)
    }

    /// Sleeps for `nanoseconds`, resuming after signals until the whole time has passed.
    public static func sleep(nanoseconds: Int64) {
        guard nanoseconds > 0 else { return }
        var remaining = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var left = timespec()
        while nanosleep(&remaining, &left) != 0 && errno == EINTR { remaining = left }
    }
}

/// A failed system call's `errno`, with the system's text for it.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `errno` value.
    public var code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The system's text for the error (`strerror`).
    public var text: String { String(cString: strerror(code)) }

    /// `"<text> (errno N)"`.
    public var description: String { "\(text) (errno \(code))" }
}
