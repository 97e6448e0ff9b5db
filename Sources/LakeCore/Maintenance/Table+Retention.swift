extension Table {
    /// The oldest completed commit whose snapshot is still whole — all of its file slices are
    /// on disk — and so is every later commit's; `nil` for a table without commits.
    ///
    /// Before any clean this is the earliest completed commit on the (active) timeline. Each
    /// clean records the boundary it leaves in its instant file, before it deletes anything, so
    /// a clean that is still running or crashed already counts; the newest recorded boundary
    /// wins. With `KEEP_LATEST_COMMITS` N this is the Nth newest commit at the last clean (or
    /// older, if that clean deleted nothing older commits need). A clean instant lake cannot
    /// read (Java Hudi's Avro) counts as keeping only the latest commit before it.
    ///
    /// Reads as of an older instant (time travel, the start of an incremental window, the
    /// "before" side of a change feed) would be silently partial and must fail; savepointed
    /// commits stay readable too (``isReadable(asOf:)``).
    ///
    /// Lists `.hoodie/` afresh rather than using the timeline loaded at open: a clean that ran
    /// after this table was opened deleted files under it, and must count. A reader should ask
    /// after it has listed the files it will read, so a clean that starts in between counts too.
    /// - Throws: `.io` if the timeline cannot be listed or a clean instant file cannot be read.
    public func earliestReadableInstant() throws(LakeError) -> String? {
        try earliestReadableInstant(in: try Timeline.load(from: storage))
    }

    /// ``earliestReadableInstant()`` on a given timeline.
    func earliestReadableInstant(in timeline: Timeline) throws(LakeError) -> String? {
        let commits = timeline.completedCommits
        guard let first = commits.first else { return nil }
        guard let boundary = try recordedReadableBoundary(in: timeline) else { return first.timestamp }
        let b = Instant.normalize(boundary)
        // A restore may have removed the recorded commit: the next one is readable, and the
        // latest commit always is (the cleaner never deletes a latest slice).
        return commits.first { $0.normalizedTimestamp >= b }?.timestamp ?? commits.last!.timestamp
    }

    /// Whether a read as of `instant` is whole. The instant resolves, as time travel does, to the
    /// newest completed commit at or before it; the read is whole if that commit is not older
    /// than ``earliestReadableInstant()`` or is savepointed. `false` if no active commit is at or
    /// before `instant` (an empty table, or an archived commit).
    ///
    /// Like ``earliestReadableInstant()``, it looks at `.hoodie/` as it is now.
    /// - Throws: `.io` if the timeline cannot be listed or a clean instant file cannot be read.
    public func isReadable(asOf instant: String) throws(LakeError) -> Bool {
        let now = try Timeline.load(from: storage)
        let t = Instant.normalize(instant)
        guard let c = now.completedCommits.last(where: { $0.normalizedTimestamp <= t }) else { return false }
        if Self.savepoints(in: now).contains(where: { Instant.normalize($0) == c.normalizedTimestamp }) { return true }
        guard let e = try earliestReadableInstant(in: now) else { return false }
        return c.normalizedTimestamp >= Instant.normalize(e)
    }

    /// The commits pinned by completed savepoint instants (`.hoodie/<T>.savepoint`, named after
    /// the savepointed commit), oldest first. The cleaner keeps every slice a read as of them
    /// needs, and archival never passes the oldest.
    /// Uses the timeline loaded at open or at the last ``refresh()``.
    public var savepointedCommits: [String] {
        Self.savepoints(in: timeline)
    }

    static func savepoints(in timeline: Timeline) -> [String] {
        timeline.completedSavepoints.map(\.timestamp)
    }

    /// The boundary recorded by the newest clean instant (any state) that has one, on the
    /// loaded timeline.
    func recordedReadableBoundary() throws(LakeError) -> String? {
        try recordedReadableBoundary(in: timeline)
    }

    /// The boundary recorded by the newest clean instant (any state) of `timeline` that has one.
    func recordedReadableBoundary(in timeline: Timeline) throws(LakeError) -> String? {
        // Newest state file per clean timestamp, newest timestamp first.
        var newest: [String: Instant] = [:]
        for i in timeline.instants where i.action == .clean {
            if let o = newest[i.timestamp], o.state >= i.state { continue }
            newest[i.timestamp] = i
        }
        for instant in newest.values.sorted(by: >) {
            let path = Timeline.path(of: instant)
            let bytes: [UInt8]
            do {
                bytes = try storage.read(path)
            } catch  where error.code == .notFound {
                continue  // archived meanwhile
            }
            if let plan = try? CleanerPlan(bytes: bytes, source: path) {
                if let e = plan.earliestReadableInstant { return e }
                continue
            }
            // Not lake's plan (Java's Avro): only the latest commit before it is surely whole.
            let t = instant.normalizedTimestamp
            if let c = timeline.completedCommits.last(where: { $0.normalizedTimestamp < t }) {
                return c.timestamp
            }
        }
        return nil
    }
}
