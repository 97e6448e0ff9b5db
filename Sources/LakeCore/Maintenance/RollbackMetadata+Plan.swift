extension RollbackMetadata {
    /// What a rollback is about to remove: the content of `.hoodie/<R>.rollback.requested`, written
    /// before anything is deleted, so a rollback interrupted by a crash is finished by the next
    /// writer from this plan.
    ///
    /// JSON field names follow Java's `HoodieRollbackPlan` (`instantToRollback`,
    /// `RollbackRequests` with `partitionPath`, `fileId`, `latestBaseInstant`,
    /// `filesToBeDeleted`, `version`) plus `lake.wasCompleted` and `lake.indexFilesToBeDeleted`.
    public struct Plan: Sendable, Hashable {
        /// The write to remove.
        public var target: String
        /// Its action.
        public var action: Instant.Action
        /// Whether it had completed when the rollback was planned.
        public var wasCompleted: Bool
        /// Its data files, sorted.
        public var dataFiles: [String]
        /// Its record index files, sorted.
        public var indexFiles: [String]

        /// A plan.
        public init(
            target: String, action: Instant.Action, wasCompleted: Bool, dataFiles: [String], indexFiles: [String]
        ) {
            self.target = target
            self.action = action
            self.wasCompleted = wasCompleted
            self.dataFiles = dataFiles
            self.indexFiles = indexFiles
        }

        var json: JSONValue {
            var groups: [String: [String]] = [:]
            for f in dataFiles {
                let fileId = BaseFile.parse(StoragePath.fileName(f))?.fileId ?? ""
                groups[StoragePath.parent(f) + "\u{0}" + fileId, default: []].append(f)
            }
            let requests: [JSONValue] = groups.keys.sorted().map { k in
                let parts = k.split(separator: "\u{0}", omittingEmptySubsequences: false)
                return .object(pairs: [
                    ("partitionPath", .string(String(parts[0]))), ("fileId", .string(String(parts[1]))),
                    ("latestBaseInstant", .string(target)), ("filesToBeDeleted", InstantJSON.strings(groups[k]!)),
                    ("logBlocksToBeDeleted", .object(pairs: [])),
                ])
            }
            return .object(pairs: [
                ("instantToRollback", InstantJSON.instantInfo(target, action)),
                ("RollbackRequests", .array(requests)),
                ("version", .int(1)),
                ("lake.wasCompleted", .bool(wasCompleted)),
                ("lake.indexFilesToBeDeleted", InstantJSON.strings(indexFiles)),
            ])
        }

        /// The bytes of a `.rollback.requested` file.
        public func jsonData() -> [UInt8] { Array(json.prettyText.utf8) }

        /// Parses a `.rollback.requested` file written by lake.
        /// - Throws: `.corruptTable` if it is not lake's plan JSON.
        public init(json bytes: [UInt8], source: String) throws(LakeError) {
            let doc: JSONValue
            do throws(LakeError) { doc = try JSONValue.parse(bytes, what: source) } catch {
                throw LakeError(.corruptTable, "\(source): not lake's rollback plan (JSON): \(error.message)")
            }
            try self.init(parsed: doc, source: source)
        }

        init(parsed doc: JSONValue, source: String) throws(LakeError) {
            guard let (t, action) = InstantJSON.instantInfo(doc["instantToRollback"]) else {
                throw LakeError(.corruptTable, "\(source): rollback plan has no instantToRollback")
            }
            var files: [String] = []
            for r in InstantJSON.array(doc["RollbackRequests"]) ?? [] {
                files += InstantJSON.stringArray(r["filesToBeDeleted"]) ?? []
            }
            self.init(
                target: t, action: action, wasCompleted: InstantJSON.bool(doc["lake.wasCompleted"]) ?? false,
                dataFiles: files.sorted(), indexFiles: InstantJSON.stringArray(doc["lake.indexFilesToBeDeleted"]) ?? [])
        }
    }
}
