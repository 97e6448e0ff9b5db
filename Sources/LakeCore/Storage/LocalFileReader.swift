#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// ``LocalStorage``'s random-access reader: an open descriptor read with `pread`, so memory stays
/// bounded by what is asked for and a file replaced meanwhile reads as it was when opened.
final class LocalFileReader: StorageReader, @unchecked Sendable {
    let path: String
    let size: Int64
    private let absolutePath: String
    private let fd: Int32

    init(path: String, absolutePath: String) throws(LakeError) {
        self.path = path
        self.absolutePath = absolutePath
        fd = try Posix.open(absolutePath, O_RDONLY | O_CLOEXEC, op: "read", path: path)
        var st = stat()
        if fstat(fd, &st) != 0 {
            let e = Posix.error("read", path, absolutePath)
            _ = close(fd)
            throw e
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            _ = close(fd)
            throw LakeError(.io, "read \(path) (\(absolutePath)): is a directory")
        }
        size = Int64(st.st_size)
    }

    deinit { _ = close(fd) }

    func read(_ range: Range<Int64>) throws(LakeError) -> [UInt8] {
        guard range.lowerBound >= 0 else {
            throw LakeError(.invalidArgument, "read \(path): negative offset \(range.lowerBound)")
        }
        let end = min(range.upperBound, size)
        guard end > range.lowerBound else { return [] }
        return try Posix.readExactly(
            fd, count: Int(end - range.lowerBound), offset: range.lowerBound,
            path: path, abs: absolutePath)
    }
}
