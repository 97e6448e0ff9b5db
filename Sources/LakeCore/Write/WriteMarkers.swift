/// Hudi's direct write markers for one write instant: before a writer creates a data file it
/// creates the empty file `.hoodie/.temp/<instant>/<partitionPath>/<fileName>.marker.<IOType>`
/// (`CREATE` for a new file group, `MERGE` for a rewrite of an existing one), as Java Hudi's
/// `DirectWriteMarkers` does. So a rollback of the failed write learns every data file it may
/// have written — and the partitions to look in for leftovers — without listing the table.
/// Markers are deleted when the instant completes or is rolled back. Java's marker-based
/// rollback reads the same markers; hudi-rs and Java's timeline ignore `.hoodie/.temp`.
///
/// Markers are written without waiting for durability (``TableStorage/write(_:_:durable:)``):
/// the inflight instant file, written durably before any marker, names the partitions the write
/// touches, so a marker lost to a power failure still leaves its partition known.
struct WriteMarkers {
    /// Where markers live, under the metadata folder.
    static let folder = Timeline.metaFolder + "/.temp"
    /// Between a data file's name and the I/O type (Java `HoodieTableMetaClient.MARKER_EXTN`).
    static let markerExtension = ".marker."

    /// How the data file was written (Java `IOType`).
    enum IOType: String, Sendable {
        /// A new file group's first base file.
        case create = "CREATE"
        /// A new base file of an existing file group.
        case merge = "MERGE"

        /// The type of the file a write stat names: `CREATE` if it has no previous slice.
        static func of(_ stat: HoodieWriteStat) -> IOType {
            stat.previousInstant == nil ? .create : .merge
        }
    }

    let storage: any TableStorage
    /// The write instant.
    let instant: String

    /// `.hoodie/.temp/<instant>`.
    var directory: String { Self.folder + "/" + instant }

    /// The marker of data file `dataFile` (table-relative).
    func markerPath(for dataFile: String, type: IOType) -> String {
        StoragePath.join(directory, StoragePath.parent(dataFile),
                         StoragePath.fileName(dataFile) + Self.markerExtension + type.rawValue)
    }

    /// The data file a marker names (table-relative), or nil if `markerPath` is no marker of
    /// this instant (a leftover temporary file, say).
    func dataFile(ofMarker markerPath: String) -> String? {
        let prefix = directory + "/"
        guard markerPath.hasPrefix(prefix) else { return nil }
        let rest = String(markerPath.dropFirst(prefix.count))
        let name = Array(StoragePath.fileName(rest).utf8)
        let ext = Array(Self.markerExtension.utf8)
        guard name.first != UInt8(ascii: "."), name.count > ext.count else { return nil }
        // The last ".marker." (a data file name holds none).
        var i = name.count - ext.count
        while i > 0 && !name[i..<(i + ext.count)].elementsEqual(ext) { i -= 1 }
        guard i > 0 else { return nil }
        return StoragePath.join(StoragePath.parent(rest), String(decoding: name[..<i], as: UTF8.self))
    }

    /// Records that `dataFile` is about to be written. Returns the marker's path.
    @discardableResult
    func create(for dataFile: String, type: IOType) throws(LakeError) -> String {
        let path = markerPath(for: dataFile, type: type)
        try storage.write(path, [], durable: false)
        return path
    }

    /// Every marker file of the instant (walking its marker directory level by level), and
    /// whatever else is stored there (leftovers of unfinished marker writes).
    func listAll() throws(LakeError) -> [StorageEntry] {
        try storage.walkFiles(under: directory)
    }

    /// The data files the markers name, sorted; empty if the instant has no markers.
    func dataFiles(in listing: [StorageEntry]) -> [String] {
        listing.compactMap { dataFile(ofMarker: $0.path) }.sorted()
    }

    /// Deletes the markers at `paths` — this writer's own, when it completes — or, if nil, every
    /// file under the instant's marker directory and what unfinished marker writes left there;
    /// then the directories left empty, up to the instant's directory.
    func delete(_ paths: [String]? = nil) throws(LakeError) {
        let files: [String]
        if let paths { files = paths } else { files = try listAll().map(\.path) }
        var dirs: Set<String> = [directory]
        for f in files {
            try storage.delete(f)
            var d = StoragePath.parent(f)
            while d.count >= directory.count, d.hasPrefix(directory) {
                dirs.insert(d)
                d = StoragePath.parent(d)
            }
        }
        if paths == nil {
            for d in dirs { try storage.discardIncompleteWrites(in: d, startedBefore: nil) }
        }
        // Deepest first, so parents are empty when their turn comes.
        for d in dirs.sorted(by: { $0.count > $1.count }) {
            _ = try storage.deleteDirectoryIfEmpty(d)
        }
    }
}
