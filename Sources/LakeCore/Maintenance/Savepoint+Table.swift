#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Timeline {
    /// Completed savepoint instants (`<T>.savepoint`), oldest first. Each pins the completed
    /// commit with the same instant time.
    public var completedSavepoints: [Instant] {
        instants.filter { $0.action == .savepoint && $0.state == .completed }
    }
}

extension Table {
    /// Pins a completed commit against the cleaner: writes `<T>.savepoint.inflight`, then
    /// `<T>.savepoint` listing the base files a read as of `T` needs.
    ///
    /// Takes the writer lock (waiting up to ``lockWaitMillis``) and first finishes what a crashed
    /// writer left (``rollback(instant:)`` without an instant).
    /// - Parameters:
    ///   - instant: the commit to pin; `nil` pins the latest completed commit.
    ///   - user: recorded as `savepointedBy` (default: the `USER` environment variable).
    ///   - comment: recorded as `comments`.
    /// - Returns: the savepoint.
    /// - Throws: `.notFound` if `instant` is not a completed commit (or the table has none);
    ///   `.alreadyExists` if it already has a savepoint; `.outsideRetention` if the cleaner already
    ///   removed files a read as of it needs (it can no longer be restored exactly).
    @discardableResult
    public func createSavepoint(
        instant: String? = nil, user: String? = nil, comment: String = ""
    ) throws(LakeError) -> SavepointMetadata {
        try requireWritable("savepoint")
        return try withWriterLock { () throws(LakeError) -> SavepointMetadata in
            try rollbackFailedWrites()
            let target: Instant
            if let instant {
                guard let c = timeline.completedCommit(at: instant) else {
                    throw LakeError(.notFound, "no completed commit at \(instant) to savepoint")
                }
                target = c
            } else {
                guard let c = timeline.latestCompleted else {
                    throw LakeError(.notFound, "the table has no completed commit to savepoint")
                }
                target = c
            }
            if timeline.completedSavepoints.contains(where: { $0.normalizedTimestamp == target.normalizedTimestamp }) {
                throw LakeError(.alreadyExists, "a savepoint already exists for instant \(target.timestamp)")
            }
            let files = try filesNeeded(asOf: target.timestamp)
            if let first = files.missing.first {
                throw LakeError(
                    .outsideRetention,
                    "cannot savepoint \(target.timestamp): the cleaner already removed \(files.missing.count) file(s) a read as of it needs (\(first))"
                )
            }
            let by = user ?? getenv("USER").map { String(cString: $0) } ?? ""
            let meta = SavepointMetadata(
                instant: target.timestamp, savepointedBy: by,
                savepointedAt: InstantTime.systemNowMillis() / 1000, comments: comment, files: files.needed)
            let savepoint = Instant(timestamp: target.timestamp, action: .savepoint, state: .completed)
            try storage.write(Timeline.path(of: savepoint.with(state: .inflight)), [])
            try CrashPoint.hit("savepoint-inflight", storage)
            try Timeline.complete(savepoint, meta.jsonData(), in: storage)
            timeline = try Timeline.load(from: storage)
            return meta
        }
    }

    /// The table's completed savepoints, oldest first, as of the timeline loaded at open or the
    /// last ``refresh()``. Does not take the lock.
    /// - Throws: storage errors reading a savepoint file.
    public func savepoints() throws(LakeError) -> [SavepointMetadata] {
        var out: [SavepointMetadata] = []
        for s in timeline.completedSavepoints {
            let path = Timeline.path(of: s)
            do throws(LakeError) {
                out.append(SavepointMetadata(instant: s.timestamp, json: try storage.read(path), source: path))
            } catch  where error.code == .notFound {
                continue  // deleted meanwhile
            }
        }
        return out
    }

    /// Removes the savepoint of commit `instant` (completed file first, then the inflight one),
    /// so the cleaner may remove its files again. Takes the writer lock.
    /// - Throws: `.notFound` if there is no savepoint at `instant`.
    public func deleteSavepoint(instant: String) throws(LakeError) {
        try withWriterLock { () throws(LakeError) in
            let t = Instant.normalize(instant)
            let files = timeline.instants.filter { $0.action == .savepoint && $0.normalizedTimestamp == t }
            guard !files.isEmpty else {
                let all = timeline.completedSavepoints.map(\.timestamp).joined(separator: ", ")
                throw LakeError(.notFound, "no savepoint at \(instant) (savepoints: \(all.isEmpty ? "none" : all))")
            }
            for f in files.sorted(by: { $0.state > $1.state }) {
                try storage.delete(Timeline.path(of: f))
            }
            timeline = try Timeline.load(from: storage)
        }
    }

    /// The base files a snapshot as of completed commit `t` reads, and which of them are gone.
    ///
    /// From the commit metadata of the active timeline: for each file group, the file written
    /// by its latest write at or before `t`, unless a replacecommit at or before `t` replaced
    /// the group. File groups whose only writes were archived are taken from a listing of every
    /// partition (their slice as of `t`). `missing` lists the metadata's files that storage
    /// lacks: what the cleaner removed (a read as of `t` would silently be partial).
    func filesNeeded(asOf t: String) throws(LakeError) -> (needed: [String], missing: [String]) {
        let written = try WrittenSlices.load(timeline: timeline, storage: storage, upTo: t)
        let expected = written.expected(asOf: t)
        var needed = Set(expected.values.map(\.path))
        let view = try FileSystemView.load(storage: storage, timeline: timeline)
        for s in view.latestSlices(asOf: t)
        where expected[s.fileGroupID] == nil && !written.isReplaced(s.fileGroupID, asOf: t) {
            needed.insert(s.path)
        }
        let present = Set(view.files.lazy.map(\.path))
        return (needed.sorted(), needed.filter { !present.contains($0) }.sorted())
    }
}
