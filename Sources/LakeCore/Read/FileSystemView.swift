import LakeBase

/// The table's file groups as storage and the timeline show them, the way Hudi readers see them.
///
/// Base files are found by listing partitions (``PartitionSelection``): every partition,
/// discovered level by level from the root (`.hoodie` skipped), or only the ones an operation
/// needs — a write lists the partitions its batch touches, a read prunes by its predicate. A
/// file is visible only if its instant is committed on the timeline (completed, or older than
/// the earliest active instant, as Hudi treats archived commits); files of pending or failed
/// writes are invisible. File groups replaced by a completed replacecommit at or before the
/// read instant are excluded.
public struct FileSystemView: Sendable {
    /// Every file group with its visible slices (in the listed partitions).
    public let groups: [FileGroupID: FileGroup]
    /// File groups replaced by completed replacecommits, with the replacing instant.
    public let replaced: [FileGroupID: String]
    /// Every file found in the listed partitions (not only base files; temporary files of
    /// crashed writers included), for callers that check what storage holds.
    let files: [StorageEntry]
    /// The partitions listed: groups of other partitions are absent from ``groups``.
    let selection: PartitionSelection

    init(
        groups: [FileGroupID: FileGroup], replaced: [FileGroupID: String], files: [StorageEntry] = [],
        selection: PartitionSelection = .all
    ) {
        self.groups = groups
        self.replaced = replaced
        self.files = files
        self.selection = selection
    }

    /// Lists every partition of the table and builds the view for `timeline`.
    public static func load(storage: some TableStorage, timeline: Timeline) throws(LakeError) -> FileSystemView {
        try load(storage: storage, timeline: timeline, partitions: .all)
    }

    /// Lists the partitions `partitions` selects and builds the view for `timeline`: file
    /// groups of other partitions are absent from it.
    /// - Throws: `.corruptTable` for a `*.parquet` name that is not a base file name, or two
    ///   base files of one group at one instant; storage errors as they come.
    public static func load(
        storage: some TableStorage, timeline: Timeline,
        partitions: PartitionSelection
    ) throws(LakeError) -> FileSystemView {
        let entries = try listFiles(storage: storage, partitions)
        var files: [(partitionPath: String, fileName: String, size: Int64)] = []
        var logs: [(partitionPath: String, path: String, log: SizedLogFile)] = []
        for entry in entries {
            let name = entry.name
            if LogFile.looksLikeLogFile(name), let log = LogFile.parse(name) {
                logs.append((StoragePath.parent(entry.path), entry.path, SizedLogFile(file: log, size: entry.size)))
                continue
            }
            guard name.hasSuffix(".parquet") else { continue }
            guard let base = BaseFile.parse(name) else {
                throw LakeError(
                    .corruptTable,
                    "file \(entry.path) is not a Hudi base file name "
                        + "(<fileId>_<writeToken>_<instant>.parquet)")
            }
            guard timeline.isCommitted(base.instantTime) else { continue }
            files.append((StoragePath.parent(entry.path), name, entry.size))
        }
        var groups = try FileGroup.build(from: files)
        for (partition, path, log) in logs {
            let id = FileGroupID(partitionPath: partition, fileId: log.file.fileId)
            if groups[id]?.attach(log) == true { continue }
            // No committed base file at the log's base instant. A failed write's base file is
            // invisible and so are its logs' blocks; anything else would need log-only slices or
            // pending-compaction merging, which lake does not read yet: refuse rather than drop rows.
            let base = log.file.baseInstant
            if timeline.isCommitted(base)
                || timeline.instants.contains(where: {
                    $0.normalizedTimestamp == Instant.normalize(base) && $0.action == .compaction
                })
            {
                throw LakeError(
                    .unsupported,
                    "log file \(path) extends no base file (instant \(base)): log-only file slices and logs "
                        + "written during a pending compaction are not read by lake yet")
            }
        }
        var replaced: [FileGroupID: String] = [:]
        for instant in timeline.completedReplaceCommits {
            let meta = try timeline.commitMetadata(of: instant, in: storage)
            for id in meta.replacedFileGroups {
                if let old = replaced[id], old <= instant.timestamp { continue }
                replaced[id] = instant.timestamp
            }
        }
        return FileSystemView(groups: groups, replaced: replaced, files: entries, selection: partitions)
    }

    /// The files (not directories) of the selected partitions, outside `.hoodie/`.
    static func listFiles(
        storage: some TableStorage,
        _ partitions: PartitionSelection
    ) throws(LakeError) -> [StorageEntry] {
        let meta = Timeline.metaFolder
        switch partitions {
        case .all:
            return try storage.walkFiles(under: "") { $0.path != meta }
        case .pruned(let descend):
            return try storage.walkFiles(under: "") { $0.path != meta && descend($0.path) }
        case .only(let set):
            let dirs = set.sorted()
            let listed = try storage.parallelMapRequests(dirs.count) { i throws(LakeError) in
                do throws(LakeError) {
                    return try storage.list(dirs[i]).filter { !$0.isDirectory }
                } catch  where error.code == .notFound {
                    return []
                }
            }
            return listed.flatMap { $0 }
        }
    }

    /// The latest slice of every live file group as of `instant` (nil: the latest), sorted by
    /// partition and file id.
    public func latestSlices(asOf instant: String? = nil) -> [FileSlice] {
        var out: [FileSlice] = []
        for (id, group) in groups {
            if let r = replaced[id], instant.map({ Instant.normalize(r) <= Instant.normalize($0) }) ?? true { continue }
            let slice = instant.map { group.slice(asOf: $0) } ?? group.latestSlice
            if let s = slice { out.append(s) }
        }
        return out.sorted { $0.fileGroupID < $1.fileGroupID }
    }

    /// The latest slices of live file groups in one partition.
    public func latestSlices(inPartition partition: String) -> [FileSlice] {
        latestSlices().filter { $0.partitionPath == partition }
    }

    /// Partition paths that have at least one live file group.
    public var partitions: [String] {
        Array(Set(latestSlices().map(\.partitionPath))).sorted()
    }
}
