/// What one run of timeline archival moved (or, for a dry run, would move).
public struct ArchiverReport: Sendable, Hashable {
    /// Whether nothing was moved because the run only planned.
    public var dryRun: Bool
    /// The completed write instants (commit, replacecommit, deltacommit) archived, oldest first.
    public var archivedCommits: [String] = []
    /// Every instant file moved to `.hoodie/archived/`, in the order moved.
    public var archivedFiles: [String] = []
    /// Completed write instants left on the active timeline.
    public var activeCommits: Int = 0
    /// The earliest active write instant after the run (hudi-rs treats older base files as
    /// archived, so committed).
    public var earliestActiveInstant: String?
    /// Why fewer commits were archived than the settings allow (a savepoint, a pending
    /// instant, a replacecommit whose replaced files are not cleaned yet, an uncommitted file);
    /// `nil` when the settings alone decided.
    public var stoppedBy: String?
    /// Whether the record index was rewritten as a base at the latest commit first, because
    /// its files would have become invalid with their commits archived.
    public var indexRebased = false

    /// An empty report.
    public init(dryRun: Bool) {
        self.dryRun = dryRun
    }
}
