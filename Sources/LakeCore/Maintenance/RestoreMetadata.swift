/// What a restore removed: the content of a completed `.hoodie/<R>.restore` instant, and the result
/// of ``Table/restore(toSavepoint:)``.
///
/// The JSON uses the field names of Java's `HoodieRestoreMetadata` (`startRestoreTime`,
/// `timeTakenInMillis`, `instantsToRollback`, `hoodieRestoreMetadata`: per removed commit, its
/// rollback metadata; `version`; `restoreInstantInfo`) plus `lake.savepointToRestoreTimestamp`
/// and `lake.savepointsDeleted`. Java writes Avro there; hudi-rs ignores restore instants.
public struct RestoreMetadata: Sendable, Hashable {
    /// The restore's own instant time (`<R>.restore`); empty when there was nothing to remove.
    public var instant: String
    /// The savepoint (commit) the table was returned to.
    public var savepoint: String
    /// The removed commits, newest first, each with what was deleted.
    public var rolledBack: [RollbackMetadata]
    /// Savepoints of removed commits, deleted with them.
    public var savepointsDeleted: [String]
    /// Wall time the restore took, in milliseconds.
    public var timeTakenMillis: Int64

    /// A restore result.
    public init(
        instant: String, savepoint: String, rolledBack: [RollbackMetadata] = [], savepointsDeleted: [String] = [],
        timeTakenMillis: Int64 = 0
    ) {
        self.instant = instant
        self.savepoint = savepoint
        self.rolledBack = rolledBack
        self.savepointsDeleted = savepointsDeleted
        self.timeTakenMillis = timeTakenMillis
    }

    var json: JSONValue {
        .object(pairs: [
            ("startRestoreTime", .string(instant)),
            ("timeTakenInMillis", .int(timeTakenMillis)),
            ("instantsToRollback", InstantJSON.strings(rolledBack.map(\.rolledBack))),
            ("hoodieRestoreMetadata", .object(pairs: rolledBack.map { ($0.rolledBack, .array([$0.json])) })),
            ("version", .int(1)),
            (
                "restoreInstantInfo",
                .array(rolledBack.map { InstantJSON.instantInfo($0.rolledBack, $0.rolledBackAction) })
            ),
            ("lake.savepointToRestoreTimestamp", .string(savepoint)),
            ("lake.savepointsDeleted", InstantJSON.strings(savepointsDeleted)),
        ])
    }

    /// The bytes of a completed `.restore` file (Jackson-style pretty JSON).
    public func jsonData() -> [UInt8] { Array(json.prettyText.utf8) }

    /// Parses a completed `.restore` file written by lake.
    /// - Throws: `.corruptTable` if it is not lake's restore JSON.
    public init(json bytes: [UInt8], source: String) throws(LakeError) {
        let doc: JSONValue
        do throws(LakeError) { doc = try JSONValue.parse(bytes, what: source) } catch {
            throw LakeError(.corruptTable, "\(source): not lake's restore metadata (JSON): \(error.message)")
        }
        var removed: [RollbackMetadata] = []
        for t in InstantJSON.stringArray(doc["instantsToRollback"]) ?? [] {
            guard let m = InstantJSON.array(doc["hoodieRestoreMetadata"]?[t])?.first else { continue }
            removed.append(try RollbackMetadata(parsed: m, source: source))
        }
        self.init(
            instant: InstantJSON.string(doc["startRestoreTime"]) ?? "",
            savepoint: InstantJSON.string(doc["lake.savepointToRestoreTimestamp"]) ?? "",
            rolledBack: removed, savepointsDeleted: InstantJSON.stringArray(doc["lake.savepointsDeleted"]) ?? [],
            timeTakenMillis: InstantJSON.int(doc["timeTakenInMillis"]) ?? 0)
    }
}
