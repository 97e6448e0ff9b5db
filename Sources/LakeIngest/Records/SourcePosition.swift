/// Where a change record is in its input: the file (or `-` for standard input), the 1-based
/// line number and the byte offset of the line's first byte.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// The file path as given, or `-`.
    public var file: String
    /// The 1-based line number.
    public var line: Int
    /// The byte offset of the line's start in the file.
    public var offset: Int64

    public init(file: String, line: Int, offset: Int64) {
        self.file = file
        self.line = line
        self.offset = offset
    }

    /// `file:line`, the form messages use.
    public var description: String { "\(file):\(line)" }
}
