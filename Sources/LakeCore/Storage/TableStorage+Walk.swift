import LakeBase

extension TableStorage {
    /// The files below `dir`, found by listing directory by directory, level by level (each
    /// level's directories listed on both cores): one ``list(_:)`` per directory visited, the
    /// only way down an object store. `descend` decides, per directory, whether to go into it;
    /// `dir` itself is always listed. A `dir` that does not exist gives `[]`, as do directories
    /// that vanish meanwhile.
    ///
    /// For whole-table walks where nothing narrower is known (a table written before write
    /// markers, savepoint checks); table code lists the partitions it needs instead.
    /// - Parameter maxDepth: levels below `dir` to visit at most (guards against symbolic-link
    ///   loops on local storage).
    func walkFiles(
        under dir: String, maxDepth: Int = 32,
        descend: @Sendable (StorageEntry) -> Bool = { _ in true }
    ) throws(LakeError) -> [StorageEntry] {
        var files: [StorageEntry] = []
        var level = [dir]
        var depth = 0
        while !level.isEmpty {
            let dirs = level
            let listed = try parallelMap(dirs.count, parallel: dirs.count > 1) { i throws(LakeError) in
                do throws(LakeError) {
                    return try list(dirs[i])
                } catch  where error.code == .notFound {
                    return []
                }
            }
            level = []
            for entries in listed {
                for e in entries {
                    if !e.isDirectory {
                        files.append(e)
                    } else if depth < maxDepth && descend(e) {
                        level.append(e.path)
                    }
                }
            }
            depth += 1
        }
        return files
    }
}
