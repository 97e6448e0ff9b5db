extension Table {
    /// Table services that run after every completed write, with the writer lock still held:
    /// the automatic cleaner (`lake.cleaner.automatic`, on by default) and timeline archival
    /// (`lake.archive.automatic`, on by default). A clean that a crash interrupted is finished
    /// here even when automatic cleaning is off.
    ///
    /// The write has committed when this runs; an error here is about the services only, and
    /// its message says so (the code is the service's).
    func afterCommit(_ result: CommitResult) throws(LakeError) {
        do {
            try runTableServices()
        } catch {
            throw LakeError(
                error.code,
                "commit \(result.instant) completed, but the table services after it failed: \(error.message)",
                cause: error)
        }
    }

    /// Finishes what a writer that died left undone, without writing data: takes the writer lock
    /// (waiting up to ``lockWaitMillis``), rolls back failed writes and interrupted rollbacks or
    /// restores, finishes an interrupted clean, and runs the table services a writer killed
    /// right after its commit did not get to (the automatic cleaner and archival, when on).
    ///
    /// Every write does this first anyway; call it where a process may resume without writing,
    /// as `lake stream` does when it starts (a stream restarted after its last commit would
    /// otherwise leave the cleaner's work to the next commit, which may never come).
    /// - Returns: the writes rolled back (empty when there was nothing to do).
    /// - Throws: `.conflict` if another writer holds the table; `.io` on storage errors.
    @discardableResult
    public func recover() throws(LakeError) -> [RollbackMetadata] {
        try requireWritable("recover")
        return try withWriterLock { () throws(LakeError) -> [RollbackMetadata] in
            let done = try recoverFailedWrites()
            try runTableServices()
            return done
        }
    }

    private func runTableServices() throws(LakeError) {
        let cleaner = try CleanerSettings(config: config)
        let archival = try ArchiverSettings(config: config)
        if cleaner.automatic {
            _ = try Cleaner(table: self, policy: cleaner.policy).runLocked(incremental: true)
        } else if timeline.pendingInstants.contains(where: { $0.action == .clean }) {
            _ = try Cleaner(table: self, policy: cleaner.policy).finishPending()
        }
        if archival.automatic {
            _ = try Archiver(table: self, settings: archival, cleanerPolicy: cleaner.policy).runLocked()
        }
    }
}
