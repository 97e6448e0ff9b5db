/// What one run of the cleaner did (or, for a dry run, would do).
public struct CleanerReport: Sendable, Hashable {
    /// The clean instant written (`<instant>.clean`); `nil` when there was nothing to delete or
    /// for a dry run.
    public var instant: String?
    /// Whether nothing was deleted because the run only planned.
    public var dryRun: Bool
    /// The plan this run made (for a dry run: what it would delete and keep).
    public var plan: CleanerPlan
    /// Pending clean instants (left by a crashed clean) that this run finished first.
    public var resumed: [String] = []
    /// Pending clean instants this run could not finish: their plan is not lake's (Java Hudi's
    /// Avro) or unreadable. They are left as they are.
    public var skipped: [String] = []
    /// Base files deleted (by this plan and resumed ones).
    public var filesDeleted = 0
    /// Planned files that were already gone (deleted by an interrupted earlier attempt).
    public var filesMissing = 0
    /// Planned files kept because a read now needs them (e.g. a savepoint created after the plan).
    public var filesKept = 0
    /// Bytes freed by deleted base files.
    public var bytesFreed: Int64 = 0
    /// Record-index files deleted.
    public var indexFilesDeleted = 0
    /// Bytes freed by deleted record-index files.
    public var indexBytesFreed: Int64 = 0
    /// Partition directories removed because no file was left in them.
    public var partitionsRemoved: [String] = []
    /// The earliest instant still fully readable after the run.
    public var earliestReadableInstant: String?

    /// An empty report around `plan`.
    public init(plan: CleanerPlan, dryRun: Bool) {
        self.plan = plan
        self.dryRun = dryRun
        self.earliestReadableInstant = plan.earliestReadableInstant
    }

    /// Adds the outcome of executing one plan.
    mutating func add(_ r: CleanerReport) {
        filesDeleted += r.filesDeleted
        filesMissing += r.filesMissing
        filesKept += r.filesKept
        bytesFreed += r.bytesFreed
        indexFilesDeleted += r.indexFilesDeleted
        indexBytesFreed += r.indexBytesFreed
        partitionsRemoved += r.partitionsRemoved
    }

    /// The result part of a completed `.clean` instant's JSON.
    var resultJSON: JSONValue {
        .object([
            JSONMember("filesDeleted", .number(JSONNumber(filesDeleted))),
            JSONMember("filesMissing", .number(JSONNumber(filesMissing))),
            JSONMember("filesKept", .number(JSONNumber(filesKept))),
            JSONMember("bytesFreed", .number(JSONNumber(bytesFreed))),
            JSONMember("indexFilesDeleted", .number(JSONNumber(indexFilesDeleted))),
            JSONMember("indexBytesFreed", .number(JSONNumber(indexBytesFreed))),
            JSONMember("partitionsRemoved", .array(partitionsRemoved.map { .string($0) })),
        ])
    }
}
