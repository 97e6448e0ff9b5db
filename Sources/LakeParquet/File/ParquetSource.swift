#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// Random-access bytes a ``ParquetFileReader`` reads from: a local file, memory, or (later)
/// an object store.
public protocol ParquetSource: Sendable {
    /// Total size in bytes.
    var size: Int { get }
    /// Returns exactly the bytes in `range`, which the caller has checked lies within `0..<size`.
    func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8]
    /// A name for error messages (a path).
    var name: String { get }
}

/// Bytes held in memory.
public struct MemorySource: ParquetSource {
    public let bytes: [UInt8]
    public let name: String
    public init(_ bytes: [UInt8], name: String = "<memory>") {
        self.bytes = bytes
        self.name = name
    }
    public var size: Int { bytes.count }
    public func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] { Array(bytes[range]) }
}

/// A local file read with `pread`, so memory stays bounded by what is asked for.
public final class FileSource: ParquetSource, @unchecked Sendable {
    private let fd: Int32
    public let size: Int
    public let name: String

    public init(path: String) throws(ParquetError) {
        name = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ParquetError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        var st = stat()
        if fstat(fd, &st) != 0 {
            let msg = String(cString: strerror(errno))
            close(fd)
            throw ParquetError(.io, "cannot stat \(path): \(msg)")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ParquetError(.io, "\(path) is a directory, not a Parquet file")
        }
        size = Int(st.st_size)
    }

    deinit { close(fd) }

    public func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: range.count)
        let done: Int
        switch out.withUnsafeMutableBytes({ Syscall.readFully(fd, into: $0, offset: Int64(range.lowerBound)) }) {
        case .success(let n): done = n
        case .failure(let e): throw ParquetError(.io, "cannot read \(name): \(e.text)")
        }
        if done < range.count {
            throw ParquetError(
                .truncated, "\(name) ended at byte \(range.lowerBound + done), expected \(range.upperBound)")
        }
        return out
    }
}
