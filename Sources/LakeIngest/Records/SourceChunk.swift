/// A piece of input holding whole lines: what sources hand to the batch builder.
public struct SourceChunk: Sendable, Hashable {
    /// Complete lines (the last one may lack its newline only at the end of a finished input).
    public var bytes: [UInt8]
    /// The file the bytes come from (`-` for standard input).
    public var file: String
    /// The offset of `bytes[0]` in the file.
    public var startOffset: Int64
    /// The line number of the first line in `bytes`.
    public var firstLine: Int

    public init(bytes: [UInt8], file: String, startOffset: Int64 = 0, firstLine: Int = 1) {
        self.bytes = bytes
        self.file = file
        self.startOffset = startOffset
        self.firstLine = firstLine
    }

    /// The offset just past the chunk.
    public var endOffset: Int64 { startOffset + Int64(bytes.count) }
}
