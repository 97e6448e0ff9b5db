/// One instant of a table's timeline as ``Table/timelineEntries()`` reports it: its action and
/// state, and for completed writes what the commit metadata says it did.
public struct TimelineEntry: Sendable, Hashable {
    /// The instant time, as on the timeline (17 digits, or 14 from older writers).
    public var instant: String
    /// commit, replacecommit, clean, rollback, …
    public var action: Instant.Action
    /// The most advanced state of the instant (requested < inflight < completed).
    public var state: Instant.State
    /// The write operation (`operationType` of the commit metadata); `nil` for pending
    /// instants, non-write actions, or metadata without one.
    public var operation: WriteOperationType?
    /// What a completed write did (sums over its write stats); `nil` for anything else.
    public var counts: Counts?

    /// Sums of a completed write's stats.
    public struct Counts: Sendable, Hashable {
        /// Records written to new file versions (inserted + updated + carried over): `numWrites`.
        public var recordsWritten: Int64 = 0
        /// Records inserted: `numInserts`.
        public var recordsInserted: Int64 = 0
        /// Records updated: `numUpdateWrites`.
        public var recordsUpdated: Int64 = 0
        /// Records deleted: `numDeletes`.
        public var recordsDeleted: Int64 = 0
        /// Base files written (one per write stat).
        public var filesWritten: Int = 0
        /// Partitions with at least one write stat.
        public var partitionsWritten: Int = 0
        /// File groups a replacecommit replaced.
        public var fileGroupsReplaced: Int = 0
        /// Bytes of the files written: `totalWriteBytes`.
        public var bytesWritten: Int64 = 0

        /// Zero counts.
        public init() {}

        /// The sums over `metadata`'s write stats.
        public init(_ metadata: HoodieCommitMetadata) {
            for stats in metadata.partitionToWriteStats.values {
                if !stats.isEmpty { partitionsWritten += 1 }
                for s in stats {
                    recordsWritten += s.numWrites
                    recordsInserted += s.numInserts
                    recordsUpdated += s.numUpdateWrites
                    recordsDeleted += s.numDeletes
                    bytesWritten += s.totalWriteBytes
                    filesWritten += 1
                }
            }
            fileGroupsReplaced = metadata.replacedFileGroups.count
        }
    }

    /// An entry with the given content.
    public init(
        instant: String, action: Instant.Action, state: Instant.State, operation: WriteOperationType? = nil,
        counts: Counts? = nil
    ) {
        self.instant = instant
        self.action = action
        self.state = state
        self.operation = operation
        self.counts = counts
    }
}

extension Table {
    /// The loaded timeline, one entry per instant time in its most advanced state, oldest first,
    /// with the commit metadata's operation and counts for completed writes.
    /// - Throws: `.corruptTable` if a completed write's metadata cannot be parsed; `.io`.
    public func timelineEntries() throws(LakeError) -> [TimelineEntry] {
        var latest: [String: Instant] = [:]
        for i in timeline.instants where latest[i.timestamp].map({ $0.state < i.state }) ?? true {
            latest[i.timestamp] = i
        }
        var out: [TimelineEntry] = []
        for i in latest.values.sorted() {
            var e = TimelineEntry(instant: i.timestamp, action: i.action, state: i.state)
            if i.state == .completed, i.action.isWrite {
                let meta = try commitMetadata(i)
                e.operation = meta.operationType
                e.counts = TimelineEntry.Counts(meta)
            }
            out.append(e)
        }
        return out
    }
}
