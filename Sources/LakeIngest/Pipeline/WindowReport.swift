/// What one window did: the line `lake stream` prints per commit.
public struct WindowReport: Sendable, Hashable, CustomStringConvertible {
    /// The commit, or `nil` when nothing was committed (every record refused and the table not
    /// created yet).
    public var commit: SinkCommit?
    /// Records read in the window (refused ones included).
    public var recordsIn: Int
    /// Rows upserted (INSERT and MODIFY records) and deleted (REMOVE records) as sent to the table.
    public var upserts: Int
    public var deletes: Int
    /// Records refused (quarantined).
    public var errors: Int
    /// The error log file, when records were refused.
    public var errorLog: String?
    /// Attribute names the window renamed for the first time (column path → attribute name):
    /// names that are not valid column names, or that are reserved (``AttributeNaming``).
    public var renamedAttributes: [String: String] = [:]
    /// A live stream's window (``StreamStatisticsSource``): bytes in, per-shard lag, and the
    /// arrival-to-commit latency of its records; `lake stream` prints it on standard error.
    public var stream: StreamWindow?
    /// Where the next window starts.
    public var checkpoint: Checkpoint?
    /// Milliseconds from reading the window's first record to the commit's completion (the
    /// longest any record of the window waited), and the mean over the window's records.
    public var maxLatencyMillis: Int64
    public var meanLatencyMillis: Int64

    public var description: String {
        var s = commit.map { "commit \($0.instant)" } ?? "no commit"
        s += ": \(recordsIn) records in, \(upserts) upserts, \(deletes) deletes, \(errors) errors"
        if let c = commit {
            s +=
                " (table: \(c.inserted) inserted, \(c.updated) updated, \(c.deleted) deleted, \(c.ignored) ignored), \(c.filesWritten) files written"
        }
        s += ", latency \(maxLatencyMillis) ms max, \(meanLatencyMillis) ms mean"
        if !renamedAttributes.isEmpty {
            let shown = renamedAttributes.keys.sorted().prefix(5).map { "'\(renamedAttributes[$0]!)' → \($0)" }
            s +=
                "; \(renamedAttributes.count) attribute name\(renamedAttributes.count == 1 ? "" : "s") renamed ("
                + shown.joined(separator: ", ") + (renamedAttributes.count > 5 ? ", …" : "") + ")"
        }
        if let e = errorLog { s += "; errors in \(e)" }
        return s
    }
}
