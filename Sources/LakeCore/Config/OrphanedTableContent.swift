/// What a directory holds of a table when its `.hoodie/hoodie.properties` is missing: instant
/// files, record index files, base files. With any of them the directory is a damaged table,
/// not an empty place — ``Table/create(at:config:schema:)`` refuses to start a new table over
/// it and ``Table/open(_:)`` reports it as damaged, both saying how to recover.
struct OrphanedTableContent: Sendable, Hashable {
    /// Instant files in `.hoodie/`.
    var instantFiles = 0
    /// The newest completed write instant among them.
    var latestCommit: String?
    /// Base files (`*.parquet` outside `.hoodie/`).
    var baseFiles = 0
    /// Whether `.hoodie/lake/` holds record index files.
    var indexFiles = false
    /// Whether `.hoodie/hoodie.properties.backup` exists.
    var backup = false

    /// Looks for table content under `storage`'s root; `nil` if there is none (an empty or
    /// missing directory, or one holding only an empty `.hoodie/`).
    static func find(in storage: some TableStorage) throws(LakeError) -> OrphanedTableContent? {
        guard try storage.exists("") else { return nil }
        var found = OrphanedTableContent()
        if try storage.exists(Timeline.metaFolder) {
            let timeline = try Timeline.load(from: storage)
            found.instantFiles = timeline.instants.count
            found.latestCommit = timeline.latestCompleted?.timestamp
            found.backup = try storage.exists(HoodieProperties.backupPath)
            found.indexFiles = try storage.exists(RecordIndexStore.folder)
        }
        for e in try FileSystemView.listFiles(storage: storage, .all)
        where e.name.hasSuffix(".parquet") && !e.name.hasPrefix(".") {
            found.baseFiles += 1
        }
        guard found.instantFiles > 0 || found.baseFiles > 0 || found.indexFiles || found.backup else { return nil }
        return found
    }

    /// The error for the table at `path`: what is there, and how to get `hoodie.properties` back.
    /// - Parameter creating: whether a create was attempted (it is refused).
    func error(path: String, creating: Bool) -> LakeError {
        var held: [String] = []
        if instantFiles > 0 {
            let latest = latestCommit.map { ", latest commit \($0)" } ?? ""
            held.append("a timeline of \(instantFiles) instant file(s)\(latest)")
        }
        if baseFiles > 0 { held.append("\(baseFiles) base file(s)") }
        if indexFiles { held.append("a record index") }
        let what = held.isEmpty ? "" : " but the table holds " + held.joined(separator: ", ")
        let refusal = creating ? "; refusing to create a new table over it" : ""
        let recovery =
            backup
            ? "restore it from Hudi's backup: cp \(path)/\(HoodieProperties.backupPath) "
                + "\(path)/\(HoodieProperties.path)"
            : """
            restore it from a backup of the table; or recreate it: run 'lake create' with the table's original \
            options (--key, --precombine, --partition-by, --name, --set …) on an empty directory and copy its \
            \(HoodieProperties.path) to \(path)/\(HoodieProperties.path)
            """
        return LakeError(
            .corruptTable,
            "\(path): \(HoodieProperties.path) is missing\(what)\(refusal). To recover, \(recovery)")
    }
}
