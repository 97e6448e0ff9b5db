import LakeParquet

extension Table {
    /// Plans a snapshot read: the latest committed slice of every live file group as of
    /// `options.asOf` (default: the latest completed commit) that the predicate can match.
    ///
    /// `options.asOf` takes any form ``InstantTime/parse(_:timezone:)`` accepts and selects the
    /// newest completed commit at or before it (see ``resolveAsOf(_:)``). Only the partitions
    /// whose values can satisfy `options.predicate` are listed; every slice kept is checked
    /// against the commit metadata. When the read is of the latest commit and the predicate pins
    /// the record key (`id = 'k'`, `id IN (…)`, alone or AND-ed), only the file groups the
    /// record index names for those keys are kept (``ReadPlan/pinnedKeys``), if the index is
    /// current. No data file is opened.
    /// - Returns: the plan; executing it (``read(_:)-(ReadPlan)``, ``readBatches(_:)``) returns
    ///   what ``read(_:)-(ReadOptions)`` returns for `options`.
    /// - Throws: `.invalidArgument` for unknown columns, literals that do not fit their column, or
    ///   an `asOf` that cannot be parsed; `.notFound` if `asOf` is before the table's first
    ///   commit; `.outsideRetention` if it is before the earliest instant still readable (the
    ///   message names that instant); `.corruptTable` if a base file the snapshot needs is missing
    ///   or not the size its commit wrote (the message names it).
    public func plan(_ options: ReadOptions = .init()) throws(LakeError) -> ReadPlan {
        guard let schema else { return .empty() }
        let asOf = try options.asOf.map { spec throws(LakeError) in try resolveAsOf(spec) }
        let columns = try ReadColumns(options, schema: schema)
        let partitions = PartitionSelection.matching(
            config.isPartitioned ? options.predicate : nil,
            scheme: config.partitionScheme, schema: schema.fields)
        let view = try FileSystemView.load(storage: storage, timeline: timeline, partitions: partitions)
        let snapshot = try verifiedSlices(view, asOf: asOf)
        var slices = prune(snapshot, by: options.predicate, schema: schema)
        var pinned: [String]?
        if asOf == nil, config.tableType == .copyOnWrite, let p = options.predicate,
            let keys = recordKeys(pinnedBy: p, schema: schema),
            let groups = try fileGroups(holding: keys)
        {
            slices = slices.filter { groups.contains($0.fileGroupID) }
            pinned = keys
        }
        return ReadPlan(
            instant: asOf ?? timeline.latestCompleted?.timestamp, slices: slices, columns: columns,
            includeMetaColumns: options.includeMetaColumns, predicate: options.predicate,
            pinnedKeys: pinned,
            logMerge: logRecordMerge(asOf: asOf, readOptimized: options.readOptimized, schema: schema),
            readOptimized: options.readOptimized && config.tableType == .mergeOnRead)
    }

    /// Plans an incremental read of the commits in `window` (see
    /// ``readIncremental(_:options:)`` for what it returns): the slices live at the window's end
    /// in the file groups the window's commits wrote (minus groups a replacecommit in the window
    /// replaced), in the partitions the predicate can match, with the window's commits as the
    /// row filter (``ReadPlan/commits``). Only the partitions those commits wrote are listed.
    /// - Returns: the plan; empty (no slices) if the table has no schema or the window holds no
    ///   commits.
    /// - Throws: `.invalidArgument` for a bound that is not a time, `since` after `until`, an
    ///   `asOf` together with a window, unknown columns or bad literals; `.outsideRetention`
    ///   if `since` is before the earliest readable instant (the message names it);
    ///   `.corruptTable` if a base file the read needs is missing or damaged.
    public func planIncremental(_ window: ReadWindow, options: ReadOptions = .init()) throws(LakeError) -> ReadPlan {
        if let a = options.asOf {
            throw LakeError(
                .invalidArgument,
                "an incremental read \(window) cannot also be as of \(a); use until to end the window")
        }
        guard let schema else { return .empty(commits: []) }
        let columns = try ReadColumns(options, schema: schema)
        let resolved = try resolve(window, what: "incremental read")
        guard let until = resolved.until, !resolved.commits.isEmpty else {
            return ReadPlan(
                instant: resolved.until, commits: [], slices: [], columns: columns,
                includeMetaColumns: options.includeMetaColumns, predicate: options.predicate)
        }
        var touched = Set<FileGroupID>()
        var replaced = Set<FileGroupID>()
        for c in resolved.commits {
            let meta = try commitMetadata(c)
            touched.formUnion(meta.touchedFileGroups)
            replaced.formUnion(meta.replacedFileGroups)
        }
        touched.subtract(replaced)
        let view = try FileSystemView.load(
            storage: storage, timeline: timeline,
            partitions: .only(Set(touched.map(\.partitionPath))))
        let live = try verifiedSlices(view, asOf: until, onlyGroups: touched)
            .filter { touched.contains($0.fileGroupID) }
        return ReadPlan(
            instant: until, commits: resolved.commits.map(\.timestamp),
            slices: prune(live, by: options.predicate, schema: schema), columns: columns,
            includeMetaColumns: options.includeMetaColumns, predicate: options.predicate,
            logMerge: logRecordMerge(asOf: until, readOptimized: options.readOptimized, schema: schema),
            readOptimized: options.readOptimized && config.tableType == .mergeOnRead)
    }
}
