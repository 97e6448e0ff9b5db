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
            s += " (table: \(c.inserted) inserted, \(c.updated) updated, \(c.deleted) deleted, \(c.ignored) ignored), \(c.filesWritten) files written"
        }
        s += ", latency \(maxLatencyMillis) ms max, \(meanLatencyMillis) ms mean"
        if let e = errorLog { s += "; errors in \(e)" }
        return s
    }
}

/// What a pipeline run did in total.
public struct PipelineSummary: Sendable, Hashable {
    public var windows: [WindowReport] = []
    /// The checkpoint the run resumed from, if any.
    public var resumedFrom: Checkpoint?
    /// Why the run ended.
    public var stopReason: StopReason = .endOfInput

    public enum StopReason: String, Sendable, Hashable {
        case endOfInput = "end of input"
        case stopRequested = "stop requested"
    }

    public var commits: Int { windows.filter { $0.commit != nil }.count }
    public var recordsIn: Int { windows.reduce(0) { $0 + $1.recordsIn } }
    public var errors: Int { windows.reduce(0) { $0 + $1.errors } }
    public var upserts: Int { windows.reduce(0) { $0 + $1.upserts } }
    public var deletes: Int { windows.reduce(0) { $0 + $1.deletes } }
}
