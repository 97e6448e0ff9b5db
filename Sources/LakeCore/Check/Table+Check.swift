import LakeBase
import LakeParquet

extension Table {
    /// Opens the table at `path` and checks it (``check()``), also when its `hoodie.properties`
    /// checksum is wrong — which the report then lists instead of failing.
    /// - Throws: `.notFound` if there is no table; `.corruptTable` if `hoodie.properties` is
    ///   missing or unreadable (nothing else can be checked without it).
    public static func check(at path: String) throws(LakeError) -> CheckReport {
        try open(path, validatingChecksum: false).check()
    }

    /// Verifies the table against its own records, reading everything, changing nothing:
    ///
    /// 1. `hoodie.properties`: `hoodie.table.checksum` is the CRC-32 of `<database>.<table>`.
    /// 2. The metadata of every completed commit parses — on the active timeline and the
    ///    commit files lake archived to `.hoodie/archived/` (Java's Avro archive is skipped).
    /// 3. Every base file a readable snapshot needs — the latest, and as of every commit at or
    ///    after the earliest readable instant and every savepoint — exists, is the size its write
    ///    stat says, opens as Parquet and holds the stat's `numWrites` rows; no visible file is
    ///    named with a commit that did not write it (``WrittenSlices``).
    /// 4. The latest snapshot holds each record key once, and the record index agrees with it:
    ///    every key is indexed to the file group holding it, every live index entry names a
    ///    group that holds its key, and the index files' checksums are intact.
    ///
    /// - Returns: every problem found; ``CheckReport/isClean`` when there is none.
    /// - Throws: `.io` if storage cannot be listed or read; problems in the table's own files are
    ///   reported, not thrown.
    public func check() throws(LakeError) -> CheckReport {
        var report = CheckReport(table: path)
        checkProperties(&report)
        let written = try checkCommitMetadata(&report)
        let view: FileSystemView
        do throws(LakeError) {
            view = try FileSystemView.load(storage: storage, timeline: timeline)
        } catch  where error.code == .corruptTable {
            report.add(.listing, "", error.message)
            report.sort()
            return report
        }
        try checkSnapshots(&report, written: written, view: view)
        try checkKeys(&report, view: view)
        report.sort()
        return report
    }

    private func checkProperties(_ report: inout CheckReport) {
        do throws(LakeError) {
            try HoodieProperties(bytes: storage.read(HoodieProperties.path)).validateChecksum()
        } catch {
            report.add(.propertiesChecksum, HoodieProperties.path, error.message)
        }
    }

    /// Reads every completed commit's metadata, archived ones included.
    private func checkCommitMetadata(_ report: inout CheckReport) throws(LakeError) -> WrittenSlices {
        var commits: [CommitWrites] = []
        for c in timeline.completedCommits {
            let path = Timeline.path(of: c)
            do throws(LakeError) {
                commits.append(try CommitWrites(instant: c.timestamp, json: try storage.read(path), source: path))
                // The full decode as well: what the writers and Java readers use.
                _ = try commitMetadata(c)
            } catch {
                report.add(.commitMetadata, path, error.message)
            }
        }
        let archive = Timeline.metaFolder + "/" + config.archiveLogFolder
        if !config.archiveLogFolder.isEmpty, try storage.exists(archive) {
            for e in try storage.list(archive) where !e.isDirectory {
                guard let i = Instant(fileName: e.name), i.state == .completed, i.action.isWrite,
                    let bytes = try? storage.read(e.path),
                    let c = try? CommitWrites(instant: i.timestamp, json: bytes, source: e.path)
                else { continue }
                commits.append(c)
            }
        }
        report.commitsChecked = commits.count
        return WrittenSlices(commits)
    }

    /// The readable snapshots' files: present, right size, open as Parquet, right row count.
    private func checkSnapshots(
        _ report: inout CheckReport, written: WrittenSlices,
        view: FileSystemView
    ) throws(LakeError) {
        var instants: [String?] = [nil]
        let earliest = try earliestReadableInstant().map(Instant.normalize)
        let savepoints = Set(savepointedCommits.map(Instant.normalize))
        // The latest snapshot first (so a problem is reported for it), then every older readable one.
        for c in timeline.completedCommits.dropLast()
        where earliest.map({ c.normalizedTimestamp >= $0 }) ?? true
            || savepoints.contains(c.normalizedTimestamp)
        {
            instants.append(c.timestamp)
        }
        report.snapshotsChecked = instants.count
        // Every file a readable snapshot reads, with the write stat that produced it (if known).
        var toOpen: [String: (slice: FileSlice, write: CommitWrites.Write?)] = [:]
        for asOf in instants {
            let slices = view.latestSlices(asOf: asOf)
            let expected = written.expected(asOf: asOf)
            var broken = Set<String>()
            for m in written.mismatches(slices, asOf: asOf) {
                let kind: CheckReport.Kind =
                    switch m.kind {
                    case .missing: .missingFile
                    case .size: .sizeMismatch
                    case .unexpected: .unexpectedFile
                    }
                let reading = asOf.map { "; a read as of \($0) needs it" } ?? "; the latest snapshot needs it"
                report.add(kind, m.path, "\(m.path) \(m.what)\(m.kind == .unexpected ? "" : reading)")
                broken.insert(m.path)
            }
            for s in slices where !broken.contains(s.path) && toOpen[s.path] == nil {
                let w = expected[s.fileGroupID].flatMap { $0.path == s.path ? $0.write : nil }
                toOpen[s.path] = (s, w)
            }
        }
        let files = toOpen.values.sorted { $0.slice.path < $1.slice.path }
        let storageRef = storage
        let opened = parallelMap(files.count, parallel: true) { i -> Result<Int, LakeError> in
            Result { () throws(LakeError) in
                try ParquetReaderCache.open(storage: storageRef, path: files[i].slice.path).rowCount
            }
        }
        for (f, r) in zip(files, opened) {
            switch r {
            case .success(let rows):
                report.filesChecked += 1
                report.bytesChecked += f.slice.size
                if let w = f.write, Int64(rows) != w.records {
                    report.add(
                        .rowCountMismatch, f.slice.path,
                        "\(f.slice.path) holds \(rows) rows but its write stat says numWrites=\(w.records)")
                }
            case .failure(let e):
                report.add(.unreadableFile, f.slice.path, e.message)
            }
        }
    }

    /// The latest snapshot's record keys: each once, and indexed to the group that holds it.
    private func checkKeys(_ report: inout CheckReport, view: FileSystemView) throws(LakeError) {
        let slices = view.latestSlices()
        let storageRef = storage
        let keysPerSlice = parallelMap(slices.count, parallel: true) { i -> Result<[String], LakeError> in
            Result { () throws(LakeError) in try Self.recordKeys(of: slices[i], storage: storageRef) }
        }
        var holder: [String: Int] = [:]
        for (i, r) in keysPerSlice.enumerated() {
            guard case .success(let keys) = r else { continue }  // reported as unreadable already
            report.keysChecked += keys.count
            for k in keys {
                if let j = holder.updateValue(i, forKey: k) {
                    let where2 = j == i ? "twice in \(slices[i].path)" : "in \(slices[j].path) and \(slices[i].path)"
                    report.add(.duplicateKey, k, "record key '\(k)' is \(where2)")
                }
            }
        }
        let index: RecordIndex
        do throws(LakeError) {
            switch try RecordIndexStore.status(table: self) {
            case .current(let i): index = i
            case .stale(let reason, let indexFileMissing):
                if indexFileMissing {
                    report.indexStatus = "missing"
                    report.add(
                        .indexMissing, RecordIndexStore.folder,
                        "record index: \(reason); the next write rebuilds it")
                } else {
                    report.indexStatus = "stale (\(reason))"
                }
                return
            }
        } catch  where error.code == .corruptTable {
            report.indexStatus = "damaged"
            report.add(.indexDamaged, RecordIndexStore.folder, "\(error.message); the next write rebuilds it")
            return
        }
        let entries: [String: IndexEntry]
        do throws(LakeError) { entries = try index.allEntries() } catch {
            report.indexStatus = "damaged"
            report.add(.indexDamaged, RecordIndexStore.folder, error.message)
            return
        }
        report.indexEntries = entries.count
        for (k, i) in holder {
            let group = slices[i].fileGroupID
            switch entries[k] {
            case .live(let p, let f)? where p == group.partitionPath && f == group.fileId:
                continue
            case .live(let p, let f)?:
                report.add(
                    .indexMismatch, k,
                    "record key '\(k)' is in file group \(group) but the index says "
                        + "\(FileGroupID(partitionPath: p, fileId: f))")
            case .deleted?:
                report.add(
                    .indexMismatch, k,
                    "record key '\(k)' is in file group \(group) but the index says it was deleted")
            case nil:
                report.add(.indexMismatch, k, "record key '\(k)' is in file group \(group) but is not in the index")
            }
        }
        for (k, e) in entries where holder[k] == nil {
            if case .live(let p, let f) = e {
                report.add(
                    .indexMismatch, k,
                    "the index says record key '\(k)' is in file group "
                        + "\(FileGroupID(partitionPath: p, fileId: f)), which does not hold it")
            }
        }
    }

    /// The `_hoodie_record_key` values of a slice, in file order.
    static func recordKeys(of slice: FileSlice, storage: some TableStorage) throws(LakeError) -> [String] {
        let reader = try ParquetReaderCache.open(storage: storage, path: slice.path)
        var keys: [String] = []
        keys.reserveCapacity(reader.rowCount)
        for g in 0..<reader.rowGroupCount {
            let batch = try lakeParquet(slice.path) { () throws(ParquetError) in
                try reader.readRowGroup(g, columns: [TableSchema.metaColumns[2]])
            }
            guard case .byteArray(let a) = batch.columns[0].data else { continue }
            for r in 0..<a.count { keys.append(a.string(at: r)) }
        }
        return keys
    }
}
