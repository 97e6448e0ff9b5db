extension Table {
    /// What ``rebuildRecordIndex()`` did.
    public struct IndexRebuildReport: Sendable, Hashable {
        /// The commit the new index base is named after (`base_<instant>.idx`); `nil` for a table
        /// without commits (nothing to rebuild).
        public var instant: String?
        /// What the index was before: `current`, `damaged: …`, `stale: …` (the reason).
        public var previousState: String
        /// Live keys, read from the latest slice of every file group.
        public var liveKeys = 0
        /// Tombstones (ordered deletes) kept from intact index files.
        public var tombstones = 0
        /// Base files read.
        public var filesRead = 0
    }

    /// Rebuilds the record index from the table's data — the `_hoodie_record_key` column of the
    /// latest slice of every file group, checked against the commit metadata first — keeping the
    /// tombstones that intact (checksum-verified) index files hold, and writes it as one base
    /// named after the latest completed commit. Earlier index files are superseded (the cleaner
    /// deletes them).
    ///
    /// Writes do this on their own when the index is missing, damaged or stale; this is the same
    /// thing on demand (`lake index rebuild`). Takes the writer lock and first finishes what a
    /// crashed writer left.
    /// - Throws: `.corruptTable` if a base file of the latest snapshot is missing or damaged (an
    ///   index built from it would be wrong); `.conflict` if another writer holds the table.
    @discardableResult
    public func rebuildRecordIndex() throws(LakeError) -> IndexRebuildReport {
        try requireWritable("rebuild the record index of")
        return try withWriterLock { () throws(LakeError) -> IndexRebuildReport in
            try rollbackFailedWrites()
            let previous: String
            do throws(LakeError) {
                switch try RecordIndexStore.status(table: self) {
                case .current: previous = "current"
                case .stale(let reason, _): previous = "stale: \(reason)"
                }
            } catch  where error.code == .corruptTable {
                previous = "damaged: \(error.message)"
            }
            var report = IndexRebuildReport(instant: nil, previousState: previous)
            guard let latest = timeline.latestCompleted else { return report }
            let view = try FileSystemView.load(storage: storage, timeline: timeline)
            let index = try RecordIndexStore.rebuild(table: self, view: view)
            try RecordIndexStore.persist(index, instant: latest.timestamp, forceBase: true, storage: storage)
            let entries = try index.allEntries()
            report.instant = latest.timestamp
            report.liveKeys = entries.values.count { if case .live = $0 { true } else { false } }
            report.tombstones = entries.count - report.liveKeys
            report.filesRead = view.latestSlices().count
            return report
        }
    }
}
