#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeCore

/// The absolute, symlink-free form of a path (the path itself when it does not exist).
func absolutePath(_ path: String) -> String {
    guard let r = realpath(path, nil) else { return path }
    defer { free(r) }
    return String(decoding: UnsafeRawBufferPointer(start: r, count: strlen(r)), as: UTF8.self)
}

/// How many bytes one read system call asks for.
let sourceReadSize = 4 << 20

/// A JSON-lines file, read to its end or tailed as it grows.
final class FileSource: ChangeSource {
    let kind = "file"
    let path: String
    let follow: Bool
    private let file: PosixFile
    private var buffer: LineBuffer

    init(path: String, follow: Bool) throws(LakeError) {
        self.path = absolutePath(path)
        self.follow = follow
        file = try PosixFile.open(path)
        buffer = LineBuffer(file: path)
    }

    func resume(from checkpoint: Checkpoint) throws(LakeError) {
        let p = try FilePosition.resuming(checkpoint)
        let size = try file.status().size
        guard p.offset <= size else {
            throw LakeError(
                .invalidInput,
                "\(path) has \(size) bytes but the table's checkpoint is at offset "
                    + "\(p.offset): the file was truncated or replaced; move the table's checkpoint or restore the file"
            )
        }
        try file.seek(to: p.offset)
        buffer.reset(offset: p.offset, line: p.line)
    }

    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead {
        while true {
            if let c = take(maxBytes: maxBytes, maxLines: maxLines, final: false) { return .chunk(c) }
            if try buffer.fill(from: file, max: sourceReadSize) > 0 { continue }
            // At the end of what the file holds now.
            let size = try file.status().size
            if size < buffer.offset + Int64(buffer.count) {
                throw LakeError(
                    .invalidInput,
                    "\(path) shrank to \(size) bytes while being read at offset \(buffer.offset + Int64(buffer.count)): the file was truncated"
                )
            }
            if follow { return .idle }
            if let c = take(maxBytes: maxBytes, maxLines: maxLines, final: true) { return .chunk(c) }
            return .end
        }
    }

    /// Whole lines from the buffer, ending at the position after them.
    private func take(maxBytes: Int, maxLines: Int, final: Bool) -> SourceChunk? {
        guard var c = buffer.take(maxBytes: maxBytes, maxLines: maxLines, final: final) else { return nil }
        c.end = FilePosition(offset: buffer.offset, line: buffer.line).checkpoint(source: kind, path: path)
        return c
    }
}
