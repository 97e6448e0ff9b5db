import LakeCore

/// A source of change records as JSON lines, read in chunks of whole lines.
///
/// Sources are pulled by the pipeline: ``read(maxBytes:maxLines:)`` never blocks for long — it
/// returns ``SourceRead/idle`` when no complete line is available yet (a file that is still
/// growing, a quiet pipe) and ``SourceRead/end`` when the input is finished.
public protocol ChangeSource: AnyObject {
    /// The checkpoint kind (`file`, `directory`, `stdin`).
    var kind: String { get }
    /// The checkpoint path (absolute, or `-`).
    var path: String { get }
    /// Moves to a committed position (the newest checkpoint of this source).
    /// - Throws: ``LakeError`` when the position no longer exists (a file truncated below it).
    func resume(from checkpoint: Checkpoint) throws(LakeError)
    /// Reads whole lines: at most `maxLines` lines and, unless a single line is longer,
    /// at most `maxBytes` bytes.
    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead
    /// The checkpoint for a position this source produced (a chunk's end).
    func checkpoint(at position: SourcePosition) -> Checkpoint
}

/// The result of one read.
public enum SourceRead: Sendable {
    case chunk(SourceChunk)
    /// Nothing complete to read right now; try again later.
    case idle
    /// The input is finished.
    case end
}

/// Which source to read, as a value an embedding job configures.
public enum SourceSpec: Sendable, Hashable, CustomStringConvertible {
    /// A JSON-lines file. With `follow`, the file is tailed as it grows (a partial last line
    /// waits for its newline); without, the input ends at the end of the file.
    case file(String, follow: Bool)
    /// A directory whose files are read in name order as they appear. Names starting with `.`
    /// or `_` and names ending in `.tmp` are ignored (write files there and rename them in).
    /// The last file is tailed while it is the newest; it is finished once a later name exists.
    /// Without `follow`, the input ends after the files present.
    case directory(String, follow: Bool)
    /// Standard input; ends at end of file.
    case standardInput

    /// `-` is standard input, an existing directory is a directory source, anything else a file.
    public init(parsing text: String, follow: Bool) {
        if text == "-" {
            self = .standardInput
        } else if FileBytes.kind(text).isDirectory {
            self = .directory(text, follow: follow)
        } else {
            self = .file(text, follow: follow)
        }
    }

    public var description: String {
        switch self {
        case .file(let p, let f): "file \(p)\(f ? " (following)" : "")"
        case .directory(let p, let f): "directory \(p)\(f ? " (following)" : "")"
        case .standardInput: "standard input"
        }
    }

    /// Opens the source at its beginning.
    public func open() throws(LakeError) -> any ChangeSource {
        switch self {
        case .file(let p, let follow): try FileSource(path: p, follow: follow)
        case .directory(let p, let follow): try DirectorySource(path: p, follow: follow)
        case .standardInput: DescriptorSource(fd: 0, name: "-")
        }
    }
}
