import LakeParquet

/// Plans one kind of write: from the input (and the snapshot the transaction started from) to a
/// ``WritePlan``. One planner per operation (``WriteOperation/planner``); the transaction's run
/// loop — claim the instant, plan, mark, write, index, complete — is shared.
protocol WritePlanner {
    /// Decides where every input row goes, counting inserts, updates, deletes and ignored rows
    /// into `txn.result`.
    /// - Parameter deleteFlags: per-row `_hoodie_is_deleted` markers, or nil.
    func plan(
        _ data: RecordBatch, deleteFlags: [Bool]?, in txn: inout WriteTransaction,
        timer: inout PhaseTimer
    ) throws(LakeError) -> WritePlan
}

extension WriteOperation {
    /// The planner of this operation.
    var planner: any WritePlanner {
        switch self {
        case .upsert, .insert: UpsertPlanner(deletesOnly: false)
        case .delete: UpsertPlanner(deletesOnly: true)
        case .bulkInsert: BulkInsertPlanner()
        case .insertOverwrite: InsertOverwritePlanner()
        case .deletePartitions(let paths): DeletePartitionPlanner(partitions: Set(paths))
        }
    }
}

/// upsert, insert and delete: keys are located with the record index; touched file groups are
/// rewritten copy-on-write, inserts fill small groups of their partition, then new ones.
struct UpsertPlanner: WritePlanner {
    /// Every input row is a delete (the `delete` operation).
    var deletesOnly: Bool

    func plan(
        _ data: RecordBatch, deleteFlags: [Bool]?, in txn: inout WriteTransaction,
        timer: inout PhaseTimer
    ) throws(LakeError) -> WritePlan {
        let p = try PreparedRecords(batch: data, config: txn.config, allDeletes: deletesOnly, deleteFlags: deleteFlags)
        timer.mark("prepare")
        txn.result.ignored += data.rowCount - p.winners.count
        var loaded = try RecordIndexStore.load(table: txn.table)
        txn.result.indexRebuild = loaded.reason
        timer.mark("index load")
        // Where the batch's keys are (the index) and where its rows go (their partitions).
        let found = loaded.index.lookupAll(p.winners.map { p.keys[$0] })
        var touched = Set<String>()
        for (j, r) in p.winners.enumerated() {
            if case .live(let partition, _)? = found[j] { touched.insert(partition) }
            if !p.isDelete[r] { touched.insert(p.partitions[r]) }
        }
        var plan = WritePlan(view: try txn.listPartitions(touched))
        timer.mark("list")
        try txn.planUpserts(p, data: data, view: plan.view, index: &loaded.index, found: found, plans: &plan.groups)
        timer.mark("plan")
        plan.prepared = p
        plan.index = .update(loaded)
        return plan
    }
}

/// bulk_insert: new file groups only, no key lookups (the caller promises new keys).
struct BulkInsertPlanner: WritePlanner {
    func plan(
        _ data: RecordBatch, deleteFlags: [Bool]?, in txn: inout WriteTransaction,
        timer: inout PhaseTimer
    ) throws(LakeError) -> WritePlan {
        let p = try PreparedRecords(batch: data, config: txn.config, allDeletes: false, deleteFlags: nil)
        txn.result.ignored += data.rowCount - p.winners.count
        var byPartition: [String: [Int]] = [:]
        for r in p.winners { byPartition[p.partitions[r], default: []].append(r) }
        // New file groups only: nothing stored needs listing.
        var plan = WritePlan(view: FileSystemView(groups: [:], replaced: [:]))
        try txn.routeInserts(byPartition, into: &plan.groups, view: plan.view, data: data, useSmallFiles: false)
        let loaded = try RecordIndexStore.load(table: txn.table)
        txn.result.indexRebuild = loaded.reason
        plan.prepared = p
        plan.index = .update(loaded)
        return plan
    }
}

/// insert_overwrite: every partition present in the input is replaced by the input's rows.
struct InsertOverwritePlanner: WritePlanner {
    func plan(
        _ data: RecordBatch, deleteFlags: [Bool]?, in txn: inout WriteTransaction,
        timer: inout PhaseTimer
    ) throws(LakeError) -> WritePlan {
        let p = try PreparedRecords(batch: data, config: txn.config, allDeletes: false, deleteFlags: nil)
        txn.result.ignored += data.rowCount - p.winners.count
        let targets = Set(p.winners.map { p.partitions[$0] })
        var plan = WritePlan(view: try txn.listPartitions(targets))
        timer.mark("list")
        for s in plan.view.latestSlices() where targets.contains(s.partitionPath) {
            plan.replacedGroups.append(s.fileGroupID)
        }
        var byPartition: [String: [Int]] = [:]
        for r in p.winners { byPartition[p.partitions[r], default: []].append(r) }
        try txn.routeInserts(byPartition, into: &plan.groups, view: plan.view, data: data, useSmallFiles: false)
        plan.prepared = p
        plan.index = .rebaseWithoutReplaced
        return plan
    }
}

/// delete_partition: every file group of the named partitions is replaced by nothing.
struct DeletePartitionPlanner: WritePlanner {
    var partitions: Set<String>

    func plan(
        _ data: RecordBatch, deleteFlags: [Bool]?, in txn: inout WriteTransaction,
        timer: inout PhaseTimer
    ) throws(LakeError) -> WritePlan {
        var plan = WritePlan(view: try txn.listPartitions(partitions))
        timer.mark("list")
        for s in plan.view.latestSlices() where partitions.contains(s.partitionPath) {
            plan.replacedGroups.append(s.fileGroupID)
        }
        plan.index = .rebaseWithoutReplaced
        return plan
    }
}
