extension RestoreMetadata {
    /// What a restore is about to remove: the content of `.hoodie/<R>.restore.requested`, written
    /// before anything is deleted, so a restore interrupted by a crash is finished by the next
    /// writer.
    ///
    /// JSON: Java's `HoodieRestorePlan` fields (`instantsToRollback` as instant infos, newest
    /// first; `version`; `savepointToRestoreTimestamp`) plus `lake.rollbackPlans` (one
    /// ``RollbackMetadata/Plan`` per commit) and `lake.savepointsToDelete`.
    public struct Plan: Sendable, Hashable {
        /// The savepoint to return to.
        public var savepoint: String
        /// The commits to remove, newest first.
        public var rollbacks: [RollbackMetadata.Plan]
        /// Savepoints of those commits.
        public var savepointsToDelete: [String]

        /// A plan.
        public init(savepoint: String, rollbacks: [RollbackMetadata.Plan], savepointsToDelete: [String]) {
            self.savepoint = savepoint
            self.rollbacks = rollbacks
            self.savepointsToDelete = savepointsToDelete
        }

        var json: JSONValue {
            .object(pairs: [
                ("instantsToRollback", .array(rollbacks.map { InstantJSON.instantInfo($0.target, $0.action) })),
                ("version", .int(1)),
                ("savepointToRestoreTimestamp", .string(savepoint)),
                ("lake.rollbackPlans", .array(rollbacks.map(\.json))),
                ("lake.savepointsToDelete", InstantJSON.strings(savepointsToDelete)),
            ])
        }

        /// The bytes of a `.restore.requested` file.
        public func jsonData() -> [UInt8] { Array(json.prettyText.utf8) }

        /// Parses a `.restore.requested` file written by lake.
        /// - Throws: `.corruptTable` if it is not lake's restore plan JSON.
        public init(json bytes: [UInt8], source: String) throws(LakeError) {
            let doc: JSONValue
            do throws(LakeError) { doc = try JSONValue.parse(bytes, what: source) } catch {
                throw LakeError(.corruptTable, "\(source): not lake's restore plan (JSON): \(error.message)")
            }
            guard let savepoint = InstantJSON.string(doc["savepointToRestoreTimestamp"]),
                let plans = InstantJSON.array(doc["lake.rollbackPlans"])
            else {
                throw LakeError(
                    .corruptTable, "\(source): restore plan lacks savepointToRestoreTimestamp or lake.rollbackPlans")
            }
            var rollbacks: [RollbackMetadata.Plan] = []
            for p in plans { rollbacks.append(try RollbackMetadata.Plan(parsed: p, source: source)) }
            self.init(
                savepoint: savepoint, rollbacks: rollbacks,
                savepointsToDelete: InstantJSON.stringArray(doc["lake.savepointsToDelete"]) ?? [])
        }
    }
}
