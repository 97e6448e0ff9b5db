extension Table {
    /// Rolls back writes and records each rollback as a `.rollback` instant.
    ///
    /// Always first finishes whatever a crashed writer left: an interrupted restore or rollback
    /// (from its plan), then every pending (failed) write, newest first. Then, if `instant` names
    /// the **latest completed** commit, undoes it too: the commit is first unpublished (its
    /// completed instant file removed, so readers fall back to the previous commit at once), then
    /// its data files, its record index files and its remaining instant files are deleted. The
    /// table then reads exactly as of the previous commit; the record index of the previous
    /// commit is used again (or rebuilt from the data if it is gone).
    ///
    /// Takes the writer lock (waiting up to ``lockWaitMillis``).
    /// - Parameter instant: a completed commit to undo (`yyyyMMddHHmmssSSS`, or 14 digits), or a
    ///   pending write to roll back; `nil` rolls back pending writes only.
    /// - Returns: one entry per rolled-back write, in the order they were removed (empty when
    ///   there was nothing to do).
    /// - Throws: `.notFound` if there is no write at `instant`; `.invalidArgument` if it is not
    ///   the latest completed commit or a savepoint pins it; `.outsideRetention` if the cleaner
    ///   already deleted files the previous commit's snapshot needs (undoing would lose rows);
    ///   `.conflict` if another writer holds the table.
    @discardableResult
    public func rollback(instant: String? = nil) throws(LakeError) -> [RollbackMetadata] {
        try requireWritable("roll back")
        return try withWriterLock { () throws(LakeError) -> [RollbackMetadata] in
            var done = try recoverFailedWrites()
            guard let instant else { return done }
            let t = Instant.normalize(instant)
            if done.contains(where: { Instant.normalize($0.rolledBack) == t }) { return done }
            guard let target = timeline.completedCommit(at: instant) else {
                let recent = timeline.completedCommits.suffix(3).map(\.timestamp).joined(separator: ", ")
                throw LakeError(
                    .notFound,
                    "no write at instant \(instant) to roll back (latest completed commits: \(recent.isEmpty ? "none" : recent))"
                )
            }
            guard target == timeline.latestCompleted else {
                throw LakeError(
                    .invalidArgument,
                    "\(instant) is not the latest completed commit (\(timeline.latestCompleted!.timestamp) is); roll back the later commits first, or restore to a savepoint"
                )
            }
            if timeline.completedSavepoints.contains(where: { $0.normalizedTimestamp == t }) {
                throw LakeError(
                    .invalidArgument, "commit \(instant) has a savepoint; delete the savepoint first to roll it back")
            }
            if let previous = timeline.completedCommits.last(where: { $0.normalizedTimestamp < t }) {
                let missing = try filesNeeded(asOf: previous.timestamp).missing
                if let first = missing.first {
                    throw LakeError(
                        .outsideRetention,
                        "cannot roll back \(instant): the cleaner already removed \(missing.count) file(s) the previous commit \(previous.timestamp) needs (\(first)); undoing it would lose rows"
                    )
                }
            }
            let plan = try planRollback(target, wasCompleted: true)
            done.append(try runRollback(plan))
            try refresh()
            return done
        }
    }

    /// Runs `body` holding the writer lock, on a freshly loaded timeline.
    func withWriterLock<R>(_ body: () throws(LakeError) -> R) throws(LakeError) -> R {
        let lock = try acquireWriterLock()
        defer { lock.release() }
        try refresh()
        return try body()
    }

    /// Finishes what crashed or failed writers left, so the next write starts from a clean
    /// timeline: interrupted restores and rollbacks are completed from their plans, pending
    /// savepoints are removed, and every pending write is rolled back (its data files first,
    /// then its index files, then its instant files), each recorded as a `.rollback` instant.
    /// A crash at any point of this leaves a state the next call finishes. Call with the writer
    /// lock held; reloads ``timeline``.
    func rollbackFailedWrites() throws(LakeError) {
        _ = try recoverFailedWrites()
    }

    /// ``rollbackFailedWrites()``, returning what was rolled back.
    func recoverFailedWrites() throws(LakeError) -> [RollbackMetadata] {
        // A writer killed while creating an instant file leaves an unfinished write in `.hoodie/`
        // and no instant: remove it here; every other leftover belongs to a pending instant (in
        // the partitions it names) and goes with its rollback.
        try storage.discardIncompleteWrites(in: Timeline.metaFolder, startedBefore: try incompleteWriteCutoff())
        try sweepMarkers()
        let pending = timeline.pendingInstants
        let pendingSavepoints = timeline.instants.filter { $0.action == .savepoint && !$0.isCompleted }
            .filter { p in !timeline.completedSavepoints.contains { $0.timestamp == p.timestamp } }
        guard
            pending.contains(where: { $0.action.isWrite || $0.action == .rollback || $0.action == .restore })
                || !pendingSavepoints.isEmpty
        else { return [] }
        try CrashPoint.hit("recovery-start", storage)
        var done: [RollbackMetadata] = []
        for p in pending where p.action == .restore {
            done += try resumeRestore(p).rolledBack
        }
        for p in pending where p.action == .rollback {
            done.append(try resumeRollback(p))
        }
        for s in pendingSavepoints {
            try storage.delete(Timeline.path(of: s))
        }
        timeline = try Timeline.load(from: storage)
        // Heartbeats are listed after the timeline: a live writer's heartbeat exists before its
        // requested file, so every pending write of a live writer is seen beating.
        let live = try LiveWriters(table: self, mode: try config.value(.writeConcurrencyMode))
        let writes = timeline.pendingCommits.filter { !live.isLive($0) }
        for w in writes.reversed() {
            done.append(try runRollback(try planRollback(w, wasCompleted: false)))
        }
        if !done.isEmpty {
            // Unfinished writes of table services (archival, the record index) and of writers
            // racing for the lock (those only once a minute old).
            if !config.archiveLogFolder.isEmpty {
                let archive = Timeline.metaFolder + "/" + config.archiveLogFolder
                try storage.discardIncompleteWrites(in: archive, startedBefore: nil)
            }
            try storage.discardIncompleteWrites(in: RecordIndexStore.folder, startedBefore: try incompleteWriteCutoff())
            try storage.discardIncompleteWrites(
                in: StoragePath.parent(WriterLock.path),
                startedBefore: InstantTime.systemNowMillis() - 60_000)
        }
        timeline = try Timeline.load(from: storage)
        return done
    }

    /// Removes markers that outlived their instant (`.hoodie/.temp/<instant>/`): a writer killed
    /// right after completing leaves its markers, which are garbage once the instant is
    /// committed. Markers of pending instants stay for their rollback; markers of an instant that
    /// is on the timeline in no state (its instant files removed by hand) name files no commit
    /// will ever make visible, so those files go too.
    func sweepMarkers() throws(LakeError) {
        let dirs: [StorageEntry]
        do throws(LakeError) {
            dirs = try storage.list(WriteMarkers.folder).filter(\.isDirectory)
        } catch  where error.code == .notFound {
            return
        }
        let pending = Set(timeline.pendingInstants.map(\.normalizedTimestamp))
        // Listed after the markers: a writer that started after the timeline was loaded has
        // its heartbeat before its markers, so its markers are never taken for leftovers.
        let beating = Set(try Heartbeat.lastBeats(in: storage).keys)
        for d in dirs where !pending.contains(Instant.normalize(d.name)) && !beating.contains(Instant.normalize(d.name))
        {
            let markers = WriteMarkers(storage: storage, instant: d.name)
            if !timeline.isCommitted(d.name) {
                let onTimeline = timeline.instants.contains { $0.normalizedTimestamp == Instant.normalize(d.name) }
                if !onTimeline {
                    for f in try markers.dataFiles(in: try markers.listAll()) { try storage.delete(f) }
                }
            }
            try markers.delete()
        }
    }

    // MARK: Steps

    /// The files of write `instant` that storage holds (``filesOfWrite(_:also:)``).
    func planRollback(_ instant: Instant, wasCompleted: Bool) throws(LakeError) -> RollbackMetadata.Plan {
        let files = try filesOfWrite(instant.timestamp)
        return RollbackMetadata.Plan(
            target: instant.timestamp, action: instant.action, wasCompleted: wasCompleted,
            dataFiles: files.data, indexFiles: files.index)
    }

    /// Records the plan as `<R>.rollback.requested`, marks it inflight, undoes the write and
    /// completes `<R>.rollback` with what was deleted.
    func runRollback(_ plan: RollbackMetadata.Plan) throws(LakeError) -> RollbackMetadata {
        let r = clock.next(after: timeline.latestTimestamp).value
        let requested = Instant(timestamp: r, action: .rollback, state: .requested)
        try storage.createExclusive(Timeline.path(of: requested), plan.jsonData())
        try CrashPoint.hit("rollback-requested", storage)
        try storage.write(Timeline.path(of: requested.with(state: .inflight)), [])
        try CrashPoint.hit("rollback-inflight", storage)
        timeline = try Timeline.load(from: storage)
        return try completeRollback(r, plan: plan)
    }

    /// Finishes the interrupted rollback `pending` from its plan.
    func resumeRollback(_ pending: Instant) throws(LakeError) -> RollbackMetadata {
        let requested = pending.with(state: .requested)
        let path = Timeline.path(of: requested)
        let bytes: [UInt8]
        do throws(LakeError) { bytes = try storage.read(path) } catch  where error.code == .notFound {
            throw LakeError(
                .corruptTable,
                "rollback \(pending.timestamp) is \(pending.state.rawValue) but its plan \(path) is missing; finish it with the tool that started it"
            )
        }
        let plan: RollbackMetadata.Plan
        do throws(LakeError) { plan = try RollbackMetadata.Plan(json: bytes, source: path) } catch {
            throw LakeError(
                .unsupported,
                "\(error.message); the pending rollback \(pending.timestamp) was not started by lake — finish it with Hudi's own tools"
            )
        }
        if pending.state == .requested {
            try storage.write(Timeline.path(of: pending.with(state: .inflight)), [])
        }
        return try completeRollback(pending.timestamp, plan: plan)
    }

    private func completeRollback(_ r: String, plan: RollbackMetadata.Plan) throws(LakeError) -> RollbackMetadata {
        let meta = try undoWrite(plan, as: r)
        try Timeline.complete(Instant(timestamp: r, action: .rollback, state: .completed), meta.jsonData(), in: storage)
        try CrashPoint.hit("rollback-completed", storage)
        timeline = try Timeline.load(from: storage)
        return meta
    }

    /// Removes one write from the table, idempotently (every step may already be done):
    /// 1. a completed write is unpublished: its inflight file is ensured, its completed file
    ///    deleted — readers fall back to the previous commit from here on;
    /// 2. its data files (the plan's and any other file named with its instant in the
    ///    partitions it wrote) and what its unfinished writes left there are deleted;
    /// 3. its record index files;
    /// 4. its markers;
    /// 5. its instant files, most advanced state first.
    /// Data files go before instant files because a base file whose instant has no instant file
    /// at all and is older than every instant on the timeline is visible to readers (format page §7.2).
    func undoWrite(_ plan: RollbackMetadata.Plan, as r: String) throws(LakeError) -> RollbackMetadata {
        let started = InstantTime.systemNowMillis()
        var meta = RollbackMetadata(
            instant: r, rolledBack: plan.target, rolledBackAction: plan.action, wasCompleted: plan.wasCompleted)
        let completed = Instant(timestamp: plan.target, action: plan.action, state: .completed)
        if let unpublished = try unpublish(plan) { meta.deletedInstantFiles.append(unpublished) }
        let found = try filesOfWrite(plan.target, also: Set(plan.dataFiles.map(StoragePath.parent)))
        let dataFiles = Set(plan.dataFiles).union(found.data).sorted()
        for f in dataFiles { try storage.delete(f) }
        meta.deletedDataFiles = dataFiles
        let cutoff = try incompleteWriteCutoff()
        for p in found.partitions { try storage.discardIncompleteWrites(in: p, startedBefore: cutoff) }
        try CrashPoint.hit("rollback-data", storage)
        let indexFiles = Set(plan.indexFiles).union(found.index).sorted()
        for f in indexFiles { try storage.delete(f) }
        meta.deletedIndexFiles = indexFiles
        try CrashPoint.hit("rollback-index", storage)
        try WriteMarkers(storage: storage, instant: plan.target).delete()
        for state in [Instant.State.completed, .inflight, .requested] {
            let path = Timeline.path(of: completed.with(state: state))
            if try storage.delete(path), !meta.deletedInstantFiles.contains(path) {
                meta.deletedInstantFiles.append(path)
            }
        }
        _ = try storage.delete(Heartbeat.path(plan.target))
        try CrashPoint.hit("rollback-instants", storage)
        meta.timeTakenMillis = InstantTime.systemNowMillis() - started
        return meta
    }

    /// Step 1 of ``undoWrite(_:as:)``: if the write's completed instant file exists, makes
    /// sure its inflight file does, then deletes the completed one — readers fall back to the
    /// previous commit. Returns the deleted file's path (`nil` if it was already gone).
    func unpublish(_ plan: RollbackMetadata.Plan) throws(LakeError) -> String? {
        let completed = Instant(timestamp: plan.target, action: plan.action, state: .completed)
        let inflight = completed.with(state: .inflight)
        guard try storage.exists(Timeline.path(of: completed)) else { return nil }
        if !(try storage.exists(Timeline.path(of: inflight))) {
            try storage.write(Timeline.path(of: inflight), HoodieCommitMetadata().jsonData())
        }
        try storage.delete(Timeline.path(of: completed))
        try CrashPoint.hit("rollback-unpublished", storage)
        return Timeline.path(of: completed)
    }

    /// The data files (outside `.hoodie/`, sorted) and record index files (sorted) that storage
    /// holds of write `timestamp`, and the partitions looked in — without listing the whole
    /// table where it can:
    /// * the partitions its markers name (`.hoodie/.temp/<timestamp>/…`, every lake write since
    ///   markers), and those its instant file names (a completed commit's write stats, or the
    ///   inflight file's workload profile, written before any data file), plus `also`;
    /// * nothing, for a write that never got past `.requested` (no writer writes data before
    ///   the inflight file);
    /// * else every partition (a write by an older lake without markers or workload profile).
    func filesOfWrite(_ timestamp: String, also: Set<String> = []) throws(LakeError) -> WriteFiles {
        let t = Instant.normalize(timestamp)
        let markers = WriteMarkers(storage: storage, instant: timestamp)
        var partitions = also
        for f in try markers.dataFiles(in: try markers.listAll()) { partitions.insert(StoragePath.parent(f)) }
        let files = timeline.instants.filter { $0.normalizedTimestamp == t && $0.action.isWrite }
        // A completed commit's write stats name every file it wrote.
        var complete = false
        for instant in files.sorted(by: { $0.state > $1.state }) where instant.state != .requested {
            let path = Timeline.path(of: instant)
            guard let bytes = try? storage.read(path),
                let meta = try? HoodieCommitMetadata(json: bytes, source: path)
            else { continue }
            partitions.formUnion(meta.partitionToWriteStats.keys)
            complete = instant.state == .completed
            break
        }
        let onlyRequested = !files.isEmpty && files.allSatisfy { $0.state == .requested }
        let listing: [StorageEntry]
        if !partitions.isEmpty || onlyRequested || complete {
            listing = try FileSystemView.listFiles(storage: storage, .only(partitions))
        } else {
            listing = try FileSystemView.listFiles(storage: storage, .all)
            partitions = Set(listing.map { StoragePath.parent($0.path) })
        }
        var data: [String] = []
        for e in listing where e.name.hasSuffix(".parquet") {
            if let b = BaseFile.parse(e.name), Instant.normalize(b.instantTime) == t { data.append(e.path) }
        }
        var index: [String] = []
        for e in try listIndexFolder() where !e.isDirectory {
            if let (_, i) = RecordIndexStore.parse(e.name), Instant.normalize(i) == t { index.append(e.path) }
        }
        return (data.sorted(), index.sorted(), partitions.sorted())
    }

    /// What storage holds of one write: data files, record index files, the partitions looked in.
    typealias WriteFiles = (data: [String], index: [String], partitions: [String])

    /// The record index folder's entries (none if it does not exist).
    private func listIndexFolder() throws(LakeError) -> [StorageEntry] {
        do throws(LakeError) {
            return try storage.list(RecordIndexStore.folder)
        } catch  where error.code == .notFound {
            return []
        }
    }

    /// The cut-off for removing unfinished writes (temporary files) left by crashed writers:
    /// none (every one goes) while no other writer's heartbeat is live; else only those older
    /// than the heartbeat expiry (at least a minute), so a live writer's file in progress stays.
    func incompleteWriteCutoff() throws(LakeError) -> Int64? {
        let live = try LiveWriters(table: self, mode: .singleWriter)
        guard live.anyLive else { return nil }
        return live.now - max(live.settings.expiryMillis, 60_000)
    }
}
