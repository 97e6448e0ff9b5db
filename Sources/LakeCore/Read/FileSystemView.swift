/// The table's file groups as storage and the timeline show them, the way Hudi readers see them.
///
/// Base files are found by listing the table (partitions are the directories that hold them;
/// `.hoodie` is skipped). A file is visible only if its instant is committed on the timeline
/// (completed, or older than the earliest active instant, as Hudi treats archived commits);
/// files of pending or failed writes are invisible. File groups replaced by a completed
/// replacecommit at or before the read instant are excluded.
public struct FileSystemView: Sendable {
    /// Every file group with its visible slices.
    public let groups: [FileGroupID: FileGroup]
    /// File groups replaced by completed replacecommits, with the replacing instant.
    public let replaced: [FileGroupID: String]

    /// Lists the table and builds the view for `timeline`.
    public static func load(storage: some TableStorage, timeline: Timeline) throws(LakeError) -> FileSystemView {
        var files: [(partitionPath: String, fileName: String, size: Int64)] = []
        for entry in try storage.listFilesRecursively("") where !entry.isDirectory {
            let path = entry.path
            if path.hasPrefix(Timeline.metaFolder + "/") { continue }
            let name = entry.name
            guard name.hasSuffix(".parquet") else { continue }
            guard let base = BaseFile.parse(name) else {
                throw LakeError(.corruptTable, "file \(path) is not a Hudi base file name (<fileId>_<writeToken>_<instant>.parquet)")
            }
            guard timeline.isCommitted(base.instantTime) else { continue }
            files.append((StoragePath.parent(path), name, entry.size))
        }
        let groups = try FileGroup.build(from: files)
        var replaced: [FileGroupID: String] = [:]
        for instant in timeline.completedReplaceCommits {
            let meta = try timeline.commitMetadata(of: instant, in: storage)
            for id in meta.replacedFileGroups {
                if let old = replaced[id], old <= instant.timestamp { continue }
                replaced[id] = instant.timestamp
            }
        }
        return FileSystemView(groups: groups, replaced: replaced)
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
