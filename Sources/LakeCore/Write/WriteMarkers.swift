/// Hudi's write markers for one write instant: before a writer creates any data file, it records
/// every data file it is about to create, so a rollback of the failed write learns them — and the
/// partitions to look in for leftovers — without listing the table. Markers are deleted when the
/// instant completes or is rolled back.
///
/// Layout: Hudi's marker directory `.hoodie/.temp/<instant>/` holding `MARKERS.type` (the text
/// `TIMELINE_SERVER_BASED`) and `MARKERS0`, one marker name per line:
/// `<partitionPath>/<fileName>.marker.<IOType>` (`CREATE` for a new file group, `MERGE` for a
/// new slice of an existing one) — exactly what Java Hudi's timeline-server-based markers leave
/// on storage, so Java's marker-based rollback (`MarkerUtils.readTimelineServerBasedMarkersFromFileSystem`)
/// reads them; hudi-rs and Java's timeline ignore `.hoodie/.temp`. lake writes the file itself
/// (no timeline server): one write of two small files per commit, where Hudi's direct markers
/// (`<instant>/<partitionPath>/<fileName>.marker.<IOType>`, one empty file each) would create and
/// later remove a file and a directory per partition — on a local file system mounted with
/// `discard` each removed directory costs milliseconds, on an object store each file is a
/// request. Direct markers another writer left are read as well.
struct WriteMarkers {
    /// Where marker directories live, under the metadata folder.
    static let folder = Timeline.metaFolder + "/.temp"
    /// Between a data file's name and the I/O type (Java `HoodieTableMetaClient.MARKER_EXTN`).
    static let markerExtension = ".marker."
    /// The file naming the marker type (Java `MarkerUtils.MARKER_TYPE_FILENAME`).
    static let typeFileName = "MARKERS.type"
    /// Its content (Java `MarkerType.TIMELINE_SERVER_BASED`).
    static let typeName = "TIMELINE_SERVER_BASED"
    /// The file of marker names lake writes (Java `MarkerUtils.MARKERS_FILENAME_PREFIX` + index).
    static let markersFileName = "MARKERS0"

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

    /// The marker name of data file `dataFile` (table-relative): `<dataFile>.marker.<type>`.
    static func markerName(for dataFile: String, type: IOType) -> String {
        dataFile + markerExtension + type.rawValue
    }

    /// The data file a marker name (relative to the marker directory) stands for, or nil if it is
    /// no marker name.
    static func dataFile(ofMarker name: String) -> String? {
        let bytes = Array(name.utf8)
        let ext = Array(markerExtension.utf8)
        guard !StoragePath.fileName(name).hasPrefix("."), bytes.count > ext.count else { return nil }
        // The last ".marker." (a data file name holds none).
        var i = bytes.count - ext.count
        while i > 0 && !bytes[i..<(i + ext.count)].elementsEqual(ext) { i -= 1 }
        guard i > 0 else { return nil }
        return String(decoding: bytes[..<i], as: UTF8.self)
    }

    /// Records the data files the write is about to create (before any of them exists), durably.
    func create(_ files: [(path: String, type: IOType)]) throws(LakeError) {
        guard !files.isEmpty else { return }
        var text = ""
        for f in files { text += Self.markerName(for: f.path, type: f.type) + "\n" }
        try storage.write(directory + "/" + Self.typeFileName, Array(Self.typeName.utf8))
        try storage.write(directory + "/" + Self.markersFileName, Array(text.utf8))
    }

    /// What is stored under the instant's marker directory (none if it does not exist).
    func listAll() throws(LakeError) -> [StorageEntry] {
        try storage.walkFiles(under: directory)
    }

    /// The data files the markers in `listing` (``listAll()``) name, sorted: the lines of
    /// `MARKERS<n>` files, and direct markers (`<partitionPath>/<fileName>.marker.<type>` files).
    func dataFiles(in listing: [StorageEntry]) throws(LakeError) -> [String] {
        var out = Set<String>()
        let prefix = directory + "/"
        for e in listing where e.path.hasPrefix(prefix) {
            let relative = String(e.path.dropFirst(prefix.count))
            if e.name.hasPrefix("MARKERS") && !relative.contains("/") {
                guard e.name != Self.typeFileName else { continue }
                let bytes: [UInt8]
                do throws(LakeError) {
                    bytes = try storage.read(e.path)
                } catch  where error.code == .notFound {
                    continue
                }
                for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
                    if let f = Self.dataFile(ofMarker: String(line)) { out.insert(f) }
                }
            } else if let f = Self.dataFile(ofMarker: relative) {
                out.insert(f)
            }
        }
        return out.sorted()
    }

    /// Deletes the instant's markers: everything stored under its marker directory (what
    /// unfinished writes left there included), then the directories left empty, up to the
    /// instant's directory.
    func delete() throws(LakeError) {
        let files = try listAll().map(\.path)
        var dirs: Set<String> = [directory]
        for f in files {
            try storage.delete(f)
            var d = StoragePath.parent(f)
            while d.count > directory.count, d.hasPrefix(directory + "/") {
                dirs.insert(d)
                d = StoragePath.parent(d)
            }
        }
        for d in dirs { try storage.discardIncompleteWrites(in: d, startedBefore: nil) }
        // Deepest first, so parents are empty when their turn comes.
        for d in dirs.sorted(by: { $0.count > $1.count }) {
            _ = try storage.deleteDirectoryIfEmpty(d)
        }
    }

    /// Deletes the markers this writer created with ``create(_:)`` (when its instant completed):
    /// the two files and the instant's directory, without listing it.
    func deleteCreated() throws(LakeError) {
        try storage.delete(directory + "/" + Self.markersFileName)
        try storage.delete(directory + "/" + Self.typeFileName)
        _ = try storage.deleteDirectoryIfEmpty(directory)
    }
}
