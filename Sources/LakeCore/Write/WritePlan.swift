import LakeParquet

/// What one write will do, decided before any data file is written: the file groups to write,
/// the file groups it replaces, and how the record index changes. A planner
/// (``WritePlanner``) makes it from the input and the snapshot the write started from; the
/// transaction executes it.
struct WritePlan {
    /// The view of the partitions planned against (the write's snapshot of them).
    var view: FileSystemView
    /// Every file group the write touches, with what it does to each.
    var groups: [FileGroupID: FileGroupPlan] = [:]
    /// File groups this write replaces (insert_overwrite, delete_partition).
    var replacedGroups: [FileGroupID] = []
    /// The input's keys, partitions and winners (nil for delete_partition).
    var prepared: PreparedRecords?
    /// How the record index changes.
    var index: IndexChange = .none

    /// How a write changes the record index.
    enum IndexChange {
        /// Not at all.
        case none
        /// The loaded index, with the plan's deletes and tombstones already applied; inserts are
        /// added after the groups are written, and the changes persist as a delta (or a base
        /// when compaction is due or the index was rebuilt).
        case update(RecordIndexStore.Loaded)
        /// File groups are replaced: the index is loaded after writing, the keys of the replaced
        /// groups are forgotten, inserts added, and a new base written.
        case rebaseWithoutReplaced
    }

    init(view: FileSystemView) {
        self.view = view
    }

    /// The groups the write rewrites or creates, in id order (a group whose rows all stay as
    /// they are — every change was older — is not written).
    var groupsToWrite: [FileGroupPlan] {
        groups.values.filter { !$0.replacements.isEmpty || !$0.removed.isEmpty || !$0.inserts.isEmpty }
            .sorted { $0.id < $1.id }
    }
}
