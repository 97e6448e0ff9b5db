/// The base files one snapshot of a table consists of: exactly what a plain Parquet reader
/// (DuckDB, polars, pyarrow, Spark without Hudi) must read — and nothing else — to get the
/// table's rows as of that commit (``Table/snapshotFiles(asOf:)``).
///
/// A table directory holds every file version the cleaner still keeps, and files of failed or
/// pending writes; globbing it (`**/*.parquet`) returns old versions of updated rows, deleted rows
/// and rows of uncommitted writes. These are the latest committed slice of each live file group as
/// of ``instant``, checked against the commit metadata. Each file holds every column, the
/// partition columns included (with their real types), after the five `_hoodie_*` columns, so a
/// reader must not derive columns from the directory names (no hive partitioning). Files written
/// before a column was added lack it: read them by column name and fill the gaps with nulls
/// (DuckDB `union_by_name`, polars `allow_missing_columns`, a unified pyarrow schema).
public struct SnapshotFiles: Sendable, Hashable {
    /// The commit the snapshot is as of; `nil` for a table without commits (no files).
    public var instant: String?
    /// The table root, as the storage names it (an absolute directory for local tables).
    public var root: String
    /// The slices, sorted by partition path and file id.
    public var slices: [FileSlice]
    /// The table's data columns in order (partition columns included), without the meta columns.
    public var columns: [String]

    /// A snapshot's files.
    public init(instant: String?, root: String, slices: [FileSlice], columns: [String]) {
        self.instant = instant
        self.root = root
        self.slices = slices
        self.columns = columns
    }

    /// Where each slice is: `root/partition/file.parquet`, in ``slices`` order.
    public var locations: [String] {
        slices.map { root + "/" + $0.path }
    }

    /// Total bytes of the files.
    public var bytes: Int64 { slices.reduce(0) { $0 + $1.size } }
}

extension Table {
    /// The base files of the snapshot as of `asOf` (default: the latest commit) — each live file
    /// group's latest committed slice, checked against the commit metadata (``WrittenSlices``).
    /// Reading exactly these files gives the rows ``read(_:)`` returns for the same snapshot.
    /// - Parameter asOf: any form ``resolveAsOf(_:)`` accepts; the newest commit at or before it.
    /// - Throws: `.unsupported` for a merge-on-read snapshot with log files (its rows are not
    ///   in base files alone); `.notFound` if `asOf` is before the first commit; `.outsideRetention` if the
    ///   cleaner removed files that snapshot needs; `.corruptTable` if a file is missing or damaged.
    public func snapshotFiles(asOf: String? = nil) throws(LakeError) -> SnapshotFiles {
        // One snapshot for the whole read, whatever another thread's write does meanwhile.
        if !isPinned { return try snapshot().snapshotFiles(asOf: asOf) }
        let instant =
            try asOf.map { spec throws(LakeError) in try resolveAsOf(spec) }
            ?? timeline.latestCompleted?.timestamp
        let columns = schema?.fields.map(\.name) ?? []
        guard instant != nil else {
            return SnapshotFiles(instant: nil, root: storage.root, slices: [], columns: columns)
        }
        let view = try FileSystemView.load(storage: storage, timeline: timeline)
        let slices = try verifiedSlices(view, asOf: asOf == nil ? nil : instant)
        if let s = slices.first(where: { !$0.logFiles.isEmpty }) {
            throw LakeError(
                .unsupported,
                "merge-on-read table \(config.name) has log files (such as \(s.path(of: s.logFiles[0].file))) "
                    + "that plain Parquet readers cannot merge: read it with lake query or a Hudi reader"
            )
        }
        return SnapshotFiles(instant: instant, root: storage.root, slices: slices, columns: columns)
    }
}
