/// A piece of input holding whole records (JSON lines): what sources hand to the batch builder.
///
/// ``file``, ``startOffset`` and ``firstLine`` locate the records for messages and the error log
/// (a file's path, byte offset and line number; a stream source gives its own: a shard's name and
/// the record's number in it). ``end`` is the source's position after the chunk — what a commit
/// ending with this chunk stores so the stream resumes right after it; the pipeline never looks
/// inside it.
public struct SourceChunk: Sendable, Hashable {
    /// Complete lines (the last one may lack its newline only at the end of a finished input).
    public var bytes: [UInt8]
    /// Where the bytes come from (a file path, `-` for standard input, a shard's name).
    public var file: String
    /// The offset of `bytes[0]` in the file (or the source's own number for the first record).
    public var startOffset: Int64
    /// The line number of the first line in `bytes`.
    public var firstLine: Int
    /// The source's position after this chunk, or `nil` when the source cannot resume.
    public var end: Checkpoint?

    public init(bytes: [UInt8], file: String, startOffset: Int64 = 0, firstLine: Int = 1, end: Checkpoint? = nil) {
        self.bytes = bytes
        self.file = file
        self.startOffset = startOffset
        self.firstLine = firstLine
        self.end = end
    }

    /// The offset just past the chunk.
    public var endOffset: Int64 { startOffset + Int64(bytes.count) }
}
