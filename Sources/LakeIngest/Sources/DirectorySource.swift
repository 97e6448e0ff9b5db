import LakeCore

/// A directory of JSON-lines files read in name order as they appear (see
/// ``SourceSpec/directory(_:follow:)``).
final class DirectorySource: ChangeSource {
    let kind = "directory"
    let path: String
    let follow: Bool
    private var current: (name: String, file: PosixFile, buffer: LineBuffer)?
    /// Files with names up to this one are done.
    private var lastName: String?

    init(path: String, follow: Bool) throws(LakeError) {
        self.path = absolutePath(path)
        self.follow = follow
        guard FileBytes.kind(self.path).isDirectory else {
            throw LakeError(.notFound, "\(path) is not a directory")
        }
    }

    /// Whether a directory entry is an input file.
    static func isInput(_ name: String) -> Bool {
        !(name.hasPrefix(".") || name.hasPrefix("_") || name.hasSuffix(".tmp"))
    }

    private func nextName(after name: String?) throws(LakeError) -> String? {
        var best: String?
        for n in try FileBytes.list(path) where Self.isInput(n) {
            if let after = name, n <= after { continue }
            if FileBytes.kind(path + "/" + n).isDirectory { continue }
            if best == nil || n < best! { best = n }
        }
        return best
    }

    func resume(from checkpoint: Checkpoint) throws(LakeError) {
        current = nil
        let p = try FilePosition.resuming(checkpoint)
        guard let name = p.file else { return }
        let full = path + "/" + name
        if FileBytes.kind(full).exists {
            let f = try PosixFile.open(full)
            let size = try f.status().size
            guard p.offset <= size else {
                throw LakeError(
                    .invalidInput,
                    "\(full) has \(size) bytes but the table's checkpoint is at offset "
                        + "\(p.offset): the file was truncated or replaced")
            }
            try f.seek(to: p.offset)
            current = (name, f, LineBuffer(file: full, offset: p.offset, line: p.line))
        }
        lastName = name
    }

    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead {
        while true {
            if current == nil {
                guard let n = try nextName(after: lastName) else { return follow ? .idle : .end }
                let full = path + "/" + n
                current = (n, try PosixFile.open(full), LineBuffer(file: full))
                lastName = n
            }
            if let c = take(maxBytes: maxBytes, maxLines: maxLines, final: false) { return .chunk(c) }
            if try current!.buffer.fill(from: current!.file, max: sourceReadSize) > 0 { continue }
            // The current file is read to its end: finish it when a later file exists.
            var finished = !follow
            if !finished { finished = try nextName(after: current!.name) != nil }
            guard finished else { return .idle }
            if let c = take(maxBytes: maxBytes, maxLines: maxLines, final: true) { return .chunk(c) }
            current = nil
        }
    }

    /// Whole lines of the current file, ending at the position after them.
    private func take(maxBytes: Int, maxLines: Int, final: Bool) -> SourceChunk? {
        guard var c = current!.buffer.take(maxBytes: maxBytes, maxLines: maxLines, final: final) else { return nil }
        let b = current!.buffer
        c.end = FilePosition(file: current!.name, offset: b.offset, line: b.line).checkpoint(source: kind, path: path)
        return c
    }
}
