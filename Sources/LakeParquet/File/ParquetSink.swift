#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// Where a ``ParquetFileWriter`` puts its bytes: sequential appends, then `finish`.
public protocol ParquetSink: AnyObject {
    /// Appends bytes at the current end.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError)
    /// Flushes and releases the destination (and makes it durable where the sink promises that).
    func finish() throws(ParquetError)
}

/// Collects the file in memory; `bytes` holds it after `finish`.
public final class MemorySink: ParquetSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ raw: UnsafeRawBufferPointer) throws(ParquetError) { bytes.append(contentsOf: raw) }
    public func finish() throws(ParquetError) {}
}

/// Writes a local file through a buffer with POSIX calls; `finish` fsyncs when `durable`.
public final class FileSink: ParquetSink {
    private var fd: Int32
    private let path: String
    private let durable: Bool
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 20

    /// Creates (truncating) the file at `path`.
    public init(path: String, durable: Bool = false) throws(ParquetError) {
        self.path = path
        self.durable = durable
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw ParquetError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { if fd >= 0 { close(fd) } }

    public func write(_ raw: UnsafeRawBufferPointer) throws(ParquetError) {
        if buffer.count + raw.count > Self.bufferSize { try flush() }
        if raw.count >= Self.bufferSize {
            try writeAll(raw)
        } else {
            buffer.append(contentsOf: raw)
        }
    }

    private func flush() throws(ParquetError) {
        guard !buffer.isEmpty else { return }
        let b = buffer
        buffer.removeAll(keepingCapacity: true)
        try b.withRawBytes { raw throws(ParquetError) in try writeAll(raw) }
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws(ParquetError) {
        if case .failure(let e) = Syscall.writeAll(fd, raw) {
            throw ParquetError(.io, "cannot write \(path): \(e.text)")
        }
    }

    public func finish() throws(ParquetError) {
        try flush()
        if durable && fsync(fd) != 0 {
            throw ParquetError(.io, "cannot fsync \(path): \(String(cString: strerror(errno)))")
        }
        if close(fd) != 0 {
            fd = -1
            throw ParquetError(.io, "cannot close \(path): \(String(cString: strerror(errno)))")
        }
        fd = -1
    }
}
