/// A window of commits `(since, until]` for incremental reads (``Table/readIncremental(_:options:)``)
/// and change feeds (``Table/changes(_:options:)``).
///
/// The window is half-open, as in Hudi: a commit at exactly `since` is **not** in it, a commit
/// at exactly `until` is. Both bounds take any form ``InstantTime/parse(_:timezone:)`` accepts
/// (a 17- or 14-digit instant, ISO-8601 / RFC 3339, epoch seconds or milliseconds), read in the
/// table's timeline time zone; they need not be commit instants. So reading window
/// `(C1, C3]` returns what commits `C2` and `C3` did, and polling with `since` = the last
/// commit seen never returns a commit twice.
public struct ReadWindow: Sendable, Hashable, CustomStringConvertible {
    /// The exclusive start; `nil`: the beginning of the table.
    public var since: String?
    /// The inclusive end; `nil`: the latest completed commit.
    public var until: String?

    /// The window `(since, until]`.
    public init(since: String? = nil, until: String? = nil) {
        self.since = since
        self.until = until
    }

    /// `(since, until]`, with `…` for an open bound.
    public var description: String { "(\(since ?? "…"), \(until ?? "…")]" }
}

/// A ``ReadWindow`` resolved against a table's timeline.
struct ResolvedWindow: Sendable {
    /// The exclusive start, 17 digits; `nil`: the beginning.
    let since: String?
    /// The inclusive end, 17 digits; `nil` if the table has no commits (the window is empty).
    let until: String?
    /// The completed write instants in the window, oldest first.
    let commits: [Instant]
}

extension Table {
    /// Resolves a window: parses its bounds, checks them against each other and against the
    /// readable range, and lists the completed commits in it.
    /// - Parameter what: names the read in messages (`changes`, `incremental read`).
    /// - Throws: `.invalidArgument` for a bound that is not a time, or `since` after `until`;
    ///   `.outsideRetention` if `since` is before the earliest readable instant (the state at
    ///   `since` — the before-image of the window's first commit — must be readable).
    func resolve(_ window: ReadWindow, what: String) throws(LakeError) -> ResolvedWindow {
        let tz = config.timelineTimezone
        let since = try window.since.map { s throws(LakeError) in try InstantTime.parse(s, timezone: tz).value }
        let until = try window.until.map { s throws(LakeError) in try InstantTime.parse(s, timezone: tz).value }
        if let since, let until, since > until {
            throw LakeError(
                .invalidArgument,
                "\(what): since \(window.since!) (instant \(since)) is after until \(window.until!) (instant \(until))")
        }
        let end = until ?? timeline.latestCompleted?.normalizedTimestamp
        let range = try readableRange()
        // The window's start must be a readable state; the beginning of the table counts as
        // "before the first commit".
        _ = try range.check(
            since ?? InstantTime.epoch.value, reading: "\(what) since \(window.since ?? "the beginning of the table")")
        guard let end else { return ResolvedWindow(since: since, until: nil, commits: []) }
        return ResolvedWindow(since: since, until: end, commits: timeline.completedCommits(after: since, upTo: end))
    }
}
