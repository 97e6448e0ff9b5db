extension Cleaner {
    /// The slices (table-relative paths) that must stay under `policy`: the latest slice of every
    /// live file group, every slice a read as of a savepointed commit needs, and per policy the
    /// slices of the retained commits or the newest file versions.
    static func neededSlices(
        view: FileSystemView, timeline: Timeline, policy: CleanerPolicy,
        savepoints: [String]
    ) -> (paths: Set<String>, earliestCommitToRetain: String?) {
        var needed = Set<String>()
        for s in view.latestSlices() { needed.insert(s.path) }
        for sp in savepoints {
            for s in view.latestSlices(asOf: sp) { needed.insert(s.path) }
        }
        switch policy {
        case .keepLatestCommits(let n):
            let window = timeline.completedCommits.suffix(n)
            for c in window {
                for s in view.latestSlices(asOf: c.timestamp) { needed.insert(s.path) }
            }
            return (needed, window.first?.timestamp)
        case .keepLatestFileVersions(let n):
            for (id, group) in view.groups where view.replaced[id] == nil {
                for s in group.slices.suffix(n) { needed.insert(s.path) }
            }
            return (needed, nil)
        }
    }

    /// Works out what a clean under `policy` deletes, from the table's current listing (of the
    /// partitions `partitions` selects) and timeline.
    static func makePlan(
        table: Table, policy: CleanerPolicy,
        partitions: PartitionSelection = .all
    ) throws(LakeError) -> CleanerPlan {
        let timeline = table.timeline
        let storage = table.storage
        let view = try FileSystemView.load(storage: storage, timeline: timeline, partitions: partitions)
        let savepoints = table.savepointedCommits
        // A pending write (a live writer, under optimistic concurrency) planned against the
        // snapshot before it: those slices stay while it runs, as if savepointed.
        let pins = timeline.pendingCommits.compactMap { p in
            timeline.completedCommits.last { $0.normalizedTimestamp < p.normalizedTimestamp }?.timestamp
        }
        let (needed, earliestToRetain) = neededSlices(
            view: view, timeline: timeline, policy: policy,
            savepoints: savepoints + pins)

        var plan = CleanerPlan(policy: policy)
        plan.lastCompletedCommit = timeline.latestCompleted?.timestamp
        plan.earliestCommitToRetain = earliestToRetain
        plan.savepoints = savepoints
        var doomed = Set<String>()
        for group in view.groups.values {
            for s in group.slices {
                if needed.contains(s.path) {
                    plan.keptFiles += 1
                    plan.keptBytes += s.size
                } else {
                    plan.dataFiles.append(CleanerPlan.File(path: s.path, bytes: s.size))
                    doomed.insert(s.path)
                }
            }
        }
        plan.dataFiles.sort()
        plan.indexFiles = try supersededIndexFiles(table: table)

        // How far back reads stay whole once this plan has run: the oldest commit from which on
        // every commit's snapshot keeps all its slices.
        let commits = timeline.completedCommits
        var earliest: String?
        let retainedFrom = earliestToRetain.map(Instant.normalize)
        for c in commits.reversed() {
            let known = retainedFrom.map { c.normalizedTimestamp >= $0 } ?? false
            if !known && !doomed.isEmpty {
                guard view.latestSlices(asOf: c.timestamp).allSatisfy({ !doomed.contains($0.path) }) else { break }
            }
            earliest = c.timestamp
        }
        if let previous = try table.recordedReadableBoundary() {
            if earliest.map({ Instant.normalize($0) < Instant.normalize(previous) }) ?? true { earliest = previous }
        }
        plan.earliestReadableInstant = earliest
        return plan
    }

    /// Record-index files that no longer count: bases older than the newest valid base and
    /// deltas at or before it (``RecordIndexStore``) — except the files the index *as of* a
    /// savepointed commit, or as of the commit before the latest, is made of (the newest base at
    /// or before it and the deltas after that base up to it): a restore to that savepoint, or an
    /// undo of the latest commit, then finds the index it returns to — tombstones included —
    /// instead of rebuilding it from the data, which cannot know which keys were deleted. Files of
    /// pending writes are left to rollback; files newer than the newest base are left alone.
    static func supersededIndexFiles(table: Table) throws(LakeError) -> [CleanerPlan.File] {
        let storage = table.storage
        let timeline = table.timeline
        guard try storage.exists(RecordIndexStore.folder) else { return [] }
        var entries: [(base: Bool, instant: String, entry: StorageEntry)] = []
        for e in try storage.list(RecordIndexStore.folder) where !e.isDirectory {
            if let (isBase, instant) = RecordIndexStore.parse(e.name) { entries.append((isBase, instant, e)) }
        }
        let bases = entries.filter { $0.base && timeline.isCompleted($0.instant) }.map { Instant.normalize($0.instant) }
        guard let b = bases.max() else { return [] }
        // The index states a restore or an undo returns to.
        var returnPoints = Set(timeline.completedSavepoints.map(\.normalizedTimestamp))
        if let previous = timeline.completedCommits.dropLast().last {
            returnPoints.insert(previous.normalizedTimestamp)
        }
        var kept = Set<String>()  // "<B|D><instant>"
        for c in returnPoints where c < b {
            let base = bases.filter { $0 <= c }.max()
            if let base { kept.insert("B" + base) }
            for e in entries where !e.base {
                let t = Instant.normalize(e.instant)
                if t <= c && (base.map { t > $0 } ?? true) { kept.insert("D" + t) }
            }
        }
        let pending = Set(timeline.pendingInstants.map(\.normalizedTimestamp))
        var out: [CleanerPlan.File] = []
        for e in entries {
            let t = Instant.normalize(e.instant)
            if pending.contains(t) || kept.contains((e.base ? "B" : "D") + t) { continue }
            if e.base ? t < b : t <= b {
                out.append(CleanerPlan.File(path: RecordIndexStore.folder + "/" + e.entry.name, bytes: e.entry.size))
            }
        }
        return out.sorted()
    }
}
