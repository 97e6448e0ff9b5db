/// What one rollback removed: the content of a completed `.hoodie/<R>.rollback` instant, and the
/// result of ``Table/rollback(instant:)``.
///
/// The JSON uses the field names of Java Hudi's `HoodieRollbackMetadata` (`startRollbackTime`,
/// `timeTakenInMillis`, `totalFilesDeleted`, `commitsRollback`, `partitionMetadata` with
/// `successDeleteFiles` / `failedDeleteFiles`, `version`, `instantsRollback`) plus lake's own
/// `lake.*` fields (whether the write had completed; the index and instant files removed).
/// Java writes this record as Avro, so Java Hudi cannot read lake's rollback instants; hudi-rs
/// never reads them. Paths are relative to the table root.
public struct RollbackMetadata: Sendable, Hashable {
    /// The rollback's own instant time (`<R>.rollback`); for a commit removed by a restore, the
    /// restore's instant time.
    public var instant: String
    /// The instant time of the write that was removed.
    public var rolledBack: String
    /// The action of the removed write (commit, replacecommit, deltacommit).
    public var rolledBackAction: Instant.Action
    /// Whether the removed write had completed (an undone commit) rather than failed.
    public var wasCompleted: Bool
    /// The write's data files that were deleted, sorted.
    public var deletedDataFiles: [String]
    /// The write's record index files that were deleted (`.hoodie/lake/index/…`), sorted.
    public var deletedIndexFiles: [String]
    /// The write's instant files that were deleted (`.hoodie/<T>.commit`, …), most advanced first.
    public var deletedInstantFiles: [String]
    /// Wall time the rollback took, in milliseconds.
    public var timeTakenMillis: Int64

    /// A rollback result.
    public init(
        instant: String, rolledBack: String, rolledBackAction: Instant.Action, wasCompleted: Bool,
        deletedDataFiles: [String] = [], deletedIndexFiles: [String] = [], deletedInstantFiles: [String] = [],
        timeTakenMillis: Int64 = 0
    ) {
        self.instant = instant
        self.rolledBack = rolledBack
        self.rolledBackAction = rolledBackAction
        self.wasCompleted = wasCompleted
        self.deletedDataFiles = deletedDataFiles
        self.deletedIndexFiles = deletedIndexFiles
        self.deletedInstantFiles = deletedInstantFiles
        self.timeTakenMillis = timeTakenMillis
    }

    /// The JSON object, in Java's field order.
    var json: JSONValue {
        var byPartition: [String: [String]] = [:]
        for f in deletedDataFiles { byPartition[StoragePath.parent(f), default: []].append(f) }
        let partitions: [(String, JSONValue)] = byPartition.keys.sorted().map { p in
            (
                p,
                .object(pairs: [
                    ("partitionPath", .string(p)), ("successDeleteFiles", InstantJSON.strings(byPartition[p]!)),
                    ("failedDeleteFiles", .array([])), ("rollbackLogFiles", .object(pairs: [])),
                ])
            )
        }
        return .object(pairs: [
            ("startRollbackTime", .string(instant)),
            ("timeTakenInMillis", .int(timeTakenMillis)),
            ("totalFilesDeleted", .int(Int64(deletedDataFiles.count))),
            ("commitsRollback", InstantJSON.strings([rolledBack])),
            ("partitionMetadata", .object(pairs: partitions)),
            ("version", .int(1)),
            ("instantsRollback", .array([InstantJSON.instantInfo(rolledBack, rolledBackAction)])),
            ("lake.wasCompleted", .bool(wasCompleted)),
            ("lake.indexFilesDeleted", InstantJSON.strings(deletedIndexFiles)),
            ("lake.instantFilesDeleted", InstantJSON.strings(deletedInstantFiles)),
        ])
    }

    /// The bytes of a completed `.rollback` instant file (Jackson-style pretty JSON).
    public func jsonData() -> [UInt8] { Array(json.prettyText.utf8) }

    /// Parses the content of a completed `.rollback` file written by lake.
    /// - Parameter source: names the file in errors.
    /// - Throws: `.corruptTable` if it is not lake's rollback JSON (Java writes Avro here).
    public init(json bytes: [UInt8], source: String) throws(LakeError) {
        let doc: JSONValue
        do throws(LakeError) { doc = try JSONValue.parse(bytes, what: source) } catch {
            throw LakeError(.corruptTable, "\(source): not lake's rollback metadata (JSON): \(error.message)")
        }
        try self.init(parsed: doc, source: source)
    }

    init(parsed doc: JSONValue, source: String) throws(LakeError) {
        guard let (t, action) = InstantJSON.instantInfo(InstantJSON.array(doc["instantsRollback"])?.first) else {
            throw LakeError(.corruptTable, "\(source): rollback metadata has no instantsRollback entry")
        }
        var files: [String] = []
        if let parts = doc["partitionMetadata"]?.members {
            for p in parts.map(\.value) { files += InstantJSON.stringArray(p["successDeleteFiles"]) ?? [] }
        }
        self.init(
            instant: InstantJSON.string(doc["startRollbackTime"]) ?? "", rolledBack: t, rolledBackAction: action,
            wasCompleted: InstantJSON.bool(doc["lake.wasCompleted"]) ?? false, deletedDataFiles: files.sorted(),
            deletedIndexFiles: InstantJSON.stringArray(doc["lake.indexFilesDeleted"]) ?? [],
            deletedInstantFiles: InstantJSON.stringArray(doc["lake.instantFilesDeleted"]) ?? [],
            timeTakenMillis: InstantJSON.int(doc["timeTakenInMillis"]) ?? 0)
    }
}

/// Reading and building the JSON of lake's rollback, restore and savepoint instant files.
enum InstantJSON {
    static func strings(_ s: [String]) -> JSONValue { .array(s.map { .string($0) }) }

    /// Java's `HoodieInstantInfo`: `{"commitTime": t, "action": a}`.
    static func instantInfo(_ t: String, _ action: Instant.Action) -> JSONValue {
        .object(pairs: [("commitTime", .string(t)), ("action", .string(action.rawValue))])
    }

    /// `(commitTime, action)` of a `HoodieInstantInfo` object.
    static func instantInfo(_ v: JSONValue?) -> (String, Instant.Action)? {
        guard let t = string(v?["commitTime"]), let a = string(v?["action"]).flatMap(Instant.Action.init(rawValue:))
        else { return nil }
        return (t, a)
    }

    static func string(_ v: JSONValue?) -> String? { if case .string(let s)? = v { return s } else { return nil } }
    static func bool(_ v: JSONValue?) -> Bool? { if case .bool(let b)? = v { return b } else { return nil } }
    static func int(_ v: JSONValue?) -> Int64? { v?.int64Value }
    static func array(_ v: JSONValue?) -> [JSONValue]? { if case .array(let a)? = v { return a } else { return nil } }
    /// The strings of an array of strings (other elements skipped).
    static func stringArray(_ v: JSONValue?) -> [String]? { array(v)?.compactMap { string($0) } }
}
