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
        /// Why it was rebuilt (`nil` when it was loaded).
        var reason: String?
    }

    /// Whether the index files cover a timeline.
    enum Status {
        /// The index valid for the timeline, every file's checksum verified.
        case current(RecordIndex)
        /// The files do not cover every completed commit; the reason names the first one.
        /// `indexFileMissing`: that commit was lake's, so its index file went missing (damage),
        /// rather than another engine's commit (normal).
        case stale(reason: String, indexFileMissing: Bool)
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

    /// Loads the index valid for the table's timeline, rebuilding it when it is stale, missing or
    /// damaged — never using a damaged file — from the latest snapshot's base files (every
    /// partition listed, only then; checked against the commit metadata). A rebuild is reported
    /// through ``Table/noticeHandler``.
    static func load(table: Table) throws(LakeError) -> Loaded {
        let reason: String
        do throws(LakeError) {
            switch try status(table: table) {
            case .current(let index): return Loaded(index: index, rebuilt: false)
            case .stale(let why, _): reason = why
            }
        } catch  where error.code == .corruptTable {
            reason = error.message
        }
        let view = try FileSystemView.load(storage: table.storage, timeline: table.timeline, partitions: .all)
        let index = try rebuild(table: table, view: view)
        let entries = index.baseEntryCount + index.changeCount
        table.notice(.indexRebuilt, "record index rebuilt from the base files (\(entries) entries): \(reason)")
        return Loaded(index: index, rebuilt: true, reason: reason)
    }

    /// The index valid for the table's timeline when its files cover every completed commit,
    /// else `nil` (a reader then scans instead of rebuilding it). A damaged index file is
    /// reported through ``Table/noticeHandler`` and also gives `nil`: a reader never trusts it.
    static func loadIfCurrent(table: Table) throws(LakeError) -> RecordIndex? {
        do throws(LakeError) {
            if case .current(let index) = try status(table: table) { return index }
            return nil
        } catch  where error.code == .corruptTable {
            table.notice(
                .indexIgnored,
                "record index not used: \(error.message); "
                    + "the next write rebuilds it (or run 'lake index rebuild')")
            return nil
        }
    }

    /// The committed index files: completed, or older than the earliest active instant
    /// (archived commits).
    static func committedFiles(table: Table) throws(LakeError) -> (bases: [String], deltas: [String]) {
        var bases: [String] = [], deltas: [String] = []
        guard try table.storage.exists(folder) else { return ([], []) }
        for e in try table.storage.list(folder) {
            guard let (isBase, instant) = parse(e.name), table.timeline.isCommitted(instant) else { continue }
            if isBase { bases.append(instant) } else { deltas.append(instant) }
        }
        return (bases.sorted(), deltas.sorted())
    }

    /// Reads the index files that cover the table's timeline — the newest committed base and every
    /// committed delta after it — verifying each file's checksum.
    /// - Throws: `.corruptTable` naming a damaged file.
    static func status(table: Table) throws(LakeError) -> Status {
        let storage = table.storage
        let (bases, deltas) = try committedFiles(table: table)
        let base = bases.last
        let deltaSet = Set(deltas)
        let commits = table.timeline.completedCommits.filter {
            base == nil || $0.normalizedTimestamp > Instant.normalize(base!)
        }
        if let uncovered = commits.first(where: { !deltaSet.contains($0.timestamp) }) {
            let byLake = (try? table.commitMetadata(uncovered))?.extraMetadata["lake.index"] != nil
            let reason =
                byLake
                ? "the index file of commit \(uncovered.timestamp) is missing "
                    + "(\(fileName(base: false, instant: uncovered.timestamp)) or a base)"
                : "commit \(uncovered.timestamp) was written by another engine (it has no lake index file)"
            return .stale(reason: reason, indexFileMissing: byLake)
        }
        let baseBytes = try base.map { b throws(LakeError) in try storage.read(fileName(base: true, instant: b)) }
        var deltaFiles: [(name: String, bytes: [UInt8])] = []
        for d in deltas where base == nil || d > base! {
            let name = fileName(base: false, instant: d)
            deltaFiles.append((name, try storage.read(name)))
        }
        return .current(
            try RecordIndex(
                base: baseBytes, baseName: base.map { fileName(base: true, instant: $0) } ?? "",
                deltas: deltaFiles))
    }

    /// Builds the index from the record keys in the latest slice of every file group (checked
    /// against the commit metadata first), plus the tombstones that intact index files hold
    /// (``salvagedTombstones(table:)``) for keys no slice holds.
    static func rebuild(table: Table, view: FileSystemView) throws(LakeError) -> RecordIndex {
        let slices = try table.verifiedSlices(view, asOf: nil)
        let tombstones = salvagedTombstones(table: table)
        let storage = table.storage
        let perFile = parallelMap(slices.count, parallel: true) { i -> Result<[String], LakeError> in
            Result { () throws(LakeError) in try Table.recordKeys(of: slices[i], storage: storage) }
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
        for (k, o) in tombstones.sorted(by: { $0.key < $1.key }) where index.lookup(k) == nil {
            index.set(k, .deleted(ordering: o))
        }
        return index
    }

    /// The tombstones (ordered deletes) recorded by the committed index files whose checksum is
    /// intact, replayed in commit order — a later live entry clears a key's tombstone. The data
    /// files cannot tell which keys were deleted, so this is all a rebuild can keep of them; a
    /// tombstone only a damaged file held is lost (an older change of that key arriving later
    /// is then applied). Damaged files are skipped; files without a checksum (version 1) are used
    /// when they decode, as the index used them until now.
    static func salvagedTombstones(table: Table) -> [String: OrderingValue] {
        guard let (bases, deltas) = try? committedFiles(table: table) else { return [:] }
        let files = (bases.map { ($0, true) } + deltas.map { ($0, false) })
            .sorted { ($0.0, $0.1 ? 0 : 1) < ($1.0, $1.1 ? 0 : 1) }
        var tombstones: [String: OrderingValue] = [:]
        for (instant, isBase) in files {
            let name = fileName(base: isBase, instant: instant)
            guard let bytes = try? table.storage.read(name),
                (try? IndexFileFormat.verify(bytes, kind: isBase ? .base : .delta, name: name)) != nil,
                let index = try?
                    (isBase
                    ? RecordIndex(base: bytes, baseName: name, deltas: [])
                    : RecordIndex(base: nil, deltas: [(name, bytes)])),
                let entries = try? index.allEntries()
            else { continue }
            for (k, e) in entries {
                switch e {
                case .deleted(let o): tombstones[k] = o
                case .live: tombstones[k] = nil
                }
            }
        }
        return tombstones
    }

    /// Writes the index changes of commit `instant`: a delta, or a new base when compaction is due
    /// (or the index was rebuilt).
    /// - Returns: whether a base was written.
    @discardableResult
    static func persist(
        _ index: RecordIndex, instant: String, forceBase: Bool, storage: some TableStorage
    ) throws(LakeError) -> Bool {
        try storage.makeDirectories(folder)
        if forceBase || index.shouldCompact() {
            try storage.write(fileName(base: true, instant: instant), try index.encodedBase())
            return true
        } else {
            try storage.write(fileName(base: false, instant: instant), index.encodedDelta())
            return false
        }
    }
}

/// Runs a Parquet call and names the file in any error.
@inline(__always)
func lakeParquet<T>(_ path: String, _ body: () throws(ParquetError) -> T) throws(LakeError) -> T {
    do { return try body() } catch { throw LakeError(error, file: path) }
}

/// Opens base files for reading, through the storage (ranged reads; footer first).
enum ParquetReaderCache {
    static func open(storage: some TableStorage, path: String) throws(LakeError) -> ParquetFileReader {
        let source = StorageParquetSource(reader: try storage.makeReader(path))
        return try lakeParquet(path) { () throws(ParquetError) in try ParquetFileReader(source: source) }
    }
}
