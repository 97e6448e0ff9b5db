import LakeCore

/// Where a file-shaped source is: the byte offset and line number of the next record to read
/// and, for a directory source, the file within the directory. The position files, directories
/// and standard input keep in their ``Checkpoint``: `"offset":81920,"line":161` (a directory adds
/// `"file":"0003.jsonl"` before them).
public struct FilePosition: Sendable, Hashable {
    /// For a directory source, the name of the file the position is in.
    public var file: String?
    /// The byte offset of the next record to read.
    public var offset: Int64
    /// The line number of the next record to read.
    public var line: Int

    public init(file: String? = nil, offset: Int64, line: Int) {
        self.file = file
        self.offset = offset
        self.line = line
    }

    /// The file position a checkpoint holds; `nil` when it holds none (another kind of source,
    /// or a damaged one: no offset ≥ 0 and line ≥ 1).
    public init?(_ checkpoint: Checkpoint) {
        guard let offset = checkpoint["offset"]?.numberValue?.int64, offset >= 0,
            let line = checkpoint["line"]?.numberValue?.int64, line >= 1, line <= Int64(Int.max)
        else { return nil }
        self.init(file: checkpoint["file"]?.stringValue, offset: offset, line: Int(line))
    }

    /// The checkpoint members: `file` (if any), `offset`, `line`.
    public var members: [JSONMember] {
        var m: [JSONMember] = []
        if let file { m.append(JSONMember("file", .string(file))) }
        m.append(JSONMember("offset", .number(JSONNumber(offset))))
        m.append(JSONMember("line", .number(JSONNumber(line))))
        return m
    }

    /// The checkpoint of source `source` at `path` at this position.
    public func checkpoint(source: String, path: String) -> Checkpoint {
        Checkpoint(source: source, path: path, position: members)
    }

    /// `path[/file] offset N (line L)`, the form messages use.
    func describe(in path: String) -> String {
        "\(file.map { path + "/" + $0 } ?? path) offset \(offset) (line \(line))"
    }

    /// The position of a checkpoint a file-shaped source resumes from.
    /// - Throws: ``LakeError`` `.corruptTable` when the checkpoint holds no file position.
    static func resuming(_ checkpoint: Checkpoint) throws(LakeError) -> FilePosition {
        guard let p = FilePosition(checkpoint) else {
            throw LakeError(.corruptTable, "checkpoint \(checkpoint.json): expected an offset ≥ 0 and a line ≥ 1")
        }
        return p
    }
}
