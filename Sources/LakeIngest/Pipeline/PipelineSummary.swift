/// What a pipeline run did in total.
public struct PipelineSummary: Sendable, Hashable {
    /// One report per window that held records, in order.
    public var windows: [WindowReport] = []
    /// The checkpoint the run resumed from, if any.
    public var resumedFrom: Checkpoint?
    /// Why the run ended.
    public var stopReason: StopReason = .endOfInput

    /// Why ``MicroBatchPipeline/run(onCommit:)`` returned.
    public enum StopReason: String, Sendable, Hashable {
        case endOfInput = "end of input"
        case stopRequested = "stop requested"
    }

    /// Windows that made a commit.
    public var commits: Int { windows.filter { $0.commit != nil }.count }
    /// Records read.
    public var recordsIn: Int { windows.reduce(0) { $0 + $1.recordsIn } }
    /// Records refused.
    public var errors: Int { windows.reduce(0) { $0 + $1.errors } }
    /// Upsert rows sent.
    public var upserts: Int { windows.reduce(0) { $0 + $1.upserts } }
    /// Delete rows sent.
    public var deletes: Int { windows.reduce(0) { $0 + $1.deletes } }
    /// Attribute names renamed for the first time (column path → attribute name).
    public var renamedAttributes: [String: String] {
        windows.reduce(into: [:]) { $0.merge($1.renamedAttributes) { a, _ in a } }
    }
}
