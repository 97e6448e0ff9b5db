/// What one write did to one file group: an entry of `partitionToWriteStats` in commit metadata
/// (Java `HoodieWriteStat`, format page §5).
///
/// Field names and JSON types are Java's. The JSON is written in Java's field order with every
/// field present; `null` fields are written as JSON `null`.
public struct HoodieWriteStat: Sendable, Hashable {
    /// The file group id (`<uuid>-<n>`). Required by hudi-rs.
    public var fileId: String
    /// The new base file, relative to the table root (`p=1/<fileId>_<token>_<instant>.parquet`);
    /// its last segment must parse as a ``BaseFile`` name. `null` in inflight files.
    public var path: String?
    /// Change-data-capture file stats (`Map<String, Long>`); lake writes `null`.
    public var cdcStats: [String: Int64]?
    /// The instant of the slice this write replaced, or the string `"null"` for a new file group
    /// (Java writes the four letters, not JSON null). See ``previousInstant``.
    public var prevCommit: String
    /// Records written to the new file (inserted + updated + carried over).
    public var numWrites: Int64
    /// Records deleted from the previous slice.
    public var numDeletes: Int64
    /// Records updated.
    public var numUpdateWrites: Int64
    /// Records inserted.
    public var numInserts: Int64
    /// Bytes written (the new file's size for copy-on-write).
    public var totalWriteBytes: Int64
    /// Records that failed to write (always 0 for lake).
    public var totalWriteErrors: Int64
    /// Always `null` for lake.
    public var tempPath: String?
    /// The partition path (`""` for non-partitioned tables); `null` in inflight files.
    public var partitionPath: String?
    /// Merge-on-read counters; 0 for copy-on-write.
    public var totalLogRecords: Int64
    /// Merge-on-read counter; 0 for copy-on-write.
    public var totalLogFilesCompacted: Int64
    /// Merge-on-read counter; 0 for copy-on-write.
    public var totalLogSizeCompacted: Int64
    /// Merge-on-read counter; 0 for copy-on-write.
    public var totalUpdatedRecordsCompacted: Int64
    /// Merge-on-read counter; 0 for copy-on-write.
    public var totalLogBlocks: Int64
    /// Merge-on-read counter; 0 for copy-on-write.
    public var totalCorruptLogBlock: Int64
    /// Merge-on-read counter; 0 for copy-on-write.
    public var totalRollbackBlocks: Int64
    /// Size of the new base file in bytes.
    public var fileSizeInBytes: Int64
    /// Smallest event time written, if tracked; lake writes `null`.
    public var minEventTime: Int64?
    /// Largest event time written, if tracked; lake writes `null`.
    public var maxEventTime: Int64?
    /// Timings in milliseconds; `null` in inflight files.
    public var runtimeStats: RuntimeStats?

    /// Java `HoodieWriteStat.RuntimeStats`, milliseconds.
    public struct RuntimeStats: Sendable, Hashable {
        /// Time spent reading the previous slice.
        public var totalScanTime: Int64
        /// Time spent merging (update path).
        public var totalUpsertTime: Int64
        /// Time spent writing a new file group (insert path).
        public var totalCreateTime: Int64

        /// Timings, zero by default.
        public init(totalScanTime: Int64 = 0, totalUpsertTime: Int64 = 0, totalCreateTime: Int64 = 0) {
            self.totalScanTime = totalScanTime
            self.totalUpsertTime = totalUpsertTime
            self.totalCreateTime = totalCreateTime
        }
    }

    /// The string Java writes in ``prevCommit`` for a new file group.
    public static let nullCommit = "null"

    /// A stat with every counter zero and `prevCommit` `"null"`.
    public init(
        fileId: String, path: String?, partitionPath: String?, prevCommit: String = HoodieWriteStat.nullCommit,
        numWrites: Int64 = 0, numDeletes: Int64 = 0, numUpdateWrites: Int64 = 0, numInserts: Int64 = 0,
        totalWriteBytes: Int64 = 0, fileSizeInBytes: Int64 = 0,
        runtimeStats: RuntimeStats? = RuntimeStats()
    ) {
        self.fileId = fileId
        self.path = path
        self.cdcStats = nil
        self.prevCommit = prevCommit
        self.numWrites = numWrites
        self.numDeletes = numDeletes
        self.numUpdateWrites = numUpdateWrites
        self.numInserts = numInserts
        self.totalWriteBytes = totalWriteBytes
        self.totalWriteErrors = 0
        self.tempPath = nil
        self.partitionPath = partitionPath
        self.totalLogRecords = 0
        self.totalLogFilesCompacted = 0
        self.totalLogSizeCompacted = 0
        self.totalUpdatedRecordsCompacted = 0
        self.totalLogBlocks = 0
        self.totalCorruptLogBlock = 0
        self.totalRollbackBlocks = 0
        self.fileSizeInBytes = fileSizeInBytes
        self.minEventTime = nil
        self.maxEventTime = nil
        self.runtimeStats = runtimeStats
    }

    /// ``prevCommit`` as an optional: `nil` for a new file group (`"null"` or empty).
    public var previousInstant: String? {
        get { prevCommit == Self.nullCommit || prevCommit.isEmpty ? nil : prevCommit }
        set { prevCommit = newValue ?? Self.nullCommit }
    }

    /// The base file name: the last segment of ``path``.
    public var fileName: String? {
        path.map(StoragePath.fileName)
    }
}

extension HoodieWriteStat {
    /// The JSON object in Java's field order.
    var json: JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        func opt(_ i: Int64?) -> JSONValue { i.map(JSONValue.int) ?? .null }
        let cdc: JSONValue =
            cdcStats.map { m in
                .object(pairs: m.keys.sorted().map { ($0, .int(m[$0]!)) })
            } ?? .null
        let runtime: JSONValue =
            runtimeStats.map { r in
                .object(pairs: [
                    ("totalScanTime", .int(r.totalScanTime)), ("totalUpsertTime", .int(r.totalUpsertTime)),
                    ("totalCreateTime", .int(r.totalCreateTime)),
                ])
            } ?? .null
        return .object(pairs: [
            ("fileId", .string(fileId)),
            ("path", opt(path)),
            ("cdcStats", cdc),
            ("prevCommit", .string(prevCommit)),
            ("numWrites", .int(numWrites)),
            ("numDeletes", .int(numDeletes)),
            ("numUpdateWrites", .int(numUpdateWrites)),
            ("numInserts", .int(numInserts)),
            ("totalWriteBytes", .int(totalWriteBytes)),
            ("totalWriteErrors", .int(totalWriteErrors)),
            ("tempPath", opt(tempPath)),
            ("partitionPath", opt(partitionPath)),
            ("totalLogRecords", .int(totalLogRecords)),
            ("totalLogFilesCompacted", .int(totalLogFilesCompacted)),
            ("totalLogSizeCompacted", .int(totalLogSizeCompacted)),
            ("totalUpdatedRecordsCompacted", .int(totalUpdatedRecordsCompacted)),
            ("totalLogBlocks", .int(totalLogBlocks)),
            ("totalCorruptLogBlock", .int(totalCorruptLogBlock)),
            ("totalRollbackBlocks", .int(totalRollbackBlocks)),
            ("fileSizeInBytes", .int(fileSizeInBytes)),
            ("minEventTime", opt(minEventTime)),
            ("maxEventTime", opt(maxEventTime)),
            ("runtimeStats", runtime),
        ])
    }

    /// Decodes a write stat object. Unknown keys are ignored; missing counters are 0; a known
    /// key with the wrong JSON type is an error naming `where` and the key.
    init(json: JSONValue, where loc: String) throws(LakeError) {
        guard case .object = json else {
            throw LakeError(.corruptTable, "\(loc): expected an object, found \(json.typeName)")
        }
        let r = MetadataReader(json, loc)
        guard let fileId = try r.string("fileId") else {
            throw LakeError(.corruptTable, "\(loc): missing fileId")
        }
        self.init(
            fileId: fileId, path: try r.string("path"), partitionPath: try r.string("partitionPath"),
            runtimeStats: nil)
        prevCommit = try r.string("prevCommit") ?? Self.nullCommit
        numWrites = try r.int("numWrites") ?? 0
        numDeletes = try r.int("numDeletes") ?? 0
        numUpdateWrites = try r.int("numUpdateWrites") ?? 0
        numInserts = try r.int("numInserts") ?? 0
        totalWriteBytes = try r.int("totalWriteBytes") ?? 0
        totalWriteErrors = try r.int("totalWriteErrors") ?? 0
        tempPath = try r.string("tempPath")
        totalLogRecords = try r.int("totalLogRecords") ?? 0
        totalLogFilesCompacted = try r.int("totalLogFilesCompacted") ?? 0
        totalLogSizeCompacted = try r.int("totalLogSizeCompacted") ?? 0
        totalUpdatedRecordsCompacted = try r.int("totalUpdatedRecordsCompacted") ?? 0
        totalLogBlocks = try r.int("totalLogBlocks") ?? 0
        totalCorruptLogBlock = try r.int("totalCorruptLogBlock") ?? 0
        totalRollbackBlocks = try r.int("totalRollbackBlocks") ?? 0
        fileSizeInBytes = try r.int("fileSizeInBytes") ?? 0
        minEventTime = try r.int("minEventTime")
        maxEventTime = try r.int("maxEventTime")
        if let cdc = try r.object("cdcStats") {
            var m: [String: Int64] = [:]
            for (k, v) in cdc {
                guard let i = v.int64Value else {
                    throw LakeError(.corruptTable, "\(loc).cdcStats.\(k): expected an integer, found \(v.typeName)")
                }
                m[k] = i
            }
            cdcStats = m
        }
        if let rt = try r.object("runtimeStats") {
            let sub = MetadataReader(.object(pairs: rt), loc + ".runtimeStats")
            runtimeStats = RuntimeStats(
                totalScanTime: try sub.int("totalScanTime") ?? 0,
                totalUpsertTime: try sub.int("totalUpsertTime") ?? 0,
                totalCreateTime: try sub.int("totalCreateTime") ?? 0)
        }
    }
}
