extension Timeline {
    /// The table-relative path of an instant file (`.hoodie/<fileName>`).
    public static func path(of instant: Instant) -> String {
        metaFolder + "/" + instant.fileName
    }

    /// Reads and parses the commit metadata of a completed write instant.
    /// - Throws: `.invalidArgument` if the instant is not a completed commit/deltacommit/
    ///   replacecommit; `.notFound` if its file is gone (archived or cleaned meanwhile);
    ///   `.corruptTable` if the content is empty or not valid commit metadata.
    public func commitMetadata(
        of instant: Instant, in storage: some TableStorage
    ) throws(LakeError) -> HoodieCommitMetadata {
        guard instant.state == .completed, instant.action.isWrite else {
            throw LakeError(
                .invalidArgument, "instant \(instant.fileName) is not a completed write; it has no commit metadata")
        }
        let path = Self.path(of: instant)
        return try HoodieCommitMetadata(json: try storage.read(path), source: path)
    }

    /// The table schema: `extraMetadata.schema` of the latest completed write instant that has
    /// one (Java's `TableSchemaResolver` also walks back past commits without a schema; hudi-rs
    /// looks only at the latest). `nil` if no completed write has a schema.
    public func latestSchema(in storage: some TableStorage) throws(LakeError) -> (instant: Instant, schema: String)? {
        for instant in completedCommits.reversed() {
            if let s = try commitMetadata(of: instant, in: storage).schema, !s.isEmpty {
                return (instant, s)
            }
        }
        return nil
    }
}
