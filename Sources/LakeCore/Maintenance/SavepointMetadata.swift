/// A savepoint: a completed commit pinned against the cleaner, so the table can be read as of
/// it and restored to it (``Table/restore(toSavepoint:)``). The content of
/// `.hoodie/<T>.savepoint`, where `T` is the pinned commit's own instant time (as Java Hudi
/// names it; Java writes `<T>.savepoint.inflight` first and no requested file).
///
/// The JSON uses the field names of Java's `HoodieSavepointMetadata`: `savepointedBy`,
/// `savepointedAt` (epoch seconds), `comments`, `partitionMetadata` (per partition,
/// `savepointDataFile`: the names of the base files a read as of `T` needs) and `version`.
/// Java writes Avro there, so Java Hudi cannot read lake's savepoints; hudi-rs ignores them.
public struct SavepointMetadata: Sendable, Hashable {
    /// The pinned commit's instant time.
    public var instant: String
    /// Who created it (the user name), may be empty.
    public var savepointedBy: String
    /// When it was created, epoch seconds.
    public var savepointedAt: Int64
    /// Free text.
    public var comments: String
    /// The base files (relative to the table root) a snapshot as of ``instant`` reads, sorted:
    /// what the cleaner must keep. Empty if the content could not be read (``isReadable``).
    public var files: [String]
    /// Whether the instant file was lake's JSON (a Java-written Avro savepoint is not).
    public var isReadable: Bool

    /// A savepoint record.
    public init(
        instant: String, savepointedBy: String = "", savepointedAt: Int64, comments: String = "",
        files: [String], isReadable: Bool = true
    ) {
        self.instant = instant
        self.savepointedBy = savepointedBy
        self.savepointedAt = savepointedAt
        self.comments = comments
        self.files = files
        self.isReadable = isReadable
    }

    var json: JSONValue {
        var byPartition: [String: [String]] = [:]
        for f in files { byPartition[StoragePath.parent(f), default: []].append(StoragePath.fileName(f)) }
        let partitions: [(String, JSONValue)] = byPartition.keys.sorted().map { p in
            (
                p,
                .object(pairs: [
                    ("partitionPath", .string(p)), ("savepointDataFile", InstantJSON.strings(byPartition[p]!.sorted())),
                ])
            )
        }
        return .object(pairs: [
            ("savepointedBy", .string(savepointedBy)),
            ("savepointedAt", .int(savepointedAt)),
            ("comments", .string(comments)),
            ("partitionMetadata", .object(pairs: partitions)),
            ("version", .int(1)),
        ])
    }

    /// The bytes of the completed `.savepoint` file (Jackson-style pretty JSON).
    public func jsonData() -> [UInt8] { Array(json.prettyText.utf8) }

    /// Parses a `.savepoint` file of commit `instant`. Content that is not lake's JSON (Java's
    /// Avro) gives a savepoint with no files and ``isReadable`` false rather than an error, so
    /// a Java-made savepoint still counts as one.
    public init(instant: String, json bytes: [UInt8], source: String) {
        guard let doc = try? JSONValue.parse(bytes, what: source), case .object = doc else {
            self.init(instant: instant, savepointedAt: 0, files: [], isReadable: false)
            return
        }
        var files: [String] = []
        if let parts = doc["partitionMetadata"]?.members {
            for (key, p) in parts.map({ ($0.key, $0.value) }) {
                let partition = InstantJSON.string(p["partitionPath"]) ?? key
                for name in InstantJSON.stringArray(p["savepointDataFile"]) ?? [] {
                    files.append(StoragePath.join(partition, name))
                }
            }
        }
        self.init(
            instant: instant, savepointedBy: InstantJSON.string(doc["savepointedBy"]) ?? "",
            savepointedAt: InstantJSON.int(doc["savepointedAt"]) ?? 0,
            comments: InstantJSON.string(doc["comments"]) ?? "", files: files.sorted())
    }
}
