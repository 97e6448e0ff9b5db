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
        try withWriterLock { () throws(LakeError) -> [RollbackMetadata] in
            var done = try recoverFailedWrites()
            guard let instant else { return done }
            let t = Instant.normalize(instant)
            if done.contains(where: { Instant.normalize($0.rolledBack) == t }) { return done }
            guard let target = timeline.completedCommit(at: instant) else {
                let recent = timeline.completedCommits.suffix(3).map(\.timestamp).joined(separator: ", ")
                throw LakeError(.notFound, "no write at instant \(instant) to roll back (latest completed commits: \(recent.isEmpty ? "none" : recent))")
            }
            guard target == timeline.latestCompleted else {
                throw LakeError(.invalidArgument, "\(instant) is not the latest completed commit (\(timeline.latestCompleted!.timestamp) is); roll back the later commits first, or restore to a savepoint")
            }
            if timeline.completedSavepoints.contains(where: { $0.normalizedTimestamp == t }) {
                throw LakeError(.invalidArgument, "commit \(instant) has a savepoint; delete the savepoint first to roll it back")
            }
            let listing = try storage.listFilesRecursively("")
            if let previous = timeline.completedCommits.last(where: { $0.normalizedTimestamp < t }) {
                let missing = try filesNeeded(asOf: previous.timestamp, listing: listing).missing
                if let first = missing.first {
                    throw LakeError(.outsideRetention, "cannot roll back \(instant): the cleaner already removed \(missing.count) file(s) the previous commit \(previous.timestamp) needs (\(first)); undoing it would lose rows")
                }
            }
            let plan = planRollback(target, wasCompleted: true, listing: listing)
            done.append(try runRollback(plan, listing: listing))
            try refresh()
            return done
        }
    }

    /// Runs `body` holding the writer lock, on a freshly loaded timeline.
    func withWriterLock<R>(_ body: () throws(LakeError) -> R) throws(LakeError) -> R {
        let lock = try WriterLock.acquire(storage, timeoutMillis: lockWaitMillis)
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
        // A writer killed while creating an instant file leaves its temporary file in `.hoodie/`
        // and no instant: remove it here (one listing of `.hoodie/`); every other temporary file
        // belongs to a pending instant and goes with its rollback.
        try deleteStrayTemporaryFiles(try storage.list(Timeline.metaFolder))
        let pending = timeline.pendingInstants
        let pendingSavepoints = timeline.instants.filter { $0.action == .savepoint && !$0.isCompleted }
            .filter { p in !timeline.completedSavepoints.contains { $0.timestamp == p.timestamp } }
        guard pending.contains(where: { $0.action.isWrite || $0.action == .rollback || $0.action == .restore })
                || !pendingSavepoints.isEmpty else { return [] }
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
        let writes = timeline.pendingCommits
        if !writes.isEmpty {
            let listing = try storage.listFilesRecursively("")
            for w in writes.reversed() {
                done.append(try runRollback(planRollback(w, wasCompleted: false, listing: listing), listing: listing))
            }
        }
        timeline = try Timeline.load(from: storage)
        return done
    }

    // MARK: Steps

    /// The files of write `instant` found in `listing`.
    func planRollback(_ instant: Instant, wasCompleted: Bool, listing: [StorageEntry]) -> RollbackMetadata.Plan {
        let files = filesOfWrite(instant.timestamp, listing: listing)
        return RollbackMetadata.Plan(target: instant.timestamp, action: instant.action, wasCompleted: wasCompleted,
                                     dataFiles: files.data, indexFiles: files.index)
    }

    /// Records the plan as `<R>.rollback.requested`, marks it inflight, undoes the write and
    /// completes `<R>.rollback` with what was deleted.
    func runRollback(_ plan: RollbackMetadata.Plan, listing: [StorageEntry]) throws(LakeError) -> RollbackMetadata {
        let r = clock.next(after: timeline.latestTimestamp).value
        let requested = Instant(timestamp: r, action: .rollback, state: .requested)
        try storage.createExclusive(Timeline.path(of: requested), plan.jsonData())
        try CrashPoint.hit("rollback-requested", storage)
        try storage.write(Timeline.path(of: requested.with(state: .inflight)), [])
        try CrashPoint.hit("rollback-inflight", storage)
        timeline = try Timeline.load(from: storage)
        return try completeRollback(r, plan: plan, listing: listing)
    }

    /// Finishes the interrupted rollback `pending` from its plan.
    func resumeRollback(_ pending: Instant) throws(LakeError) -> RollbackMetadata {
        let requested = pending.with(state: .requested)
        let path = Timeline.path(of: requested)
        let bytes: [UInt8]
        do throws(LakeError) { bytes = try storage.read(path) } catch where error.code == .notFound {
            throw LakeError(.corruptTable, "rollback \(pending.timestamp) is \(pending.state.rawValue) but its plan \(path) is missing; finish it with the tool that started it")
        }
        let plan: RollbackMetadata.Plan
        do throws(LakeError) { plan = try RollbackMetadata.Plan(json: bytes, source: path) } catch {
            throw LakeError(.unsupported, "\(error.message); the pending rollback \(pending.timestamp) was not started by lake — finish it with Hudi's own tools")
        }
        if pending.state == .requested {
            try storage.write(Timeline.path(of: pending.with(state: .inflight)), [])
        }
        return try completeRollback(pending.timestamp, plan: plan, listing: try storage.listFilesRecursively(""))
    }

    private func completeRollback(_ r: String, plan: RollbackMetadata.Plan, listing: [StorageEntry]) throws(LakeError) -> RollbackMetadata {
        let meta = try undoWrite(plan, as: r, listing: listing)
        try storage.write(Timeline.path(of: Instant(timestamp: r, action: .rollback, state: .completed)), meta.jsonData())
        try CrashPoint.hit("rollback-completed", storage)
        timeline = try Timeline.load(from: storage)
        return meta
    }

    /// Removes one write from the table, idempotently (every step may already be done):
    /// 1. a completed write is unpublished: its inflight file is ensured, its completed file
    ///    deleted — readers fall back to the previous commit from here on;
    /// 2. its data files (the plan's and any other file named with its instant) and stray
    ///    temporary files of crashed writers are deleted;
    /// 3. its record index files;
    /// 4. its instant files, most advanced state first.
    /// Data files go before instant files because a base file whose instant has no instant file
    /// at all and is older than every instant on the timeline is visible to readers (format page §7.2).
    func undoWrite(_ plan: RollbackMetadata.Plan, as r: String, listing: [StorageEntry]) throws(LakeError) -> RollbackMetadata {
        let started = InstantTime.systemNowMillis()
        var meta = RollbackMetadata(instant: r, rolledBack: plan.target, rolledBackAction: plan.action, wasCompleted: plan.wasCompleted)
        let completed = Instant(timestamp: plan.target, action: plan.action, state: .completed)
        if let unpublished = try unpublish(plan) { meta.deletedInstantFiles.append(unpublished) }
        let found = filesOfWrite(plan.target, listing: listing)
        let dataFiles = Set(plan.dataFiles).union(found.data).sorted()
        for f in dataFiles { try storage.delete(f) }
        meta.deletedDataFiles = dataFiles
        try deleteStrayTemporaryFiles(listing)
        try CrashPoint.hit("rollback-data", storage)
        let indexFiles = Set(plan.indexFiles).union(found.index).sorted()
        for f in indexFiles { try storage.delete(f) }
        meta.deletedIndexFiles = indexFiles
        try CrashPoint.hit("rollback-index", storage)
        for state in [Instant.State.completed, .inflight, .requested] {
            let path = Timeline.path(of: completed.with(state: state))
            if try storage.delete(path), !meta.deletedInstantFiles.contains(path) { meta.deletedInstantFiles.append(path) }
        }
        try CrashPoint.hit("rollback-instants", storage)
        meta.timeTakenMillis = InstantTime.systemNowMillis() - started
        return meta
    }

    /// Step 1 of ``undoWrite(_:as:listing:)``: if the write's completed instant file exists, makes
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

    /// The data files (outside `.hoodie/`) and record index files in `listing` written by
    /// instant `timestamp`, sorted.
    func filesOfWrite(_ timestamp: String, listing: [StorageEntry]) -> (data: [String], index: [String]) {
        let t = Instant.normalize(timestamp)
        var data: [String] = [], index: [String] = []
        let indexPrefix = RecordIndexStore.folder + "/"
        for e in listing where !e.isDirectory {
            if e.path.hasPrefix(indexPrefix) {
                if let (_, i) = RecordIndexStore.parse(e.name), Instant.normalize(i) == t { index.append(e.path) }
                continue
            }
            if e.path.hasPrefix(Timeline.metaFolder + "/") { continue }
            if e.name.hasSuffix(".parquet"), let b = BaseFile.parse(e.name), Instant.normalize(b.instantTime) == t {
                data.append(e.path)
            }
        }
        return (data.sorted(), index.sorted())
    }

    /// Deletes temporary files (`.<name>.lake-tmp-<pid>-<random>`) that a crashed writer left.
    /// Only the lock holder writes table files, so every such file is garbage — except the
    /// temporary files of writers racing for the lock itself, which are removed once a minute old.
    private func deleteStrayTemporaryFiles(_ listing: [StorageEntry]) throws(LakeError) {
        let now = InstantTime.systemNowMillis()
        for e in listing where !e.isDirectory && e.name.hasPrefix(".") && e.name.contains(".lake-tmp-") {
            if e.name.hasPrefix(".writer.lock") && now - e.modifiedMillis < 60_000 { continue }
            try storage.delete(e.path)
        }
    }
}
