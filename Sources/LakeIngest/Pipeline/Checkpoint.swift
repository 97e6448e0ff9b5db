import LakeCore

/// A source's position, stored in a commit's `extraMetadata` under ``key`` as Hudi's streamer
/// stores its checkpoint: the position just after the last record the commit holds. A restarted
/// pipeline finds the newest checkpoint of its source among the commits and hands it back to the
/// source, which resumes exactly there, so every record is committed once.
///
/// The pipeline sees a checkpoint only as the source's identity (``source`` kind and ``path``)
/// and an opaque ``position`` — JSON members only the source interprets. The JSON form is one
/// object: `source`, `path`, then the position's members:
///
/// - a file: `{"source":"file","path":"/data/changes.jsonl","offset":81920,"line":161}`
///   (``FilePosition``; a directory adds `"file":"0003.jsonl"`, standard input is `stdin`/`-`);
/// - a sharded stream keeps a sequence number per shard, for example
///   `{"source":"kinesis","path":"arn:…","shards":{"shardId-000":"4959…","shardId-001":"4960…"}}`.
///
/// Checkpoints lake wrote before positions became opaque have exactly the file form, so tables
/// keep resuming where they were.
public struct Checkpoint: Sendable, Hashable, CustomStringConvertible {
    /// The `extraMetadata` key.
    public static let key = "lake.checkpoint"

    /// The source kind: `file`, `directory`, `stdin`, or a custom source's (`kinesis`, …).
    public var source: String
    /// The source's identity within its kind: an absolute path, `-` for standard input, a
    /// stream's name or ARN.
    public var path: String
    /// The position: JSON members that only the source interprets (never `source` or `path`).
    public var position: [JSONMember]

    /// A checkpoint of `source`/`path` at `position`.
    public init(source: String, path: String, position: [JSONMember]) {
        self.source = source
        self.path = path
        self.position = position.filter { $0.key != "source" && $0.key != "path" }
    }

    /// The JSON text stored in the commit.
    public var json: String {
        JSONValue.object(
            [JSONMember("source", .string(source)), JSONMember("path", .string(path))]
                + position
        ).jsonText
    }

    /// The position's member named `key`.
    public subscript(key: String) -> JSONValue? { position.first { $0.key == key }?.value }

    public var description: String {
        if let p = FilePosition(self) { return p.describe(in: path) }
        return "\(source) \(path) at \(JSONValue.object(position).jsonText)"
    }

    /// Parses the JSON form.
    /// - Throws: ``LakeError`` `.corruptTable` when the text is not an object with string
    ///   `source` and `path`.
    public init(json: String) throws(LakeError) {
        let v: JSONValue
        do throws(LakeError) {
            v = try JSONValue(parsing: json)
        } catch {
            throw LakeError(.corruptTable, "checkpoint \(json): \(error.message)")
        }
        guard case .object(let members) = v, let source = v["source"]?.stringValue,
            let path = v["path"]?.stringValue
        else {
            throw LakeError(.corruptTable, "checkpoint \(json): expected an object with source and path")
        }
        self.init(source: source, path: path, position: members)
    }

    /// Whether this checkpoint belongs to the same source (kind and path).
    public func isSameSource(as other: Checkpoint) -> Bool {
        source == other.source && path == other.path
    }

    /// Whether this checkpoint belongs to `input` (its kind and path).
    public func belongs(to input: any ChangeSource) -> Bool {
        source == input.kind && path == input.path
    }
}
