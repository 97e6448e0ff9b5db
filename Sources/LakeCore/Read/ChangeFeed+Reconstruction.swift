import LakeParquet

extension Table {
    /// Every change to the table's records made by the commits in `window`: inserts, updates
    /// and deletes, each with the record before and after (``ChangeFeed``). Hudi's incremental
    /// query cannot show deletes or before-images; this can.
    ///
    /// The feed is reconstructed from the timeline's file slices, commit by commit. For a commit
    /// `C`, each file group it wrote (its write stats) is compared by record key with the
    /// group's previous version (the stat's `prevCommit`), and each group it replaced
    /// (insert overwrite, delete partition) with the version live before `C`:
    /// * a key `C` wrote (`_hoodie_commit_time` = `C`) that was in one of those previous
    ///   versions is an **update** (also when it moved partition in `C`), with that version as
    ///   its before-image; otherwise it is an **insert**;
    /// * a key in a previous version that is in none of `C`'s new versions is a **delete**.
    /// Keys carried over unchanged are not changes. The result equals comparing the table
    /// snapshots as of `C`'s predecessor and as of `C`.
    ///
    /// `options.columns` chooses the data columns of the `before`/`after` structs (default
    /// all); `options.includeMetaColumns` adds the five `_hoodie_*` columns to them;
    /// `options.predicate` keeps the changes whose before- **or** after-image matches it.
    /// `options.asOf` must be `nil`.
    /// - Throws: `.invalidArgument` for a bound that is not a time, `since` after `until`, an
    ///   `asOf`, unknown columns, or no columns at all; `.outsideRetention` if `since` is before
    ///   the earliest readable instant (the message names it); `.corruptTable` if a file version
    ///   a retained commit wrote is missing.
    public func changes(_ window: ReadWindow, options: ReadOptions = .init()) throws(LakeError) -> ChangeFeed {
        // One snapshot for the whole read, whatever another thread's write does meanwhile.
        if !isPinned { return try snapshot().changes(window, options: options) }
        if config.tableType == .mergeOnRead {
            throw LakeError(
                .unsupported,
                "the change feed of merge-on-read table \(config.name) is not read by lake yet "
                    + "(use an incremental read: lake query --since)")
        }
        if let a = options.asOf {
            throw LakeError(
                .invalidArgument, "changes \(window) cannot also be as of \(a); use until to end the window")
        }
        guard let schema else {
            _ = try resolve(window, what: "changes")
            return ChangeFeed(schema: ChangeFeed.schema(recordFields: []), batches: [], commits: [])
        }
        let columns = try ReadColumns(options, schema: schema)
        let metaFields = TableSchema.metaColumns.map { ParquetField.string($0, nullable: true) }
        let recordFields =
            (options.includeMetaColumns ? metaFields : []) + columns.targetFields.prefix(columns.output.count)
        guard !recordFields.isEmpty else {
            throw LakeError(.invalidArgument, "changes need at least one column (or the meta columns)")
        }
        let resolved = try resolve(window, what: "changes")
        let feedSchema = ChangeFeed.schema(recordFields: recordFields)
        guard !resolved.commits.isEmpty else {
            return ChangeFeed(schema: feedSchema, batches: [], commits: [])
        }
        // Read every column the output or the predicate needs, unfiltered: keys must be matched
        // on whole file versions.
        let readColumns = try ReadColumns(ReadOptions(columns: columns.targetFields.map(\.name)), schema: schema)
        // Only the partitions the window's commits wrote or replaced in.
        var metadata: [HoodieCommitMetadata] = []
        var partitions = Set<String>()
        for c in resolved.commits {
            let m = try commitMetadata(c)
            partitions.formUnion(m.partitionToWriteStats.keys)
            for id in m.replacedFileGroups { partitions.insert(id.partitionPath) }
            metadata.append(m)
        }
        let view = try FileSystemView.load(storage: storage, timeline: timeline, partitions: .only(partitions))
        var batches: [RecordBatch] = []
        for (i, c) in resolved.commits.enumerated() {
            let versions = try ChangeFeed.Versions(of: c, metadata: metadata[i], view: view)
            let plan = ReadPlan(
                instant: c.timestamp, slices: versions.after + versions.before.map(\.slice),
                columns: readColumns, includeMetaColumns: true, predicate: nil)
            let read = try readSliceBatches(plan)
            var diff = ChangeFeed.Diff(commit: c.timestamp)
            diff.compare(
                after: Array(read.prefix(versions.after.count)),
                before: Array(read.dropFirst(versions.after.count)), beforeGroups: versions.before.map(\.touchedIndex))
            if let p = options.predicate { try diff.filter(by: p) }
            if let b = diff.batch(schema: feedSchema, recordFields: recordFields) { batches.append(b) }
        }
        return ChangeFeed(schema: feedSchema, batches: batches, commits: resolved.commits.map(\.timestamp))
    }

    /// ``changes(_:options:)`` for the window `(since, until]`.
    public func changes(
        since: String?, until: String? = nil, options: ReadOptions = .init()
    ) throws(LakeError) -> ChangeFeed {
        try changes(ReadWindow(since: since, until: until), options: options)
    }
}

extension ChangeFeed {
    /// The file versions one commit's changes are computed from.
    struct Versions {
        /// The versions the commit wrote, one per touched file group.
        var after: [FileSlice] = []
        /// The versions before the commit: of each touched group that existed (with the index of
        /// its new version in ``after``), and of each replaced group (`touchedIndex` nil).
        var before: [(slice: FileSlice, touchedIndex: Int?)] = []

        /// - Throws: `.corruptTable` if a version the commit metadata names is not in the view.
        init(of commit: Instant, metadata: HoodieCommitMetadata, view: FileSystemView) throws(LakeError) {
            let t = commit.normalizedTimestamp
            for partition in metadata.partitionToWriteStats.keys.sorted() {
                for stat in metadata.partitionToWriteStats[partition]! where !stat.fileId.isEmpty {
                    let id = FileGroupID(partitionPath: partition, fileId: stat.fileId)
                    guard let new = view.groups[id]?.slices.first(where: { Instant.normalize($0.instantTime) == t })
                    else {
                        throw Self.missing("the version of file group \(id) written by \(commit.timestamp)", commit)
                    }
                    after.append(new)
                    guard let prev = stat.previousInstant else { continue }
                    let p = Instant.normalize(prev)
                    guard let old = view.groups[id]?.slices.first(where: { Instant.normalize($0.instantTime) == p })
                    else {
                        throw Self.missing("the version of file group \(id) at \(prev) (its prevCommit)", commit)
                    }
                    before.append((old, after.count - 1))
                }
            }
            for id in metadata.replacedFileGroups.sorted() {
                guard let old = view.groups[id]?.slices.last(where: { Instant.normalize($0.instantTime) < t }) else {
                    throw Self.missing("the last version of file group \(id) before it was replaced", commit)
                }
                before.append((old, nil))
            }
        }

        static func missing(_ what: String, _ commit: Instant) -> LakeError {
            LakeError(.corruptTable, "changes of commit \(commit.timestamp): \(what) is missing from storage")
        }
    }

    /// The changes of one commit: record versions before and after, matched by key.
    struct Diff {
        let commit: String
        /// All rows of the versions the commit wrote, and of the versions before it.
        var after: [RecordBatch] = []
        var before: [RecordBatch] = []
        /// Changes: key, operation, row in the concatenated `before` / `after` (nil: absent).
        var changes: [(key: String, op: ChangeOperation, before: Int?, after: Int?)] = []

        init(commit: String) { self.commit = commit }

        static let commitTimeIndex = 0
        static let recordKeyIndex = 2

        /// Matches keys: `after[i]` is the new version of touched group `i` (nil if empty),
        /// `before[j]` an old version of touched group `beforeGroups[j]` (nil: a replaced group).
        mutating func compare(after: [RecordBatch?], before: [RecordBatch?], beforeGroups: [Int?]) {
            let stamp = Array(commit.utf8)
            var newKeys: [Set<String>] = Array(repeating: [], count: after.count)
            var written: [String: Int] = [:]
            var carried = Set<String>()
            var base = 0
            for (g, batch) in after.enumerated() {
                guard let batch else { continue }
                self.after.append(batch)
                guard case .byteArray(let keys) = batch.columns[Self.recordKeyIndex].data,
                    case .byteArray(let times) = batch.columns[Self.commitTimeIndex].data
                else { continue }
                for r in 0..<batch.rowCount {
                    let key = keys.string(at: r)
                    newKeys[g].insert(key)
                    if times[r].elementsEqual(stamp) { written[key] = base + r } else { carried.insert(key) }
                }
                base += batch.rowCount
            }
            var beforeOf: [String: Int] = [:]
            var removed: [String: Int] = [:]
            base = 0
            for (j, batch) in before.enumerated() {
                guard let batch else { continue }
                self.before.append(batch)
                guard case .byteArray(let keys) = batch.columns[Self.recordKeyIndex].data else { continue }
                for r in 0..<batch.rowCount {
                    let key = keys.string(at: r)
                    if let g = beforeGroups[j], newKeys[g].contains(key) {
                        // Still in its group: rewritten by the commit (update) or carried over.
                        if written[key] != nil { beforeOf[key] = base + r }
                    } else {
                        removed[key] = base + r
                    }
                }
                base += batch.rowCount
            }
            for (key, a) in written {
                let b = beforeOf[key] ?? removed.removeValue(forKey: key)
                changes.append((key, b == nil ? .insert : .update, b, a))
            }
            // A key that left a version but still exists (written or carried elsewhere) is not deleted.
            for (key, b) in removed where written[key] == nil && !carried.contains(key) {
                changes.append((key, .delete, b, nil))
            }
            changes.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        }

        /// Keeps the changes whose before- or after-image matches `predicate`.
        mutating func filter(by predicate: Predicate) throws(LakeError) {
            let a = try after.isEmpty ? [] : predicate.evaluate(Self.concatenate(after))
            let b = try before.isEmpty ? [] : predicate.evaluate(Self.concatenate(before))
            changes.removeAll { c in
                !((c.after.map { a[$0] } ?? false) || (c.before.map { b[$0] } ?? false))
            }
        }

        /// The change batch (rows in `changes` order), or nil if there are no changes.
        func batch(schema: ParquetSchema, recordFields: [ParquetField]) -> RecordBatch? {
            guard !changes.isEmpty, let template = after.first ?? before.first else { return nil }
            let names = recordFields.map(\.name)
            func image(_ batches: [RecordBatch], _ rows: [Int?]) -> Column {
                // Every version's rows, then one null row that absent images point at.
                let nullRow = batches.reduce(0) { $0 + $1.rowCount }
                let indices = rows.map { $0 ?? nullRow }
                let children = names.map { name in
                    let column = template.column(named: name)!
                    let parts = batches.map { $0.column(named: name)! } + [Column.nulls(like: column.data, count: 1)]
                    return Column.concatenate(parts).take(indices)
                }
                let validity = rows.map { $0 != nil }
                return Column(.structure(children), validity: validity.contains(false) ? validity : nil)
            }
            let n = changes.count
            let columns = [
                Column(.byteArray(ByteArrayValues(strings: changes.map(\.op.rawValue)))),
                Column(.byteArray(ByteArrayValues(strings: repeatElement(commit, count: n)))),
                Column(.byteArray(ByteArrayValues(strings: changes.map(\.key)))),
                image(before, changes.map(\.before)),
                image(after, changes.map(\.after)),
            ]
            return RecordBatch(schema: schema, columns: columns, rowCount: n)
        }

        static func concatenate(_ batches: [RecordBatch]) -> RecordBatch {
            if batches.count == 1 { return batches[0] }
            let columns = batches[0].columns.indices.map { i in Column.concatenate(batches.map { $0.columns[i] }) }
            return RecordBatch(
                schema: batches[0].schema, columns: columns, rowCount: batches.reduce(0) { $0 + $1.rowCount })
        }
    }
}
