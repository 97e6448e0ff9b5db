/// What one clean deletes and what it keeps, worked out before anything is deleted.
///
/// The plan is the content of the clean's `<T>.clean.requested` and `<T>.clean.inflight` instant
/// files (JSON; Java Hudi writes Avro there — hudi-rs ignores clean instants either way), so a
/// clean interrupted by a crash can be finished from it. The completed `<T>.clean` holds the
/// plan plus the result (``CleanerReport``).
public struct CleanerPlan: Sendable, Hashable {
    /// One file to delete: its table-relative path and its size when planned.
    public struct File: Sendable, Hashable, Comparable {
        /// The path relative to the table root.
        public var path: String
        /// The size in bytes when the plan was made.
        public var bytes: Int64

        /// A file to delete.
        public init(path: String, bytes: Int64) {
            self.path = path
            self.bytes = bytes
        }

        /// Orders by path.
        public static func < (a: File, b: File) -> Bool { a.path < b.path }
    }

    /// The policy the plan was made under.
    public var policy: CleanerPolicy
    /// The latest completed write when the plan was made.
    public var lastCompletedCommit: String?
    /// `KEEP_LATEST_COMMITS`: the oldest commit of the retained window (Hudi's
    /// `earliestCommitToRetain`); `nil` for `KEEP_LATEST_FILE_VERSIONS`.
    public var earliestCommitToRetain: String?
    /// The oldest completed commit whose snapshot is still whole once this plan has run, and
    /// every later commit's too: reads as of anything older fail. Never earlier than what an
    /// earlier clean recorded.
    public var earliestReadableInstant: String?
    /// Savepointed commits whose slices the plan keeps.
    public var savepoints: [String]
    /// Base files (file slices) to delete, sorted by path.
    public var dataFiles: [File]
    /// Superseded record-index files (`.hoodie/lake/index/`) to delete, sorted by path.
    public var indexFiles: [File]
    /// Base files the table keeps (every visible slice not in ``dataFiles``).
    public var keptFiles: Int
    /// Their total size in bytes.
    public var keptBytes: Int64

    /// An empty plan under `policy`.
    public init(policy: CleanerPolicy) {
        self.policy = policy
        self.savepoints = []
        self.dataFiles = []
        self.indexFiles = []
        self.keptFiles = 0
        self.keptBytes = 0
    }

    /// Whether there is nothing to delete (then no clean instant is written).
    public var isEmpty: Bool { dataFiles.isEmpty && indexFiles.isEmpty }

    /// Total size of ``dataFiles``.
    public var dataBytes: Int64 { dataFiles.reduce(0) { $0 + $1.bytes } }

    /// Total size of ``indexFiles``.
    public var indexBytes: Int64 { indexFiles.reduce(0) { $0 + $1.bytes } }

    /// Plan format version written into the JSON.
    static let version = 1

    // MARK: JSON

    /// The plan as a JSON object (the content of `.clean.requested` / `.clean.inflight`).
    public var json: JSONValue {
        func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        func files(_ fs: [File]) -> JSONValue {
            .array(
                fs.map {
                    .object([JSONMember("path", .string($0.path)), JSONMember("bytes", .number(JSONNumber($0.bytes)))])
                })
        }
        return .object([
            JSONMember("version", .number(JSONNumber(Self.version))),
            JSONMember("policy", .string(policy.name)),
            JSONMember("retained", .number(JSONNumber(policy.retained))),
            JSONMember("lastCompletedCommit", str(lastCompletedCommit)),
            JSONMember("earliestCommitToRetain", str(earliestCommitToRetain)),
            JSONMember("earliestReadableInstant", str(earliestReadableInstant)),
            JSONMember("savepoints", .array(savepoints.map { .string($0) })),
            JSONMember("filesToDelete", files(dataFiles)),
            JSONMember("indexFilesToDelete", files(indexFiles)),
            JSONMember("keptFiles", .number(JSONNumber(keptFiles))),
            JSONMember("keptBytes", .number(JSONNumber(keptBytes))),
        ])
    }

    /// Parses a plan written by ``json``.
    /// - Parameter source: where the JSON came from, for error messages.
    /// - Throws: `.corruptTable` naming `source` and the field when the JSON is not a lake clean
    ///   plan (Java Hudi's Avro clean files land here too).
    public init(json: JSONValue, source: String) throws(LakeError) {
        func fail(_ what: String) -> LakeError {
            LakeError(.corruptTable, "\(source) is not a lake clean plan: \(what)")
        }
        guard case .object = json else { throw fail("not a JSON object") }
        guard let name = json["policy"]?.stringValue else { throw fail("no policy") }
        guard let retained = json["retained"]?.numberValue?.int64 else { throw fail("no retained count") }
        do {
            policy = try CleanerPolicy(name: name, retained: Int(clamping: retained))
        } catch {
            throw fail(error.message)
        }
        func optionalString(_ key: String) throws(LakeError) -> String? {
            guard let v = json[key], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw fail("\(key) is not a string") }
            return s
        }
        func files(_ key: String, index: Bool) throws(LakeError) -> [File] {
            guard let v = json[key] else { return [] }
            guard case .array(let items) = v else { throw fail("\(key) is not an array") }
            var out: [File] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard let p = item["path"]?.stringValue, let b = item["bytes"]?.numberValue?.int64 else {
                    throw fail("\(key)[\(i)] needs a path and bytes")
                }
                do {
                    try StoragePath.validate(p)
                } catch {
                    throw fail("\(key)[\(i)]: \(error.message)")
                }
                // Only what a cleaner may delete: base files outside .hoodie/, index files inside
                // the index folder.
                let name = StoragePath.fileName(p)
                let allowed =
                    index
                    ? StoragePath.parent(p) == RecordIndexStore.folder && RecordIndexStore.parse(name) != nil
                    : !p.hasPrefix(Timeline.metaFolder + "/") && BaseFile.parse(name) != nil
                guard allowed else { throw fail("\(key)[\(i)] '\(p)' is not a file the cleaner deletes") }
                out.append(File(path: p, bytes: b))
            }
            return out
        }
        lastCompletedCommit = try optionalString("lastCompletedCommit")
        earliestCommitToRetain = try optionalString("earliestCommitToRetain")
        earliestReadableInstant = try optionalString("earliestReadableInstant")
        if case .array(let sps)? = json["savepoints"] {
            savepoints = sps.compactMap(\.stringValue)
        } else {
            savepoints = []
        }
        dataFiles = try files("filesToDelete", index: false)
        indexFiles = try files("indexFilesToDelete", index: true)
        keptFiles = Int(clamping: json["keptFiles"]?.numberValue?.int64 ?? 0)
        keptBytes = json["keptBytes"]?.numberValue?.int64 ?? 0
    }

    /// Parses the bytes of a clean instant file.
    /// - Throws: `.corruptTable` if they are not a lake clean plan.
    public init(bytes: [UInt8], source: String) throws(LakeError) {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw LakeError(.corruptTable, "\(source) is not a lake clean plan: \(error.message)")
        }
        try self.init(json: value, source: source)
    }
}
