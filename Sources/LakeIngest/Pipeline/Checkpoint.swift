import LakeCore

/// A stream position stored in a commit's `extraMetadata` under ``key``, as Hudi's streamer
/// stores its checkpoint: the source and the position just after the last record the commit
/// holds. A restarted pipeline reads the newest commit's checkpoint for its source and resumes
/// exactly there, so every record is committed once.
///
/// JSON form: `{"source":"file","path":"/data/changes.jsonl","offset":81920,"line":161}`; a
/// directory source adds `"file":"0003.jsonl"` (the file within the directory; `offset` and
/// `line` are positions in that file).
public struct Checkpoint: Sendable, Hashable, CustomStringConvertible {
    /// The `extraMetadata` key.
    public static let key = "lake.checkpoint"

    /// The source kind: `file`, `directory`, `stdin` (or another name an embedding job uses).
    public var source: String
    /// The source's path (absolute for files and directories; `-` for standard input).
    public var path: String
    /// For a directory source, the name of the file the position is in.
    public var file: String?
    /// The byte offset of the next record to read.
    public var offset: Int64
    /// The line number of the next record to read.
    public var line: Int

    public init(source: String, path: String, file: String? = nil, offset: Int64, line: Int) {
        self.source = source
        self.path = path
        self.file = file
        self.offset = offset
        self.line = line
    }

    /// The JSON text stored in the commit.
    public var json: String {
        var out: [UInt8] = []
        out.append(contentsOf: "{\"source\":".utf8)
        JSONWriter.appendString(source, to: &out)
        out.append(contentsOf: ",\"path\":".utf8)
        JSONWriter.appendString(path, to: &out)
        if let f = file {
            out.append(contentsOf: ",\"file\":".utf8)
            JSONWriter.appendString(f, to: &out)
        }
        out.append(contentsOf: ",\"offset\":\(offset),\"line\":\(line)}".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String {
        if let f = file { return "\(path)/\(f) offset \(offset) (line \(line))" }
        return "\(path) offset \(offset) (line \(line))"
    }

    /// Parses the JSON form.
    /// - Throws: ``LakeError`` `.corruptTable` when the text is not a checkpoint.
    public init(json: String) throws(LakeError) {
        let v: JSONValue
        do throws(LakeError) {
            v = try JSONParser().parse(json)
        } catch {
            throw LakeError(.corruptTable, "checkpoint \(json): \(error.message)")
        }
        guard let source = v["source"]?.stringValue, let path = v["path"]?.stringValue,
              let offset = v["offset"]?.numberValue?.int64, offset >= 0,
              let line = v["line"]?.numberValue?.int64, line >= 1
        else { throw LakeError(.corruptTable, "checkpoint \(json): expected source, path, offset and line") }
        self.init(source: source, path: path, file: v["file"]?.stringValue, offset: offset, line: Int(line))
    }

    /// Whether this checkpoint belongs to the same source (kind and path).
    public func isSameSource(as other: Checkpoint) -> Bool {
        source == other.source && path == other.path
    }
}
