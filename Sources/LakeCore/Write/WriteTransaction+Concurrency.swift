/// Optimistic concurrency: the check against commits completed since the write started, and the
/// completion, under the writer lock.
extension WriteTransaction {
    /// Takes the writer lock (the one short critical section of an optimistic write: storage
    /// cannot check and publish in one atomic step), checks every commit completed since this
    /// write's snapshot (``checkConcurrentCommits(_:written:now:)``), makes this write's record
    /// index file valid on top of them, and publishes the completed instant. A conflict rolls
    /// this write back before the lock is released and throws `.conflict` with a
    /// ``WriteConflict``.
    mutating func completeOptimistically(
        _ metadata: HoodieCommitMetadata, written: [HoodieWriteStat],
        plan: WritePlan
    ) throws(LakeError) {
        let lock = try WriterLock.acquire(storage, timeoutMillis: lockWaitMillis, lease: table.writerLockLease())
        defer { lock.release() }
        try CrashPoint.hit("commit-locked", storage)
        let now = try table.snapshot(timeline: Timeline.load(from: storage))
        do throws(LakeError) {
            let concurrent = try checkConcurrentCommits(plan, written: written, now: now)
            if !concurrent.isEmpty, let w = indexWrite, w.isBase {
                try rebase(w, plan: plan, now: now)
            }
        } catch  where error.writeConflict != nil {
            heartbeat?.stop()
            try now.rollbackPendingWrite(instant)
            rolledBack = true
            throw error
        }
        try complete(metadata, written: written)
    }

    /// Checks this write against every commit completed since its snapshot (`table.timeline`):
    /// * a file group both wrote, or one wrote and the other replaced;
    /// * a partition one replaced (insert_overwrite, delete_partition) and the other wrote in;
    /// * a record key both changed in the record index (two writers inserting the same new key
    ///   touch different file groups — the index deltas catch them: a set intersection);
    /// * a newer record index base, which would hide this write's delta;
    /// * a commit without a lake index file (keys cannot be checked), and a commit of the
    ///   snapshot that is no longer committed (rolled back or restored away).
    /// - Returns: the concurrent commits (none conflicting).
    /// - Throws: `.conflict` with a ``WriteConflict`` naming the first conflicting commit.
    func checkConcurrentCommits(
        _ plan: WritePlan, written: [HoodieWriteStat],
        now: Table
    ) throws(LakeError) -> [Instant] {
        let startCommits = table.timeline.completedCommits
        if let gone = startCommits.first(where: { !now.timeline.isCommitted($0.timestamp) }) {
            throw conflict(with: gone.timestamp, .rolledBack(gone.timestamp))
        }
        let started = Set(startCommits.map(\.normalizedTimestamp))
        let concurrent = now.timeline.completedCommits.filter { !started.contains($0.normalizedTimestamp) }
        guard !concurrent.isEmpty else { return [] }

        var myGroups = Set(written.map { FileGroupID(partitionPath: $0.partitionPath ?? "", fileId: $0.fileId) })
        myGroups.formUnion(plan.groupsToWrite.map(\.id))
        let myReplaced = Set(plan.replacedGroups)
        let myPartitions = Set(myGroups.map(\.partitionPath))
        var myReplacedPartitions = Set<String>()
        if operation.action == .replacecommit {
            myReplacedPartitions = myPartitions.union(myReplaced.map(\.partitionPath))
            if case .deletePartitions(let paths) = operation { myReplacedPartitions.formUnion(paths) }
        }
        let myKeys = indexWrite?.changes.map(\.key) ?? []

        for c in concurrent {
            let meta = try now.commitMetadata(c)
            var theirGroups = Set<FileGroupID>()
            for (p, stats) in meta.partitionToWriteStats {
                for s in stats {
                    theirGroups.insert(FileGroupID(partitionPath: s.partitionPath ?? p, fileId: s.fileId))
                }
            }
            var theirReplaced = Set<FileGroupID>()
            for (p, ids) in meta.partitionToReplaceFileIds ?? [:] {
                for f in ids { theirReplaced.insert(FileGroupID(partitionPath: p, fileId: f)) }
            }
            if let g = myGroups.sorted().first(where: { theirGroups.contains($0) || theirReplaced.contains($0) }) {
                throw conflict(with: c.timestamp, .fileGroup(g))
            }
            if let g = myReplaced.sorted().first(where: { theirGroups.contains($0) }) {
                throw conflict(with: c.timestamp, .fileGroup(g))
            }
            let theirPartitions = Set(theirGroups.map(\.partitionPath))
            if let p = myReplacedPartitions.intersection(theirPartitions).sorted().first {
                throw conflict(with: c.timestamp, .partition(p))
            }
            if c.action == .replacecommit {
                let replacedByThem = theirPartitions.union(theirReplaced.map(\.partitionPath))
                if let p = replacedByThem.intersection(myPartitions).sorted().first {
                    throw conflict(with: c.timestamp, .partition(p))
                }
            }
            try checkIndex(of: c, meta: meta, myKeys: myKeys)
        }
        return concurrent
    }

    /// The record index part of the check for concurrent commit `c`.
    private func checkIndex(of c: Instant, meta: HoodieCommitMetadata, myKeys: [String]) throws(LakeError) {
        guard let mine = indexWrite else { return }
        let deltaName = RecordIndexStore.fileName(base: false, instant: c.timestamp)
        let baseName = RecordIndexStore.fileName(base: true, instant: c.timestamp)
        let base = try readIfPresent(baseName)
        // A base at a later instant (the commit's own, or one archival rewrote under its name)
        // hides every delta before it, this write's too.
        if base != nil && c.normalizedTimestamp > Instant.normalize(instant) {
            throw conflict(with: c.timestamp, .recordIndex)
        }
        if let bytes = try readIfPresent(deltaName) {
            guard !myKeys.isEmpty else { return }
            var theirs = try RecordIndex(base: nil, deltas: [(deltaName, bytes)])
            if let k = myKeys.first(where: { theirs.lookup($0) != nil }) {
                throw conflict(with: c.timestamp, .key(k))
            }
        } else if let bytes = base {
            try compare(myKeys, with: bytes, named: baseName, start: mine.start, commit: c)
        } else if !myKeys.isEmpty {
            // A lake commit whose delta the cleaner removed: a base at or after it holds its changes.
            guard meta.extraMetadata["lake.index"] != nil, let later = try laterBase(than: c) else {
                throw conflict(with: c.timestamp, .unindexedCommit)
            }
            try compare(myKeys, with: later.bytes, named: later.name, start: mine.start, commit: c)
        }
    }

    /// Conflicts if a base's entry of one of `keys` differs from what this write started from.
    private func compare(
        _ keys: [String], with bytes: [UInt8], named name: String, start: RecordIndex,
        commit c: Instant
    ) throws(LakeError) {
        guard !keys.isEmpty else { return }
        var theirs = try RecordIndex(base: bytes, baseName: name, deltas: [])
        var start = start
        if let k = keys.first(where: { theirs.lookup($0) != start.lookup($0) }) {
            throw conflict(with: c.timestamp, .key(k))
        }
    }

    /// The earliest record index base at or after commit `c`, if any.
    private func laterBase(than c: Instant) throws(LakeError) -> (name: String, bytes: [UInt8])? {
        let names = try storage.list(RecordIndexStore.folder).compactMap { e -> String? in
            guard let (isBase, i) = RecordIndexStore.parse(e.name), isBase,
                Instant.normalize(i) >= c.normalizedTimestamp
            else { return nil }
            return i
        }
        guard let first = names.min(by: { Instant.normalize($0) < Instant.normalize($1) }) else { return nil }
        let name = RecordIndexStore.fileName(base: true, instant: first)
        guard let bytes = try readIfPresent(name) else { return nil }
        return (name, bytes)
    }

    /// This write's index file was a base built on its snapshot: rebuild it on the index valid
    /// now (which holds the concurrent commits), with this write's changes applied again.
    private func rebase(_ w: IndexWrite, plan: WritePlan, now: Table) throws(LakeError) {
        var index = try RecordIndexStore.load(table: now).index
        if case .rebaseWithoutReplaced = plan.index {
            let replaced = Set(plan.replacedGroups)
            for (k, e) in try index.allEntries() {
                if case .live(let p, let f) = e, replaced.contains(FileGroupID(partitionPath: p, fileId: f)) {
                    index.remove(k)
                }
            }
        }
        for (k, e) in w.changes { index.set(k, e) }
        try RecordIndexStore.persist(index, instant: instant, forceBase: true, storage: storage)
    }

    private func readIfPresent(_ path: String) throws(LakeError) -> [UInt8]? {
        do throws(LakeError) {
            return try storage.read(path)
        } catch  where error.code == .notFound {
            return nil
        }
    }

    private func conflict(with other: String, _ overlap: WriteConflict.Overlap) -> LakeError {
        let c = WriteConflict(instant: instant, conflictingInstant: other, overlap: overlap)
        return LakeError(.conflict, "\(c); the write was rolled back", cause: c)
    }
}
