/// The content of a completed `<ts>.commit` / `<ts>.replacecommit` (and, in Java's JSON shape,
/// of `<ts>.inflight`): Java `HoodieCommitMetadata` / `HoodieReplaceCommitMetadata` as JSON
/// (format page §5).
///
/// ``jsonData()`` writes Jackson's pretty layout with Java's key order: `partitionToWriteStats`
/// (partitions sorted), `compacted`, `extraMetadata` (keys sorted), `operationType`, then
/// `partitionToReplaceFileIds` if set. ``init(json:)`` ignores unknown keys, accepts absent
/// optional keys, and rejects known keys of the wrong JSON type and empty documents (hudi-rs fails
/// on `{}` and on a 0-byte file for the latest commit).
public struct HoodieCommitMetadata: Sendable, Hashable {
    /// Write stats per partition path (`""` for a non-partitioned table).
    public var partitionToWriteStats: [String: [HoodieWriteStat]]
    /// Whether this commit is a compaction (always `false` for copy-on-write writes).
    public var compacted: Bool
    /// Free-form string metadata; `schema` holds the table's Avro schema (see ``schema``).
    public var extraMetadata: [String: String]
    /// The kind of write; Java always writes it, older files may lack it.
    public var operationType: WriteOperationType?
    /// For replacecommits: the file groups this instant replaces, per partition. `nil` (key
    /// absent) for plain commits.
    public var partitionToReplaceFileIds: [String: [String]]?

    /// Commit metadata with the given content; empty by default.
    public init(
        partitionToWriteStats: [String: [HoodieWriteStat]] = [:], compacted: Bool = false,
        extraMetadata: [String: String] = [:], operationType: WriteOperationType? = nil,
        partitionToReplaceFileIds: [String: [String]]? = nil
    ) {
        self.partitionToWriteStats = partitionToWriteStats
        self.compacted = compacted
        self.extraMetadata = extraMetadata
        self.operationType = operationType
        self.partitionToReplaceFileIds = partitionToReplaceFileIds
    }

    /// The key of the table schema in ``extraMetadata``.
    public static let schemaKey = "schema"

    /// The Avro record schema of the table's data columns, as JSON text
    /// (`extraMetadata["schema"]`). hudi-rs reads the latest commit's value for every read.
    public var schema: String? {
        get { extraMetadata[Self.schemaKey] }
        set { extraMetadata[Self.schemaKey] = newValue }
    }

    /// Appends a write stat under its partition.
    public mutating func add(_ stat: HoodieWriteStat, partition: String) {
        partitionToWriteStats[partition, default: []].append(stat)
    }

    /// Every write stat, partitions in sorted order.
    public var allWriteStats: [HoodieWriteStat] {
        partitionToWriteStats.keys.sorted().flatMap { partitionToWriteStats[$0]! }
    }

    /// The file groups this instant touched, as (partition, fileId) pairs (format page §7.4).
    public var touchedFileGroups: Set<FileGroupID> {
        var out = Set<FileGroupID>()
        for (p, stats) in partitionToWriteStats {
            for s in stats where !s.fileId.isEmpty { out.insert(FileGroupID(partitionPath: p, fileId: s.fileId)) }
        }
        return out
    }

    /// The file groups this replacecommit replaces (empty for plain commits).
    public var replacedFileGroups: Set<FileGroupID> {
        var out = Set<FileGroupID>()
        for (p, ids) in partitionToReplaceFileIds ?? [:] {
            for id in ids { out.insert(FileGroupID(partitionPath: p, fileId: id)) }
        }
        return out
    }
}

extension HoodieCommitMetadata {
    /// UTF-8 JSON in Jackson's pretty layout, as Java Hudi writes it.
    public func jsonData() -> [UInt8] {
        Array(json.prettyText.utf8)
    }

    var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            (
                "partitionToWriteStats",
                .object(
                    pairs: partitionToWriteStats.keys.sorted().map { p in
                        (p, .array(partitionToWriteStats[p]!.map(\.json)))
                    })
            ),
            ("compacted", .bool(compacted)),
            ("extraMetadata", .object(pairs: extraMetadata.keys.sorted().map { ($0, .string(extraMetadata[$0]!)) })),
            ("operationType", operationType.map { .string($0.rawValue) } ?? .null),
        ]
        if let replaced = partitionToReplaceFileIds {
            pairs.append(
                (
                    "partitionToReplaceFileIds",
                    .object(
                        pairs: replaced.keys.sorted().map { p in
                            (p, .array(replaced[p]!.map(JSONValue.string)))
                        })
                ))
        }
        return .object(pairs: pairs)
    }

    /// Parses commit metadata JSON.
    /// - Parameters:
    ///   - json: the file content (UTF-8).
    ///   - source: names the file in error messages (`.hoodie/20240101000000000.commit`).
    /// - Throws: `.corruptTable` for an empty document, invalid JSON, a top level that is not an
    ///   object, `{}`, or a known key of the wrong type; the message names `source` and the key path.
    public init(json bytes: [UInt8], source: String = "commit metadata") throws(LakeError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw LakeError(.corruptTable, "\(source): commit metadata is empty")
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes, what: source)
        } catch {
            throw LakeError(.corruptTable, error.message, cause: error)
        }
        guard case .object(let top) = root else {
            throw LakeError(.corruptTable, "\(source): expected a JSON object, found \(root.typeName)")
        }
        guard !top.isEmpty else { throw LakeError(.corruptTable, "\(source): commit metadata is empty ({})") }
        let r = MetadataReader(root, source)
        self.init()
        for (partition, list) in try r.object("partitionToWriteStats") ?? [] {
            let loc = "\(source).partitionToWriteStats[\"\(partition)\"]"
            guard case .array(let items) = list else {
                throw LakeError(.corruptTable, "\(loc): expected an array, found \(list.typeName)")
            }
            var stats: [HoodieWriteStat] = []
            stats.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                stats.append(try HoodieWriteStat(json: item, where: "\(loc)[\(i)]"))
            }
            partitionToWriteStats[partition] = stats
        }
        compacted = try r.bool("compacted") ?? false
        for (k, v) in try r.object("extraMetadata") ?? [] {
            switch v {
            case .string(let s): extraMetadata[k] = s
            case .null: continue
            default:
                throw LakeError(.corruptTable, "\(source).extraMetadata.\(k): expected a string, found \(v.typeName)")
            }
        }
        operationType = try r.string("operationType").map(WriteOperationType.init(rawValue:))
        if let replaced = try r.object("partitionToReplaceFileIds") {
            var m: [String: [String]] = [:]
            for (partition, list) in replaced {
                let loc = "\(source).partitionToReplaceFileIds[\"\(partition)\"]"
                guard case .array(let items) = list else {
                    throw LakeError(.corruptTable, "\(loc): expected an array, found \(list.typeName)")
                }
                var ids: [String] = []
                for item in items {
                    guard case .string(let s) = item else {
                        throw LakeError(.corruptTable, "\(loc): expected file id strings, found \(item.typeName)")
                    }
                    ids.append(s)
                }
                m[partition] = ids
            }
            partitionToReplaceFileIds = m
        }
    }
}
