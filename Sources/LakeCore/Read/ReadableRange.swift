/// How far back a table can be read exactly: from ``earliest`` (the earliest readable instant,
/// ``Table/earliestReadableInstant()``) to the latest commit.
///
/// A read "as of" an instant, and the start of an incremental or change-feed window, must be at
/// or after `earliest`: the cleaner keeps every file version such a read needs, and may have
/// deleted older ones, so a read before it would be silently partial (hudi-rs returns such
/// partial data; lake refuses with `.outsideRetention`).
///
/// A commit pinned by a savepoint stays readable as of itself even when it is older (the
/// cleaner keeps what a read as of it needs); windows still must start at or after `earliest`,
/// since the commits between a savepoint and `earliest` may have lost their file versions.
///
/// The one exception is a time before the table's first commit on a table whose history is
/// complete (nothing cleaned or archived before `earliest`): the table was empty then, which is
/// an exact answer, so such a time reads as ``Reach/beforeFirstCommit``.
struct ReadableRange: Sendable, Hashable {
    /// The earliest readable instant, widened to 17 digits; `nil` if the table has no commits.
    let earliest: String?
    /// Whether every commit the table ever had is still readable: `earliest` is its first
    /// completed commit and nothing was archived.
    let completeHistory: Bool
    /// Commits pinned by completed savepoints, widened to 17 digits.
    let savepointed: Set<String>

    /// Where a point in time falls.
    enum Reach: Equatable {
        /// At or after the earliest readable instant.
        case readable
        /// Before the first commit of a table whose history is complete (or without commits).
        case beforeFirstCommit
    }

    /// - Parameters:
    ///   - earliest: the earliest readable instant (any width), `nil` if the table has no commits.
    ///   - completeHistory: whether nothing before `earliest` was removed.
    ///   - savepointed: commits pinned by savepoints (any width).
    init(earliest: String?, completeHistory: Bool, savepointed: some Sequence<String> = []) {
        self.earliest = earliest.map(Instant.normalize)
        self.completeHistory = completeHistory
        self.savepointed = Set(savepointed.map(Instant.normalize))
    }

    /// Classifies instant `t` (17 digits).
    /// - Parameters:
    ///   - reading: what is being read, for the message (`as of 2024-06-01`, `changes since 3`).
    ///   - savepointsCount: whether a savepointed commit at `t` is readable (as-of reads: yes;
    ///     window starts: no).
    /// - Throws: `.outsideRetention` if `t` is before ``earliest`` and history before it is gone;
    ///   the message names the earliest readable instant.
    func check(
        _ t: String, reading: @autoclosure () -> String, savepointsCount: Bool = false
    ) throws(LakeError) -> Reach {
        guard let earliest else { return .beforeFirstCommit }
        let t = Instant.normalize(t)
        if t >= earliest { return .readable }
        if savepointsCount && savepointed.contains(t) { return .readable }
        if completeHistory { return .beforeFirstCommit }
        throw LakeError(
            .outsideRetention,
            """
            \(reading()) reaches before the retained history: the earliest readable instant is \(earliest) \
            (older file versions have been cleaned or archived, so the answer would be partial); \
            read at or after \(earliest)
            """)
    }
}

extension Table {
    /// The readable range of the loaded timeline: ``earliestReadableInstant()``, whether the
    /// history before it is complete (it is the first completed commit on the timeline and the
    /// archive folder `.hoodie/<archiveLogFolder>` holds no files), and the commits completed
    /// savepoints pin (`.hoodie/<commit>.savepoint`).
    func readableRange() throws(LakeError) -> ReadableRange {
        let earliest = try earliestReadableInstant()
        guard let earliest else { return ReadableRange(earliest: nil, completeHistory: true) }
        var complete =
            timeline.completedCommits.first.map { $0.normalizedTimestamp == Instant.normalize(earliest) } ?? false
        if complete, !config.archiveLogFolder.isEmpty {
            let archive = Timeline.metaFolder + "/" + config.archiveLogFolder
            if !(try storage.walkFiles(under: archive)).isEmpty { complete = false }
        }
        let pinned = timeline.instants.filter { $0.action == .savepoint && $0.state == .completed }.map(\.timestamp)
        return ReadableRange(earliest: earliest, completeHistory: complete, savepointed: pinned)
    }
}
