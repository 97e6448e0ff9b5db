import LakeBase

/// The file slices the completed commits of a timeline wrote, as their commit metadata names
/// them: what a snapshot must consist of, independent of what a listing of storage shows.
///
/// Hudi readers build a snapshot from the listing alone (format page §7.1), so a base file that
/// went missing silently resurrects the group's previous slice — deleted rows included — or drops
/// the group's rows; the next upsert then makes the loss permanent. Every lake read and write
/// compares the listing's slices with this record first (``verify(_:asOf:)``): for every file
/// group a completed commit at or before the read instant wrote (and no replacecommit at or
/// before it replaced), the slice the read uses must be the one the **latest** such commit wrote,
/// and its size must be the write stat's `fileSizeInBytes`. Anything else is
/// `LakeError(.corruptTable)` naming the missing or damaged file.
///
/// Only the active timeline is covered: groups whose latest slice an archived commit wrote are
/// not known here (``Table/check()`` reads the archived commit files lake keeps as well).
///
/// Cost: one commit file read and scanned (``CommitWrites``, not a full metadata decode) per
/// completed commit on the active timeline — archival keeps that number bounded (30 by default).
struct WrittenSlices: Sendable {
    /// The slice one commit wrote for one file group.
    struct Slice: Sendable, Hashable {
        /// The writing commit, 17 digits.
        var instant: String
        /// The write stat.
        var write: CommitWrites.Write

        /// The file's path relative to the table root (partition directory + file name).
        var path: String { write.location ?? "" }
    }

    /// Per file group, the slices completed commits wrote, oldest first.
    private(set) var slices: [FileGroupID: [Slice]] = [:]
    /// Per replaced file group, the (17-digit) instant of the earliest replacecommit replacing it.
    private(set) var replaced: [FileGroupID: String] = [:]
    /// The commits read, oldest first.
    private(set) var commits: [CommitWrites] = []
    /// Their instants (17 digits).
    private(set) var commitInstants: Set<String> = []

    init() {}

    /// Records `commits` (any order; each instant once).
    init(_ commits: [CommitWrites]) {
        for c in commits.sorted(by: { $0.instant < $1.instant }) { add(c) }
    }

    /// Adds a commit newer than every commit added so far (an equal instant is ignored).
    mutating func add(_ c: CommitWrites) {
        guard !commitInstants.contains(c.instant) else { return }
        commits.append(c)
        commitInstants.insert(c.instant)
        // Base files only: a delta commit's log files extend the slice of their base instant.
        for w in c.writes where w.fileName.map({ !LogFile.looksLikeLogFile($0) }) ?? false && !w.fileId.isEmpty {
            slices[w.fileGroupID, default: []].append(Slice(instant: c.instant, write: w))
        }
        for id in c.replaced where replaced[id] == nil { replaced[id] = c.instant }
    }

    /// Reads the commit files of every completed write on `timeline` at or before `upTo` (all
    /// when `nil`), in parallel.
    /// - Throws: `.corruptTable` if a commit file is missing, empty or not commit metadata.
    ///
    /// A commit file that disappears because another writer archived it meanwhile (its instant
    /// left the active timeline and is older than the earliest active one) is no damage: the
    /// commits are read again from the timeline as it is now, up to the same commit.
    static func load(
        timeline: Timeline, storage: some TableStorage,
        upTo: String? = nil
    ) throws(LakeError) -> WrittenSlices {
        var timeline = timeline
        var upTo = upTo
        // Archival (by a concurrent writer) moves commit files one at a time; a read that races it
        // retries on the reloaded timeline as long as each failure is explained by commits that
        // were archived meanwhile — bounded, since an archival run moves finitely many files.
        for attempt in 0..<Self.archivalRetries {
            do throws(LakeError) {
                return try loadOnce(timeline: timeline, storage: storage, upTo: upTo)
            } catch  where error.code == .corruptTable && attempt < Self.archivalRetries - 1 {
                if attempt > 0 { Syscall.sleep(nanoseconds: Int64(min(50, 5 * attempt)) * 1_000_000) }
                let now = try Timeline.load(from: storage)
                let active = Set(now.instants.map(\.normalizedTimestamp))
                let archived = timeline.completedCommits.contains {
                    !active.contains($0.normalizedTimestamp) && now.isCommitted($0.timestamp)
                }
                guard archived else { throw error }
                upTo = upTo ?? timeline.latestCompleted?.timestamp
                timeline = now
            }
        }
        return try loadOnce(timeline: timeline, storage: storage, upTo: upTo)
    }

    /// How many times ``load(timeline:storage:upTo:)`` reads on a reloaded timeline while commit
    /// files are being archived under it.
    static let archivalRetries = 60

    private static func loadOnce(
        timeline: Timeline, storage: some TableStorage,
        upTo: String?
    ) throws(LakeError) -> WrittenSlices {
        let limit = upTo.map(Instant.normalize)
        let instants = timeline.completedCommits.filter { limit == nil || $0.normalizedTimestamp <= limit! }
        let parsed = parallelMap(instants.count, parallel: instants.count > 4) { i -> Result<CommitWrites, LakeError> in
            let path = Timeline.path(of: instants[i])
            do throws(LakeError) {
                let bytes = try storage.read(path)
                return .success(try CommitWrites(instant: instants[i].timestamp, json: bytes, source: path))
            } catch  where error.code == .notFound {
                let message = "commit file \(path) is listed on the timeline but cannot be read: \(error.message)"
                return .failure(LakeError(.corruptTable, message))
            } catch {
                return .failure(error)
            }
        }
        var commits: [CommitWrites] = []
        commits.reserveCapacity(parsed.count)
        for r in parsed {
            switch r {
            case .success(let c): commits.append(c)
            case .failure(let e): throw e
            }
        }
        return WrittenSlices(commits)
    }

    /// Whether group `id` is replaced in a snapshot as of `instant` (17 digits; `nil`: latest).
    func isReplaced(_ id: FileGroupID, asOf instant: String?) -> Bool {
        guard let r = replaced[id] else { return false }
        return instant.map { r <= $0 } ?? true
    }

    /// The slice of every live file group a snapshot as of `instant` must read: the latest one a
    /// commit at or before it wrote, unless a replacecommit at or before it replaced the group.
    func expected(asOf instant: String? = nil) -> [FileGroupID: Slice] {
        let t = instant.map(Instant.normalize)
        var out: [FileGroupID: Slice] = [:]
        out.reserveCapacity(slices.count)
        for (id, written) in slices where !isReplaced(id, asOf: t) {
            if let t {
                if let s = written.last(where: { $0.instant <= t }) { out[id] = s }
            } else if let s = written.last {
                out[id] = s
            }
        }
        return out
    }

    /// A base file a snapshot needs that storage does not offer as written, or a file it would
    /// read that no commit wrote.
    struct Mismatch: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            /// The file the latest write of a group produced is not there.
            case missing
            /// It is there, at another size than its write stat says.
            case size
            /// The read would use a file named with an active commit's instant that the commit's
            /// write stats do not name (a stray copy, or a leftover of a failed task).
            case unexpected
        }
        var kind: Kind
        /// The file.
        var path: String
        /// What is wrong (`is missing (written by commit …)`, `is 10 bytes but commit … wrote 12 bytes`).
        var what: String
    }

    /// Compares the slices a read as of `instant` (`nil`: latest) chose from a listing with what
    /// the commits wrote: each expected group must be read from the file its latest write
    /// produced, at the size that write recorded (when it recorded one), and a chosen file named
    /// with the instant of a commit read here must be one that commit wrote.
    /// - Parameters:
    ///   - chosen: the listing's slices for the read (every live group, or more).
    ///   - onlyGroups: compare only these groups (an incremental read reads a subset); `nil`
    ///     compares every group.
    ///   - partitions: compare only groups of the partitions the listing covered.
    /// - Returns: every mismatch, sorted by path.
    func mismatches(
        _ chosen: [FileSlice], asOf instant: String?, onlyGroups: Set<FileGroupID>? = nil,
        partitions: PartitionSelection = .all
    ) -> [Mismatch] {
        let expected = expected(asOf: instant)
        let compared = { (id: FileGroupID) in (onlyGroups?.contains(id) ?? true) && partitions.covers(id.partitionPath)
        }
        var out: [Mismatch] = []
        var byGroup: [FileGroupID: FileSlice] = [:]
        byGroup.reserveCapacity(chosen.count)
        for s in chosen where compared(s.fileGroupID) {
            byGroup[s.fileGroupID] = s
            if expected[s.fileGroupID] == nil, !isReplaced(s.fileGroupID, asOf: instant.map(Instant.normalize)),
                commitInstants.contains(Instant.normalize(s.instantTime))
            {
                out.append(
                    Mismatch(
                        kind: .unexpected, path: s.path,
                        what: "is named with commit \(s.instantTime), whose metadata does not list it"))
            }
        }
        for (id, want) in expected where compared(id) {
            let got = byGroup[id]
            if let got, Instant.normalize(got.instantTime) == want.instant,
                got.baseFile.fileName == want.write.fileName
            {
                if want.write.fileSize > 0 && got.size != want.write.fileSize {
                    out.append(
                        Mismatch(
                            kind: .size, path: want.path,
                            what: "is \(got.size) bytes but commit \(want.instant) wrote "
                                + "\(want.write.fileSize) bytes"))
                }
                continue
            }
            let instead = got.map { "; storage offers \($0.path) instead" } ?? "; the file group has no other slice"
            out.append(
                Mismatch(
                    kind: .missing, path: want.path,
                    what: "is missing (written by commit \(want.instant), file group \(id))\(instead)"))
        }
        return out.sorted { $0.path < $1.path }
    }

    /// ``mismatches(_:asOf:onlyGroups:)``, as an error.
    /// - Throws: `.corruptTable` naming the first missing, damaged or unexpected file, how many
    ///   there are, and the commit involved.
    func verify(
        _ chosen: [FileSlice], asOf instant: String?, onlyGroups: Set<FileGroupID>? = nil,
        partitions: PartitionSelection = .all
    ) throws(LakeError) {
        let problems = mismatches(chosen, asOf: instant, onlyGroups: onlyGroups, partitions: partitions)
        guard let first = problems.first else { return }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        let reading = instant.map { "a read as of \($0)" } ?? "the latest snapshot"
        throw LakeError(
            .corruptTable,
            """
            base file \(first.path) \(first.what)\(more): \(reading) cannot be served. The table is damaged; \
            nothing was read or written. Run 'lake check' for the full report; restore the file from a backup, \
            or roll back / restore to a commit whose files are all present
            """)
    }
}
