extension Cleaner {
    /// The partitions where a clean can find something to delete that the last clean did not —
    /// so the automatic clean after a write lists those instead of the whole table (Hudi's
    /// incremental cleaning mode); `nil` when it must look everywhere.
    ///
    /// A slice becomes deletable when a newer slice of its file group, or the replacement of
    /// its group, leaves what reads need: under `KEEP_LATEST_COMMITS` N a commit at or before the
    /// retained window's first commit `W` superseded it; under `KEEP_LATEST_FILE_VERSIONS` any
    /// later commit did. So the partitions are those where completed commits after the last
    /// clean's boundary (its `earliestCommitToRetain`, or its last completed commit) — up to `W`
    /// under `KEEP_LATEST_COMMITS` — rewrote an existing file group (a write stat with a previous
    /// slice) or replaced one. Without a clean yet, every commit up to `W` counts (nothing before
    /// the first active commit can hold a deletable slice when nothing was ever archived).
    ///
    /// Everywhere (`nil`) when the reasoning does not hold: the last clean is not lake's (Java's
    /// Avro), was made under another policy, kept slices for a savepoint that is gone now, or
    /// commits after its boundary were archived; a rollback or restore ran since; or there is no
    /// clean yet but commits were archived. An explicit ``run()`` always looks everywhere, so it
    /// also removes anything an interrupted clean left.
    static func incrementalPartitions(table: Table, policy: CleanerPolicy) throws(LakeError) -> Set<String>? {
        let timeline = table.timeline
        let commits = timeline.completedCommits
        guard let firstActive = commits.first else { return [] }
        var lower: String?
        if let last = timeline.instants.last(where: { $0.action == .clean && $0.state == .completed }) {
            let path = Timeline.path(of: last)
            let bytes: [UInt8]
            do throws(LakeError) {
                bytes = try table.storage.read(path)
            } catch  where error.code == .notFound {
                return nil
            }
            guard let plan = try? CleanerPlan(bytes: bytes, source: path), plan.policy == policy else { return nil }
            let savepoints = Set(table.savepointedCommits.map(Instant.normalize))
            guard Set(plan.savepoints.map(Instant.normalize)).isSubset(of: savepoints) else { return nil }
            guard let boundary = plan.earliestCommitToRetain ?? plan.lastCompletedCommit else { return nil }
            let b = Instant.normalize(boundary)
            guard firstActive.normalizedTimestamp <= b else { return nil }
            let t = last.normalizedTimestamp
            let undone = timeline.instants.contains {
                ($0.action == .rollback || $0.action == .restore) && $0.normalizedTimestamp > t
            }
            if undone { return nil }
            lower = b
        } else {
            let archive = Timeline.metaFolder + "/" + table.config.archiveLogFolder
            if !table.config.archiveLogFolder.isEmpty, !(try table.storage.walkFiles(under: archive)).isEmpty {
                return nil
            }
        }
        var upper: String?
        if case .keepLatestCommits(let n) = policy {
            upper = commits[max(commits.count - n, 0)].normalizedTimestamp
        }
        var partitions = Set<String>()
        for c in commits {
            let t = c.normalizedTimestamp
            if let lower, t <= lower { continue }
            if let upper, t > upper { break }
            let meta = try table.commitMetadata(c)
            for (p, stats) in meta.partitionToWriteStats where stats.contains(where: { $0.previousInstant != nil }) {
                partitions.insert(p)
            }
            for id in meta.replacedFileGroups { partitions.insert(id.partitionPath) }
        }
        return partitions
    }
}
