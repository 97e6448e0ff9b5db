#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeCore
import LakeBase

/// Standard input or another descriptor (a pipe): read as data arrives, never blocking.
///
/// A pipe cannot be rewound, so ``resume(from:)`` does nothing: what was committed before a
/// restart is not skipped again. (Re-applied changes are harmless to the table — each row
/// keeps the newest ordering value — but they do make new commits.)
final class DescriptorSource: ChangeSource {
    let kind = "stdin"
    let path: String
    private let file: PosixFile
    private var buffer: LineBuffer
    private var atEnd = false

    init(fd: Int32, name: String) {
        path = name
        file = PosixFile(fd: fd, path: name, owned: false)
        buffer = LineBuffer(file: name)
    }

    func resume(from checkpoint: Checkpoint) throws(LakeError) {}

    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead {
        while true {
            if var c = buffer.take(maxBytes: maxBytes, maxLines: maxLines, final: atEnd) {
                c.end = FilePosition(offset: buffer.offset, line: buffer.line).checkpoint(source: kind, path: path)
                return .chunk(c)
            }
            if atEnd { return .end }
            var p = pollfd(fd: file.fd, events: Int16(POLLIN), revents: 0)
            let ready = Syscall.retrying { poll(&p, 1, 0) }
            guard ready > 0 else { return .idle }
            if try buffer.fill(from: file, max: sourceReadSize) == 0 { atEnd = true }
        }
    }

}
