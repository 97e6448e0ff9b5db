extension Table {
    /// Rolls back every pending (failed) write: its data files first, then its index files, then
    /// its instant files — so no reader ever sees a partial write, and a crash during the
    /// rollback leaves it resumable. Call with the writer lock held.
    func rollbackFailedWrites() throws(LakeError) {
        let pending = timeline.pendingInstants.filter { $0.action == .commit || $0.action == .replacecommit || $0.action == .deltacommit }
        guard !pending.isEmpty else { return }
        let stamps = Set(pending.map(\.timestamp))
        for entry in try storage.listFilesRecursively("") where !entry.isDirectory {
            if entry.path.hasPrefix(Timeline.metaFolder + "/") { continue }
            if let b = BaseFile.parse(entry.name), stamps.contains(b.instantTime) {
                _ = try storage.delete(entry.path)
            }
        }
        if try storage.exists(RecordIndexStore.folder) {
            for e in try storage.list(RecordIndexStore.folder) {
                if let (_, t) = RecordIndexStore.parse(e.name), stamps.contains(t) {
                    _ = try storage.delete(RecordIndexStore.folder + "/" + e.name)
                }
            }
        }
        // Instant files last, most advanced state first.
        for i in timeline.instants.filter({ stamps.contains($0.timestamp) }).sorted(by: { $0.state > $1.state }) {
            _ = try storage.delete(Timeline.path(of: i))
        }
        timeline = try Timeline.load(from: storage)
    }
}
