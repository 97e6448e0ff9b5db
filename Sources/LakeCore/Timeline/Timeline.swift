/// The instants of a table (layout 1: the instant files directly in `.hoodie/`), sorted.
///
/// A timeline is a snapshot of one listing; it does not change when the table does. All
/// timestamp comparisons widen 14-digit instants to 17 digits first, so they are time order.
///
/// "Write" instants are commit, deltacommit and replacecommit (``Instant/Action/isWrite``); only
/// they make data visible. Clean, rollback and the rest are kept in ``instants`` and count for
/// ``latestTimestamp`` but for nothing else.
public struct Timeline: Sendable, Hashable {
    /// The metadata folder under the table root.
    public static let metaFolder = ".hoodie"

    /// Every instant file, sorted (``Instant`` order: timestamp, then state, then action).
    public let instants: [Instant]

    /// A timeline of the given instants (any order; duplicates are dropped).
    public init(instants: some Sequence<Instant>) {
        self.instants = Array(Set(instants)).sorted()
    }

    /// A timeline from the names in `.hoodie/`; names that are not instant files are skipped.
    public init(fileNames: some Sequence<String>) {
        self.init(instants: fileNames.compactMap { Instant(fileName: $0) })
    }

    /// Lists `.hoodie/` and parses its instant files. Directories and other files
    /// (`hoodie.properties`, `.temp`, `archived`) are ignored.
    /// - Throws: `.notFound` if `.hoodie/` does not exist (not a table), `.io` on listing errors.
    public static func load(from storage: some TableStorage) throws(LakeError) -> Timeline {
        let entries = try storage.list(metaFolder)
        return Timeline(fileNames: entries.lazy.filter { !$0.isDirectory }.map(\.name))
    }

    // MARK: Completed writes

    /// Completed commit, deltacommit and replacecommit instants, oldest first.
    public var completedCommits: [Instant] {
        instants.filter { $0.state == .completed && $0.action.isWrite }
    }

    /// Completed replacecommit instants, oldest first.
    public var completedReplaceCommits: [Instant] {
        instants.filter { $0.state == .completed && $0.action == .replacecommit }
    }

    /// The latest completed write instant: what a snapshot read sees by default.
    public var latestCompleted: Instant? {
        instants.last { $0.state == .completed && $0.action.isWrite }
    }

    /// Completed write instants `t` with `start < t <= end` (the incremental window); a `nil`
    /// bound is open.
    public func completedCommits(after start: String?, upTo end: String?) -> [Instant] {
        let s = start.map(Instant.normalize)
        let e = end.map(Instant.normalize)
        return completedCommits.filter { i in
            let t = i.normalizedTimestamp
            return (s.map { t > $0 } ?? true) && (e.map { t <= $0 } ?? true)
        }
    }

    /// The completed write instant at `timestamp`, if any.
    public func completedCommit(at timestamp: String) -> Instant? {
        let t = Instant.normalize(timestamp)
        return instants.first { $0.state == .completed && $0.action.isWrite && $0.normalizedTimestamp == t }
    }

    /// Whether a write instant at `timestamp` has completed.
    public func isCompleted(_ timestamp: String) -> Bool {
        completedCommit(at: timestamp) != nil
    }

    // MARK: Pending instants

    /// For each timestamp that has instant files but no completed one, its latest-state file
    /// (inflight over requested), oldest first. Includes every action (clean, rollback, …).
    public var pendingInstants: [Instant] {
        var result: [Instant] = []
        var i = 0
        while i < instants.count {
            var j = i
            let t = instants[i].normalizedTimestamp
            while j + 1 < instants.count && instants[j + 1].normalizedTimestamp == t { j += 1 }
            let group = instants[i...j]
            if !group.contains(where: { $0.state == .completed }), let top = group.max(by: { $0.state < $1.state }) {
                result.append(top)
            }
            i = j + 1
        }
        return result
    }

    /// Pending write instants (commit, deltacommit, replacecommit): the writes a crashed or
    /// concurrent writer left; their data files are invisible (§7.2) and must be rolled back.
    public var pendingCommits: [Instant] {
        pendingInstants.filter { $0.action.isWrite }
    }

    // MARK: Boundaries

    /// The greatest timestamp of any instant file, in any state and of any action; a new
    /// instant must be greater (``InstantClock/next(after:)``).
    public var latestTimestamp: String? {
        instants.last?.timestamp
    }

    /// The earliest active instant (format page §7.2): the smallest timestamp among write
    /// instants (commit, deltacommit, replacecommit) in **any** state. Clean instants do not
    /// count. `nil` if there are none.
    public var earliestActiveTimestamp: String? {
        instants.first { $0.action.isWrite }?.timestamp
    }

    /// Whether data files written at `instantTime` are visible to readers (hudi-rs
    /// `is_committed`, Java `containsInstant || isBeforeTimelineStarts`): the instant is a
    /// completed write, **or** it is older than ``earliestActiveTimestamp`` (treated as archived).
    /// On a timeline without write instants nothing is committed.
    public func isCommitted(_ instantTime: String) -> Bool {
        if isCompleted(instantTime) { return true }
        guard let earliest = earliestActiveTimestamp else { return false }
        return Instant.normalize(instantTime) < Instant.normalize(earliest)
    }
}
