import LakeCore

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
