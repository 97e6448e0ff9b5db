import LakeParquet
import LakeBase

/// Writing the touched file groups.
extension WriteTransaction {
    /// Writes `ordered` (the groups with changes, in id order; a group whose rows all stay as
    /// they are — every change was older — is not rewritten) on both cores.
    func writeGroups(
        _ ordered: [FileGroupPlan], data: RecordBatch,
        prepared: PreparedRecords?
    ) throws(LakeError) -> [HoodieWriteStat] {
        let tableRef = table, schemaRef = schema, instantRef = instant
        let keys = prepared?.keys ?? []
        let results = storage.parallelMapRequests(ordered.count) { i -> Result<HoodieWriteStat, LakeError> in
            do throws(LakeError) {
                var plan = ordered[i]
                if plan.stored == nil, let slice = plan.baseSlice {
                    plan.stored = try StoredRows.load(slice, table: tableRef, schema: schemaRef)
                }
                return .success(
                    try FileGroupWriter(table: tableRef, schema: schemaRef, instant: instantRef, task: i)
                        .write(plan, input: data, keys: keys))
            } catch {
                return .failure(error)
            }
        }
        var stats: [HoodieWriteStat] = []
        // A partition holding a committed slice has its metadata file already (every commit writes
        // it before completing): only partitions new to this write need a look (a request on S3).
        var partitionsSeen = Set(ordered.compactMap { $0.baseSlice?.partitionPath })
        for r in results {
            switch r {
            case .success(let s):
                stats.append(s)
                if let p = s.partitionPath, partitionsSeen.insert(p).inserted, !p.isEmpty {
                    try writePartitionMetadata(p)
                }
            case .failure(let e): throw e
            }
        }
        // Each file was published durably (directory entry included) by its storage writer.
        return stats
    }

    func writePartitionMetadata(_ partition: String) throws(LakeError) {
        let path = StoragePath.join(partition, PartitionMetadata.fileName)
        if try storage.exists(path) { return }
        let meta = PartitionMetadata(commitTime: instant, partitionDepth: PartitionPath.depth(partition))
        try storage.write(path, meta.serialized(savedAtMillis: InstantTime.systemNowMillis()))
    }
}
