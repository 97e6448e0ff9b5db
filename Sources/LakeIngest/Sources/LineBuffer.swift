import LakeCore

/// Bytes read from one file but not yet handed out, cut into chunks of whole lines.
struct LineBuffer {
    /// The file name chunks carry.
    var file: String
    /// Unconsumed bytes.
    private(set) var pending: [UInt8] = []
    /// The file offset of `pending[0]`.
    private(set) var offset: Int64
    /// The line number of `pending[0]`'s line.
    private(set) var line: Int

    init(file: String, offset: Int64 = 0, line: Int = 1) {
        self.file = file
        self.offset = offset
        self.line = line
    }

    var isEmpty: Bool { pending.isEmpty }
    var count: Int { pending.count }

    mutating func append(_ bytes: ArraySlice<UInt8>) { pending.append(contentsOf: bytes) }
    mutating func append(_ bytes: [UInt8]) { pending.append(contentsOf: bytes) }

    /// Reads from `f` (at most `max` bytes) into the buffer; returns the count.
    mutating func fill(from f: PosixFile, max: Int) throws(LakeError) -> Int {
        try f.read(appendingTo: &pending, max: max)
    }

    /// Takes whole lines: up to `maxLines` and up to `maxBytes` (at least one line when one is
    /// complete). With `final`, an unterminated last line counts as a line.
    mutating func take(maxBytes: Int, maxLines: Int, final: Bool) -> SourceChunk? {
        guard !pending.isEmpty, maxLines > 0 else { return nil }
        var end = 0
        var lines = 0
        var moreNewlines = false
        pending.withUnsafeBytes { buf in
            while lines < maxLines, let nl = JSONLines.indexOfNewline(in: buf, from: end) {
                if lines > 0 && nl + 1 > maxBytes { break }
                end = nl + 1
                lines += 1
            }
            moreNewlines = JSONLines.indexOfNewline(in: buf, from: end) != nil
        }
        if final && !moreNewlines && end < pending.count && lines < maxLines
            && (lines == 0 || pending.count <= maxBytes)
        {
            end = pending.count
            lines += 1
        }
        guard end > 0 else { return nil }
        let chunk = SourceChunk(bytes: Array(pending[0..<end]), file: file, startOffset: offset, firstLine: line)
        let newlines = chunk.bytes.withUnsafeBytes { JSONLines.newlineCount(in: $0) }
        pending.removeFirst(end)
        offset += Int64(end)
        line += newlines
        if chunk.bytes.last != 0x0A { line += 1 }
        return chunk
    }

    /// Drops everything and restarts at a position.
    mutating func reset(offset: Int64, line: Int) {
        pending = []
        self.offset = offset
        self.line = line
    }
}
