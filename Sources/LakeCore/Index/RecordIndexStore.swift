import LakeParquet
import LakeBase

/// Where the record index lives and which of its files are valid.
///
/// Files are in `.hoodie/lake/index/`: `base_<instant>.idx` and `delta_<instant>.idx`, each named
/// after the commit that wrote it, written before that commit completes. A file counts only if
/// its instant is committed — completed, or archived (older than the earliest active instant) —
/// so a failed write's index files are ignored (and removed by rollback). The index is the newest valid base plus every valid delta after it. It is *stale*
/// when a completed commit after the base has no delta (a commit by another writer, e.g. Java
/// Hudi): then it is rebuilt from the table's files.
enum RecordIndexStore {
    static let folder = ".hoodie/lake/index"

    struct Loaded {
        var index: RecordIndex
        /// The index was rebuilt from data files and must be persisted as a base.
        var rebuilt: Bool
    }

    static func fileName(base: Bool, instant: String) -> String {
        "\(folder)/\(base ? "base" : "delta")_\(instant).idx"
    }

    /// Parses `base_<instant>.idx` / `delta_<instant>.idx`.
    static func parse(_ name: String) -> (base: Bool, instant: String)? {
        guard name.hasSuffix(".idx") else { return nil }
        let stem = name.dropLast(4)
        if stem.hasPrefix("base_") { return (true, String(stem.dropFirst(5))) }
        if stem.hasPrefix("delta_") { return (false, String(stem.dropFirst(6))) }
        return nil
    }

    /// Loads the index valid for `timeline`, rebuilding it from `view` if it is missing or stale.
    static func load(table: Table, view: FileSystemView) throws(LakeError) -> Loaded {
        if let index = try loadIfCurrent(table: table) { return Loaded(index: index, rebuilt: false) }
        return Loaded(index: try rebuild(table: table, view: view), rebuilt: true)
    }

    /// The index valid for the table's timeline when its files cover every completed commit,
    /// else `nil` (a reader then scans instead of rebuilding it).
    static func loadIfCurrent(table: Table) throws(LakeError) -> RecordIndex? {
        let storage = table.storage
        let timeline = table.timeline
        var bases: [String] = [], deltas: [String] = []
        if try storage.exists(folder) {
            for e in try storage.list(folder) {
                // Committed: completed, or older than the earliest active instant (archived commits).
                guard let (isBase, instant) = parse(e.name), timeline.isCommitted(instant) else { continue }
                if isBase { bases.append(instant) } else { deltas.append(instant) }
            }
        }
        let base = bases.max()
        let deltaSet = Set(deltas)
        let commits = timeline.completedCommits.map(\.timestamp).filter { base == nil || $0 > base! }
        let covered = commits.allSatisfy { deltaSet.contains($0) }
        if covered {
            let baseBytes = try base.map { b throws(LakeError) in try storage.read(fileName(base: true, instant: b)) }
            var deltaFiles: [(String, [UInt8])] = []
            for d in deltas.sorted() where base == nil || d > base! {
                let name = fileName(base: false, instant: d)
                deltaFiles.append((name, try storage.read(name)))
            }
            return try RecordIndex(base: baseBytes, baseName: base.map { fileName(base: true, instant: $0) } ?? "",
                                   deltas: deltaFiles.map { (name: $0.0, bytes: $0.1) })
        }
        return nil
    }

    /// Builds the index from the record keys in the latest slice of every file group.
    static func rebuild(table: Table, view: FileSystemView) throws(LakeError) -> RecordIndex {
        let slices = view.latestSlices()
        let storage = table.storage
        let perFile = parallelMap(slices.count, parallel: true) { i -> Result<[String], LakeError> in
            let path = slices[i].path
            do throws(LakeError) {
                let reader = try ParquetReaderCache.open(storage: storage, path: path)
                var keys: [String] = []
                for g in 0..<reader.rowGroupCount {
                    let batch = try lakeParquet(path) { () throws(ParquetError) in try reader.readRowGroup(g, columns: ["_hoodie_record_key"]) }
                    guard case .byteArray(let a) = batch.columns[0].data else { continue }
                    for r in 0..<a.count { keys.append(a.string(at: r)) }
                }
                return .success(keys)
            } catch {
                return .failure(error)
            }
        }
        var index = RecordIndex()
        for (i, r) in perFile.enumerated() {
            let keys: [String]
            switch r {
            case .success(let k): keys = k
            case .failure(let e): throw e
            }
            for k in keys { index.set(k, .live(partition: slices[i].partitionPath, fileId: slices[i].fileId)) }
        }
        return index
    }

    /// Writes the index changes of commit `instant`: a delta, or a new base when compaction is due
    /// (or the index was rebuilt).
    static func persist(_ index: RecordIndex, instant: String, forceBase: Bool, storage: some TableStorage) throws(LakeError) {
        try storage.makeDirectories(folder)
        if forceBase || index.shouldCompact() {
            try storage.write(fileName(base: true, instant: instant), try index.encodedBase())
        } else {
            try storage.write(fileName(base: false, instant: instant), index.encodedDelta())
        }
    }
}

/// Runs a Parquet call and names the file in any error.
@inline(__always)
func lakeParquet<T>(_ path: String, _ body: () throws(ParquetError) -> T) throws(LakeError) -> T {
    do { return try body() } catch { throw LakeError(error, file: path) }
}

/// Opens base files for reading.
enum ParquetReaderCache {
    static func open(storage: some TableStorage, path: String) throws(LakeError) -> ParquetFileReader {
        let abs = storage.absolutePath(path)
        return try lakeParquet(path) { () throws(ParquetError) in try ParquetFileReader(path: abs) }
    }
}
