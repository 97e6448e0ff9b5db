/// Where a change record is in its input: the file (or `-` for standard input), the 1-based
/// line number and the byte offset of the line's first byte.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var offset: Int64

    public init(file: String, line: Int, offset: Int64) {
        self.file = file
        self.line = line
        self.offset = offset
    }

    /// `file:line`, the form messages use.
    public var description: String { "\(file):\(line)" }
}

/// A change record that was refused: where it is, why, and its raw text.
public struct IngestIssue: Sendable, Hashable, CustomStringConvertible {
    public var position: SourcePosition
    public var reason: String
    /// The line as read (without its line terminator).
    public var line: [UInt8]

    public init(position: SourcePosition, reason: String, line: [UInt8]) {
        self.position = position
        self.reason = reason
        self.line = line
    }

    /// `file:line: reason`.
    public var description: String { "\(position): \(reason)" }
}

/// What to do with a record that cannot be ingested (malformed JSON, no key, a value that does
/// not fit its column).
public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
    /// Write the record, its position and the reason to the table's error log and go on.
    case quarantine
    /// Stop: the batch fails with the record's position and reason, and nothing is committed.
    case fail
}

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
