/// The cleaner: deletes file slices (and superseded record-index files) that no read inside
/// the retained window needs, recording its work on the timeline.
///
/// Guarantees, whatever the policy:
/// * the latest slice of every live file group stays;
/// * every slice a read as of a savepointed commit (a completed `<T>.savepoint`) needs stays;
/// * with `KEEP_LATEST_COMMITS` N, every slice a read as of any of the latest N completed
///   commits needs stays: for each such commit `c`, the slice as of `c` of every file group live
///   at `c` (file groups replaced at or before `c` excluded). So time travel to those commits,
///   incremental reads with a start inside the window, and change feeds over it stay exact.
///
/// The work is recorded as `<T>.clean.requested` (the plan, written before anything is
/// deleted), `<T>.clean.inflight`, and `<T>.clean` (plan and result), all JSON. A clean that
/// crashed is finished by the next run (which re-checks every planned file against what reads
/// need now); reads never break meanwhile, because the plan's
/// ``CleanerPlan/earliestReadableInstant`` counts from the moment the plan exists
/// (``Table/earliestReadableInstant()``). A run with no base file to delete writes no instant;
/// it only deletes superseded record-index files, which no Hudi reader sees.
///
/// ```swift
/// let report = try table.cleaner(policy: .keepLatestCommits(2)).run()
/// print(report.filesDeleted, report.bytesFreed)
/// ```
public struct Cleaner: Sendable {
    /// The table to clean.
    public let table: Table
    /// What to keep.
    public var policy: CleanerPolicy
    /// Plan and report only; delete nothing, write no instant, take no lock.
    public var dryRun: Bool
    /// Told the base files deleted and the bytes freed so far, after each deletion (progress
    /// display); runs on the cleaning thread.
    public var onDelete: (@Sendable (_ files: Int, _ bytes: Int64) -> Void)?

    /// A cleaner for `table` under `policy`.
    public init(table: Table, policy: CleanerPolicy, dryRun: Bool = false) {
        self.table = table
        self.policy = policy
        self.dryRun = dryRun
    }

    /// Cleans once: takes the writer lock (waiting up to ``Table/lockWaitMillis``), reloads the
    /// timeline, rolls back failed writes, finishes any clean a crash interrupted, then plans
    /// and runs a new clean if there is anything to delete. A dry run only reloads and plans.
    /// - Returns: what was deleted and kept.
    /// - Throws: `.conflict` if another writer holds the table; `.io` on storage errors;
    ///   `.corruptTable` if commit metadata cannot be read or a base file of the latest snapshot
    ///   is missing or damaged (nothing is deleted then).
    @discardableResult
    public func run() throws(LakeError) -> CleanerReport {
        if dryRun {
            try table.refresh()
            try verifySnapshot()
            var report = CleanerReport(plan: try Self.makePlan(table: table, policy: policy), dryRun: true)
            report.resumed = table.timeline.pendingInstants.filter { $0.action == .clean }.map(\.timestamp)
            return report
        }
        let lock = try table.acquireWriterLock()
        defer { lock.release() }
        try table.refresh()
        try table.rollbackFailedWrites()
        try verifySnapshot()
        return try runLocked()
    }

    /// Refuses to clean a damaged table: with a base file of the latest snapshot missing, the
    /// older slices the cleaner would delete may be what a recovery needs.
    private func verifySnapshot() throws(LakeError) {
        let view = try FileSystemView.load(storage: table.storage, timeline: table.timeline)
        _ = try table.verifiedSlices(view, asOf: nil)
    }

    /// ``run()`` for a caller that holds the writer lock and has a fresh timeline (a write's
    /// after-commit services).
    /// - Parameter incremental: look only at the partitions where commits since the last clean
    ///   can have made slices deletable (``incrementalPartitions(table:policy:)``), as Hudi's
    ///   incremental cleaning mode does; the automatic clean after a write does. Its plan's kept
    ///   counts then cover those partitions only.
    func runLocked(incremental: Bool = false) throws(LakeError) -> CleanerReport {
        let carried = try finishPending()
        let partitions = incremental ? try Self.incrementalPartitions(table: table, policy: policy) : nil
        let plan = try Self.makePlan(table: table, policy: policy, partitions: partitions.map { .only($0) } ?? .all)
        var report = CleanerReport(plan: plan, dryRun: false)
        if plan.dataFiles.isEmpty {
            // Superseded index files only: lake's own, never read by Hudi readers, and deleting
            // them is idempotent — no instant needed.
            for f in plan.indexFiles where try table.storage.delete(f.path) {
                report.indexFilesDeleted += 1
                report.indexBytesFreed += f.bytes
            }
        } else {
            let instant = table.clock.next(after: table.timeline.latestTimestamp).value
            let requested = Instant(timestamp: instant, action: .clean, state: .requested)
            try table.storage.createExclusive(Timeline.path(of: requested), Array(plan.json.jsonText.utf8))
            report = try execute(plan, instant: instant, state: .requested, recheck: false)
            report.instant = instant
            table.timeline = try Timeline.load(from: table.storage)
        }
        report.add(carried)
        report.resumed = carried.resumed
        report.skipped = carried.skipped
        report.earliestReadableInstant = try table.earliestReadableInstant()
        return report
    }

    /// Finishes every pending clean instant whose plan is lake's (oldest first), with the
    /// writer lock held. Returns the combined outcome, with ``CleanerReport/resumed`` and
    /// ``CleanerReport/skipped`` (pending cleans that are not lake's, e.g. Java Hudi's).
    func finishPending() throws(LakeError) -> CleanerReport {
        var carried = CleanerReport(plan: CleanerPlan(policy: policy), dryRun: false)
        for pending in table.timeline.pendingInstants where pending.action == .clean {
            let path = Timeline.path(of: pending)
            guard let plan = try? CleanerPlan(bytes: try table.storage.read(path), source: path) else {
                carried.skipped.append(pending.timestamp)
                continue
            }
            carried.add(try execute(plan, instant: pending.timestamp, state: pending.state))
            carried.resumed.append(pending.timestamp)
        }
        if !carried.resumed.isEmpty { table.timeline = try Timeline.load(from: table.storage) }
        return carried
    }

    /// Runs `plan` as the clean at `instant`, whose latest instant file is in `state`:
    /// inflight, deletions, then the completed instant with the result.
    /// - Parameter recheck: re-derive what reads need now and keep those files (for a plan
    ///   made by an earlier run; a plan made just now under the lock needs no second look).
    func execute(
        _ plan: CleanerPlan, instant: String, state: Instant.State, recheck: Bool = true
    ) throws(LakeError) -> CleanerReport {
        let storage = table.storage
        let planText = Array(plan.json.jsonText.utf8)
        if state == .requested {
            try storage.write(
                Timeline.path(of: Instant(timestamp: instant, action: .clean, state: .inflight)), planText)
        }
        var report = CleanerReport(plan: plan, dryRun: false)

        // Re-check against what reads need now: a resumed plan may predate a savepoint.
        var needed = Set<String>()
        if recheck {
            let touched = Set(plan.dataFiles.map { StoragePath.parent($0.path) })
            let view = try FileSystemView.load(storage: storage, timeline: table.timeline, partitions: .only(touched))
            needed =
                Self.neededSlices(
                    view: view, timeline: table.timeline, policy: plan.policy,
                    savepoints: table.savepointedCommits
                ).paths
        }
        var partitions = Set<String>()
        for f in plan.dataFiles {
            if needed.contains(f.path) {
                report.filesKept += 1
                continue
            }
            if try storage.delete(f.path) {
                report.filesDeleted += 1
                report.bytesFreed += f.bytes
                onDelete?(report.filesDeleted, report.bytesFreed)
                partitions.insert(StoragePath.parent(f.path))
            } else {
                report.filesMissing += 1
            }
        }
        for f in plan.indexFiles where try storage.delete(f.path) {
            report.indexFilesDeleted += 1
            report.indexBytesFreed += f.bytes
        }
        report.partitionsRemoved = try removeEmptyPartitions(partitions)

        var done = plan.json
        if case .object(var members) = done {
            members.append(JSONMember("result", report.resultJSON))
            done = .object(members)
        }
        let completed = Instant(timestamp: instant, action: .clean, state: .completed)
        try Timeline.complete(completed, Array(done.jsonText.utf8), in: storage)
        return report
    }

    /// Removes partition directories left with nothing but `.hoodie_partition_metadata` (a
    /// deleted or overwritten partition whose file groups are all cleaned), then empty parents.
    private func removeEmptyPartitions(_ partitions: Set<String>) throws(LakeError) -> [String] {
        let storage = table.storage
        var removed: [String] = []
        for p in partitions.sorted() where !p.isEmpty {
            let entries = (try? storage.list(p)) ?? []
            guard entries.allSatisfy({ !$0.isDirectory && $0.name == PartitionMetadata.fileName }) else { continue }
            for e in entries { try storage.delete(e.path) }
            var dir = p
            while !dir.isEmpty {
                guard try storage.deleteDirectoryIfEmpty(dir) else { break }
                dir = StoragePath.parent(dir)
            }
            removed.append(p)
        }
        return removed
    }
}

extension Table {
    /// A cleaner for this table: `policy`, or the table's configured one
    /// (``CleanerSettings/init(config:)``).
    /// - Throws: `.invalidArgument` if the table's cleaner settings are malformed.
    public func cleaner(policy: CleanerPolicy? = nil, dryRun: Bool = false) throws(LakeError) -> Cleaner {
        try requireWritable("clean")
        let chosen: CleanerPolicy
        if let policy { chosen = policy } else { chosen = try CleanerSettings(config: config).policy }
        return Cleaner(table: self, policy: chosen, dryRun: dryRun)
    }
}
