extension Table {
    /// Returns the table to savepoint `savepoint`: every commit after it is removed — first all
    /// are unpublished, newest first (their completed instant files deleted, so readers fall back
    /// one commit at a time), then each one's data, index and instant files are deleted, exactly
    /// as ``rollback(instant:)`` undoes one commit — savepoints of removed commits are deleted, and
    /// the whole restore is recorded as one `<R>.restore` instant (`.restore.requested` holding
    /// the plan first, so a crash midway is finished by the next writer). Afterwards a snapshot
    /// equals the snapshot as of `savepoint`. Clean and rollback instants after the savepoint stay
    /// on the timeline.
    ///
    /// Takes the writer lock (waiting up to ``lockWaitMillis``) and first finishes what a crashed
    /// writer left.
    /// - Returns: what was removed; ``RestoreMetadata/instant`` is empty (and nothing is written)
    ///   when no commit follows the savepoint.
    /// - Throws: `.notFound` if there is no savepoint at `savepoint` (or its commit is gone);
    ///   `.outsideRetention` if files a read as of the savepoint needs are gone (nothing is
    ///   changed then); `.conflict` if another writer holds the table.
    @discardableResult
    public func restore(toSavepoint savepoint: String) throws(LakeError) -> RestoreMetadata {
        try requireWritable("restore")
        return try withWriterLock { () throws(LakeError) -> RestoreMetadata in
            try rollbackFailedWrites()
            let t = Instant.normalize(savepoint)
            guard let sp = timeline.completedSavepoints.first(where: { $0.normalizedTimestamp == t }) else {
                let all = timeline.completedSavepoints.map(\.timestamp).joined(separator: ", ")
                throw LakeError(
                    .notFound,
                    "no savepoint at \(savepoint) (savepoints: \(all.isEmpty ? "none" : all)); create one with createSavepoint / lake savepoint create"
                )
            }
            guard timeline.completedCommit(at: sp.timestamp) != nil else {
                throw LakeError(.notFound, "savepoint \(sp.timestamp) pins a commit that is no longer on the timeline")
            }
            let later = timeline.completedCommits.filter { $0.normalizedTimestamp > t }.reversed()
            let laterSavepoints = timeline.instants.filter { $0.action == .savepoint && $0.normalizedTimestamp > t }
                .map(\.timestamp)
            let savepointsToDelete = Array(Set(laterSavepoints)).sorted()
            guard !later.isEmpty || !savepointsToDelete.isEmpty else {
                return RestoreMetadata(instant: "", savepoint: sp.timestamp)
            }
            let missing = try filesNeeded(asOf: sp.timestamp).missing
            if let first = missing.first {
                throw LakeError(
                    .outsideRetention,
                    "cannot restore to \(sp.timestamp): \(missing.count) file(s) a read as of it needs are gone (\(first))"
                )
            }
            let plan = RestoreMetadata.Plan(
                savepoint: sp.timestamp,
                rollbacks: try later.map { c throws(LakeError) in
                    try planRollback(c, wasCompleted: true)
                },
                savepointsToDelete: savepointsToDelete)
            let r = clock.next(after: timeline.latestTimestamp).value
            let requested = Instant(timestamp: r, action: .restore, state: .requested)
            try storage.createExclusive(Timeline.path(of: requested), plan.jsonData())
            try CrashPoint.hit("restore-requested", storage)
            try storage.write(Timeline.path(of: requested.with(state: .inflight)), [])
            try CrashPoint.hit("restore-inflight", storage)
            let result = try completeRestore(r, plan: plan)
            try refresh()
            return result
        }
    }

    /// Finishes the interrupted restore `pending` from its plan.
    func resumeRestore(_ pending: Instant) throws(LakeError) -> RestoreMetadata {
        let path = Timeline.path(of: pending.with(state: .requested))
        let bytes: [UInt8]
        do throws(LakeError) { bytes = try storage.read(path) } catch  where error.code == .notFound {
            throw LakeError(
                .corruptTable,
                "restore \(pending.timestamp) is \(pending.state.rawValue) but its plan \(path) is missing; finish it with the tool that started it"
            )
        }
        let plan: RestoreMetadata.Plan
        do throws(LakeError) { plan = try RestoreMetadata.Plan(json: bytes, source: path) } catch {
            throw LakeError(
                .unsupported,
                "\(error.message); the pending restore \(pending.timestamp) was not started by lake — finish it with Hudi's own tools"
            )
        }
        if pending.state == .requested {
            try storage.write(Timeline.path(of: pending.with(state: .inflight)), [])
        }
        return try completeRestore(pending.timestamp, plan: plan)
    }

    private func completeRestore(_ r: String, plan: RestoreMetadata.Plan) throws(LakeError) -> RestoreMetadata {
        let started = InstantTime.systemNowMillis()
        var meta = RestoreMetadata(instant: r, savepoint: plan.savepoint)
        // Unpublish every commit first, newest first, before deleting anything: each step makes
        // readers fall back one commit, and the snapshots in between may be ones the cleaner has
        // thinned (their files deleted) — lake's readers refuse those, Hudi readers would read
        // them partially — so they are passed through in a few file deletions, not while data
        // files are deleted.
        var unpublished: [String: String] = [:]
        for p in plan.rollbacks {
            if let path = try unpublish(p) { unpublished[p.target] = path }
        }
        for p in plan.rollbacks {
            var undone = try undoWrite(p, as: r)
            if let path = unpublished[p.target] { undone.deletedInstantFiles.insert(path, at: 0) }
            meta.rolledBack.append(undone)
            try CrashPoint.hit("restore-undone", storage)
        }
        // Savepoints of removed commits: completed files first.
        let doomed = Set(plan.savepointsToDelete.map(Instant.normalize))
        let savepointFiles = try Timeline.load(from: storage).instants
            .filter { $0.action == .savepoint && doomed.contains($0.normalizedTimestamp) }
            .sorted { $0.state > $1.state }
        for s in savepointFiles { try storage.delete(Timeline.path(of: s)) }
        meta.savepointsDeleted = plan.savepointsToDelete
        try CrashPoint.hit("restore-savepoints", storage)
        meta.timeTakenMillis = InstantTime.systemNowMillis() - started
        try Timeline.complete(Instant(timestamp: r, action: .restore, state: .completed), meta.jsonData(), in: storage)
        try CrashPoint.hit("restore-completed", storage)
        timeline = try Timeline.load(from: storage)
        return meta
    }
}
