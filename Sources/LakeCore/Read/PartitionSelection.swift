import LakeParquet

/// Which partitions a ``FileSystemView`` lists: listing is the expensive operation on an object
/// store, so a write lists the partitions its batch touches and a read prunes by its predicate.
public enum PartitionSelection: Sendable {
    /// Every partition, discovered level by level from the table root (`.hoodie` skipped).
    case all
    /// Exactly these partition paths (`""`: the root of a non-partitioned table); partitions
    /// that do not exist list as empty.
    case only(Set<String>)
    /// Discovered level by level from the root, going into a directory only if `descend`
    /// accepts its path (`a=1`, then `a=1/b=2`): pruning by partition values as they appear.
    case pruned(@Sendable (String) -> Bool)

    /// The partitions a read with `predicate` can need: directories whose partition values
    /// cannot satisfy the predicate's partition conjuncts are not entered, level by level
    /// (``Predicate/mightMatch(partitionValues:schema:)`` on the values of the levels seen so
    /// far). `.all` when the table is not partitioned or there is no predicate.
    static func matching(
        _ predicate: Predicate?, scheme: PartitionScheme,
        schema: [ParquetField]
    ) -> PartitionSelection {
        guard let predicate, !scheme.fields.isEmpty else { return .all }
        let fields = scheme.fields
        return .pruned { path in
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            guard segments.count <= fields.count else { return true }
            var named: [String: String?] = [:]
            for (i, seg) in segments.enumerated() {
                var value = Substring(seg)
                if scheme.hiveStyle {
                    let prefix = fields[i] + "="
                    // Not this table's layout: keep it (the read decides per slice).
                    guard seg.hasPrefix(prefix) else { return true }
                    value = seg.dropFirst(prefix.count)
                }
                if value == Substring(PartitionPath.defaultPartition) {
                    named[fields[i]] = .some(nil)
                } else {
                    named[fields[i]] = scheme.urlEncode ? PartitionPath.unescape(String(value)) : String(value)
                }
            }
            return predicate.mightMatch(partitionValues: named, schema: schema)
        }
    }

    /// Whether a listing with this selection lists partition `path` (`""`: the table root):
    /// always for `.all`, membership for `.only`, and for `.pruned` whether `descend` accepts
    /// every directory level on the way (`a=1`, then `a=1/b=2`).
    func covers(_ path: String) -> Bool {
        switch self {
        case .all:
            return true
        case .only(let set):
            return set.contains(path)
        case .pruned(let descend):
            guard !path.isEmpty else { return true }
            var prefix = ""
            for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
                prefix = prefix.isEmpty ? String(segment) : prefix + "/" + segment
                if !descend(prefix) { return false }
            }
            return true
        }
    }
}
