/// Timeline archival: keeps `.hoodie/` bounded by moving the instant files of the oldest
/// completed commits (and of old cleans and rollbacks) to `.hoodie/archived/`.
///
/// When more than ``ArchiverSettings/maxCommits`` completed commits are active, the oldest are
/// archived until ``ArchiverSettings/minCommits`` remain. The files are moved as they are (Java
/// Hudi writes an Avro log there instead; hudi-rs reads neither). Base files of archived commits
/// stay visible to every Hudi reader because they are older than the earliest active instant
/// (format page §7.2), so snapshot reads, and time travel and incremental reads inside the
/// retained window, do not change. Time travel to an archived commit is no longer possible.
///
/// Archival stops early — never passing the first of these — so that it can never make a file
/// visible that was not, nor resurrect a replaced file group:
/// * a pending instant of any action (a failed write's files would become visible);
/// * a savepointed commit (it must stay readable and restorable);
/// * the cleaner's retained window (`KEEP_LATEST_COMMITS` N);
/// * a replacecommit whose replaced file groups still have files (they would come back);
/// * a base file that is not committed (a leftover of a failed write): archiving commits past
///   its instant would make it older than the earliest active instant, so visible.
///
/// Instant files of one commit are moved requested, inflight, then completed, so a crash in
/// between leaves the commit completed, never pending. Before the commits holding the record
/// index's files are archived, the index is rewritten as one base at the latest commit
/// (index files count only while their commit is active).
public struct Archiver: Sendable {
    /// The table to archive.
    public let table: Table
    /// How many commits to keep active.
    public var settings: ArchiverSettings
    /// The cleaner's policy: archival keeps its retained window active.
    public var cleanerPolicy: CleanerPolicy?
    /// Plan and report only; move nothing, take no lock.
    public var dryRun: Bool

    /// An archiver for `table`.
    public init(table: Table, settings: ArchiverSettings, cleanerPolicy: CleanerPolicy? = nil, dryRun: Bool = false) {
        self.table = table
        self.settings = settings
        self.cleanerPolicy = cleanerPolicy
        self.dryRun = dryRun
    }

    /// The folder archived instant files are moved to.
    public var folder: String { Timeline.metaFolder + "/" + table.config.archiveLogFolder }

    /// Archives once: takes the writer lock (waiting up to ``Table/lockWaitMillis``), reloads
    /// the timeline, rolls back failed writes, then moves what the settings allow. A dry run
    /// only reloads and plans.
    /// - Throws: `.conflict` if another writer holds the table; `.io` on storage errors;
    ///   `.corruptTable` if commit metadata cannot be read.
    @discardableResult
    public func run() throws(LakeError) -> ArchiverReport {
        if dryRun {
            try table.refresh()
            return try makePlan().report
        }
        let lock = try table.acquireWriterLock()
        defer { lock.release() }
        try table.refresh()
        try table.rollbackFailedWrites()
        return try runLocked()
    }

    /// ``run()`` for a caller that holds the writer lock and has a fresh timeline.
    func runLocked() throws(LakeError) -> ArchiverReport {
        var plan = try makePlan()
        guard !plan.moves.isEmpty else { return plan.report }
        let storage = table.storage
        if plan.report.indexRebased { try rebaseIndex() }
        try storage.makeDirectories(folder)
        // An archival killed mid-move left an unfinished copy here (the instant it was moving is
        // still on the active timeline, so it is in this plan again); the writer lock is held, so
        // no live archiver writes this folder.
        _ = try storage.discardIncompleteWrites(in: folder, startedBefore: nil)
        for instant in plan.moves {
            let from = Timeline.path(of: instant)
            let bytes: [UInt8]
            do {
                bytes = try storage.read(from)
            } catch  where error.code == .notFound {
                continue
            }
            try storage.write(folder + "/" + instant.fileName, bytes)
            try storage.delete(from)
            plan.report.archivedFiles.append(instant.fileName)
        }
        table.timeline = try Timeline.load(from: storage)
        return plan.report
    }

    struct Plan {
        var report: ArchiverReport
        /// Instant files to move, in order.
        var moves: [Instant] = []
    }

    func makePlan() throws(LakeError) -> Plan {
        let timeline = table.timeline
        let storage = table.storage
        var plan = Plan(report: ArchiverReport(dryRun: dryRun))
        let commits = timeline.completedCommits
        plan.report.activeCommits = commits.count
        plan.report.earliestActiveInstant = timeline.earliestActiveTimestamp
        guard commits.count > settings.maxCommits else { return plan }

        // Archive commits older than `stop`, at most count - min of them.
        var stop: String?
        var reason: String?
        func limit(_ ts: String, _ why: String) {
            if stop.map({ ts < $0 }) ?? true { stop = ts; reason = why }
        }
        if let p = timeline.pendingInstants.first { limit(p.normalizedTimestamp, "pending instant \(p.fileName)") }
        if let sp = table.savepointedCommits.map(Instant.normalize).min() { limit(sp, "savepoint \(sp)") }
        if case .keepLatestCommits(let n)? = cleanerPolicy, commits.count >= n {
            limit(commits[commits.count - n].normalizedTimestamp, "the cleaner's retained window")
        }
        var candidates: [Instant] = []
        for c in commits.prefix(commits.count - settings.minCommits) {
            if let s = stop, c.normalizedTimestamp >= s {
                plan.report.stoppedBy = reason
                break
            }
            candidates.append(c)
        }

        // What is on disk: file groups with any base file, and the oldest uncommitted base file,
        // in the partitions that matter — those the active commits wrote or replaced in (where a
        // failed write between them wrote too) — and the data files leftover markers name.
        var groupsOnDisk = Set<FileGroupID>()
        var oldestUncommitted: String?
        var partitions = Set<String>()
        for c in commits {
            let meta = try timeline.commitMetadata(of: c, in: storage)
            partitions.formUnion(meta.partitionToWriteStats.keys)
            for id in meta.replacedFileGroups { partitions.insert(id.partitionPath) }
        }
        var markerDirs: [StorageEntry] = []
        do throws(LakeError) {
            markerDirs = try storage.list(WriteMarkers.folder)
        } catch  where error.code == .notFound {}
        for d in markerDirs where d.isDirectory {
            let markers = WriteMarkers(storage: storage, instant: d.name)
            for f in try markers.dataFiles(in: try markers.listAll()) { partitions.insert(StoragePath.parent(f)) }
        }
        for e in try FileSystemView.listFiles(storage: storage, .only(partitions)) {
            guard let b = BaseFile.parse(e.name) else { continue }
            groupsOnDisk.insert(FileGroupID(partitionPath: StoragePath.parent(e.path), fileId: b.fileId))
            if !timeline.isCommitted(b.instantTime) {
                let t = Instant.normalize(b.instantTime)
                if oldestUncommitted.map({ t < $0 }) ?? true { oldestUncommitted = t }
            }
        }
        for (i, c) in candidates.enumerated() where c.action == .replacecommit {
            let meta = try timeline.commitMetadata(of: c, in: storage)
            if let g = meta.replacedFileGroups.sorted().first(where: { groupsOnDisk.contains($0) }) {
                candidates.removeSubrange(i...)
                plan.report.stoppedBy = "replacecommit \(c.timestamp): replaced file group \(g) is not cleaned yet"
                break
            }
        }
        let writeInstants = Array(Set(timeline.instants.filter { $0.action.isWrite }.map(\.normalizedTimestamp)))
            .sorted()
        func earliestActive(after last: Instant) -> String? {
            writeInstants.first { $0 > last.normalizedTimestamp }
        }
        if let u = oldestUncommitted {
            while let last = candidates.last, let next = earliestActive(after: last), next > u {
                candidates.removeLast()
                plan.report.stoppedBy = "uncommitted base file at instant \(u)"
            }
        }
        guard let last = candidates.last, let newEarliest = earliestActive(after: last) else { return plan }

        // Instant files to move: the archived commits', and completed non-write instants older
        // than the new earliest active one (savepoints and the newest clean stay).
        let archived = Set(candidates.map(\.normalizedTimestamp))
        let newestClean = timeline.instants.last { $0.action == .clean && $0.state == .completed }?.normalizedTimestamp
        for i in timeline.instants {
            let t = i.normalizedTimestamp
            if archived.contains(t) && i.action.isWrite {
                plan.moves.append(i)
            } else if t < newEarliest && !i.action.isWrite && i.action != .savepoint && t != newestClean {
                plan.moves.append(i)
            }
        }
        // Per timestamp: requested, inflight, completed (Timeline order already is).
        plan.report.archivedCommits = candidates.map(\.timestamp)
        plan.report.activeCommits = commits.count - candidates.count
        plan.report.earliestActiveInstant =
            timeline.instants.first { $0.action.isWrite && $0.normalizedTimestamp == newEarliest }?.timestamp
        plan.report.indexRebased = try indexNeedsRebase(before: newEarliest)
        if dryRun { plan.report.archivedFiles = plan.moves.map(\.fileName) }
        return plan
    }

    /// Whether a record-index file that counts now belongs to a commit older than `newEarliest`.
    private func indexNeedsRebase(before newEarliest: String) throws(LakeError) -> Bool {
        let storage = table.storage
        guard try storage.exists(RecordIndexStore.folder) else { return false }
        var bases: [String] = [], deltas: [String] = []
        for e in try storage.list(RecordIndexStore.folder) {
            guard let (isBase, instant) = RecordIndexStore.parse(e.name), table.timeline.isCompleted(instant) else {
                continue
            }
            if isBase { bases.append(Instant.normalize(instant)) } else { deltas.append(Instant.normalize(instant)) }
        }
        if let b = bases.max() { return b < newEarliest }
        return deltas.contains { $0 < newEarliest }
    }

    /// Rewrites the record index as one base named after the latest completed commit — or, while
    /// a write is pending (a live optimistic writer, which completes later with a delta named
    /// after its own instant), after the last commit before the earliest pending write, holding
    /// the changes up to that commit only, so the base never hides that writer's delta.
    private func rebaseIndex() throws(LakeError) {
        let timeline = table.timeline
        let cutoff = timeline.pendingCommits.first?.normalizedTimestamp
        let beforeCutoff = { (c: Instant) in cutoff.map { c.normalizedTimestamp < $0 } ?? true }
        guard let target = timeline.completedCommits.last(where: beforeCutoff) else { return }
        let upToTarget = Timeline(
            instants: timeline.instants.filter { $0.normalizedTimestamp <= target.normalizedTimestamp })
        let loaded = try RecordIndexStore.load(table: table.snapshot(timeline: upToTarget))
        try RecordIndexStore.persist(loaded.index, instant: target.timestamp, forceBase: true, storage: table.storage)
    }
}

extension Table {
    /// An archiver for this table with its configured settings (``ArchiverSettings/init(config:)``),
    /// keeping the configured cleaner's window active.
    /// - Throws: `.invalidArgument` if the table's archival or cleaner settings are malformed.
    public func archiver(dryRun: Bool = false) throws(LakeError) -> Archiver {
        try requireWritable("archive")
        return Archiver(
            table: self, settings: try ArchiverSettings(config: config),
            cleanerPolicy: try CleanerSettings(config: config).policy, dryRun: dryRun)
    }
}
