import Lake

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// Input files named on the command line: existence checks with the right exit code, whole-file
/// reads for small inputs, and chunked reading of JSON lines from a file or standard input.
enum InputFile {
    /// Throws exit code 66 unless `path` names an existing regular file (or a pipe or device).
    static func check(_ path: String, _ what: String = "input file") throws(CLIFailure) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let err = errno
            if err == ENOENT || err == ENOTDIR {
                throw CLIFailure(.noInput, "\(what) '\(path)' does not exist", hint: "check the path")
            }
            throw CLIFailure(.ioError, "cannot read \(what) '\(path)': \(String(cString: strerror(err)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw CLIFailure(.noInput, "\(what) '\(path)' is a directory, not a file")
        }
    }

    /// Reads a whole (small) file as text.
    static func readText(_ path: String, _ what: String) throws(CLIFailure) -> String {
        try check(path, what)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIFailure(.ioError, "cannot open \(what) '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n: Int
            switch chunk.withUnsafeMutableBytes({ Syscall.readSome(fd, into: $0) }) {
            case .success(let k): n = k
            case .failure(let e): throw CLIFailure(.ioError, "cannot read \(what) '\(path)': \(e.text)")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Reads a stream of lines in large chunks that end on a line boundary, so a JSON-lines input of
/// any size is decoded with bounded memory.
final class LineChunkReader {
    let name: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private static let chunkSize = 8 << 20

    /// Opens `path`, or standard input for `-`.
    init(path: String) throws(CLIFailure) {
        if path == "-" {
            name = "<stdin>"
            fd = 0
            ownsDescriptor = false
            return
        }
        try InputFile.check(path)
        name = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIFailure(.ioError, "cannot open input file '\(path)': \(String(cString: strerror(errno)))")
        }
        ownsDescriptor = true
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Calls `body` with successive buffers of whole lines (the last may lack its newline) and
    /// the 1-based number of each buffer's first line.
    func forEachChunk(_ body: (UnsafeRawBufferPointer, Int) throws(LakeError) -> Void) throws(CLIFailure) {
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var filled = 0
        var line = 1
        while true {
            if filled == buffer.count {
                // One line longer than the buffer: grow until it fits.
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let n: Int
            switch buffer.withUnsafeMutableBytes({
                Syscall.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }) {
            case .success(let k): n = k
            case .failure(let e): throw CLIFailure(.ioError, "cannot read \(name): \(e.text)")
            }
            let atEnd = n == 0
            filled += n
            let ready: Int = buffer.withUnsafeBytes { raw in
                atEnd ? filled : JSONLines.completePrefixLength(of: UnsafeRawBufferPointer(rebasing: raw[0..<filled]))
            }
            if ready > 0 {
                let failure: CLIFailure? = buffer.withUnsafeBytes { raw in
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<ready])
                    do throws(LakeError) {
                        try body(chunk, line)
                    } catch {
                        return CLIFailure(error) ?? CLIFailure(.dataError, error.message)
                    }
                    line += JSONLines.newlineCount(in: chunk)
                    return nil
                }
                if let failure { throw failure }
                buffer.withUnsafeMutableBytes { raw in
                    let rest = filled - ready
                    if rest > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + ready, byteCount: rest) }
                }
                filled -= ready
            }
            if atEnd { return }
        }
    }
}
