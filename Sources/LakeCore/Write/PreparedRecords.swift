import LakeParquet

/// The per-row facts a write needs from its input: record key, partition path, ordering value
/// and whether the row is a delete — plus the in-batch winner for every key.
struct PreparedRecords {
    var keys: [String]
    var partitions: [String]
    var ordering: [OrderingValue]
    var isDelete: [Bool]
    /// Whether deletes are ordered (the input carries the precombine field).
    var deletesOrdered: Bool
    /// One row per distinct key: the row with the largest ordering value; among equal values
    /// the later row. In input order of first appearance.
    var winners: [Int]

    /// - Parameters:
    ///   - batch: input conformed to `fields` (for deletes: the input as given).
    ///   - deleteFlags: per-row delete markers (`_hoodie_is_deleted`), or nil.
    init(batch: RecordBatch, config: TableConfig, allDeletes: Bool, deleteFlags: [Bool]?) throws(LakeError) {
        let n = batch.rowCount
        func column(_ name: String) throws(LakeError) -> (Column, ParquetField) {
            guard let i = batch.schema.fieldIndex(name) else {
                throw LakeError(.invalidInput, "input has no column '\(name)' (columns: \(batch.schema.fields.map(\.name).joined(separator: ", ")))")
            }
            return (batch.columns[i], batch.schema.fields[i])
        }
        // Record keys.
        var keyCols: [(Column, ParquetField)] = []
        for f in config.recordKeyFields { keyCols.append(try column(f)) }
        let format = config.recordKeyFormat
        var keys: [String] = []
        keys.reserveCapacity(n)
        var values = [String?](repeating: nil, count: keyCols.count)
        for r in 0..<n {
            for (j, (c, f)) in keyCols.enumerated() { values[j] = try KeyText.text(c, r, f) }
            do throws(LakeError) {
                keys.append(try format.key(values))
            } catch {
                throw LakeError(.invalidInput, "row \(r + 1): \(error.message)")
            }
        }
        // Partition paths.
        var partitions = [String](repeating: "", count: n)
        if config.isPartitioned && !allDeletes {
            var partCols: [(Column, ParquetField)] = []
            for f in config.partitionFields { partCols.append(try column(f)) }
            let scheme = config.partitionScheme
            var pv = [String?](repeating: nil, count: partCols.count)
            var cache: [[String?]: String] = [:]
            for r in 0..<n {
                for (j, (c, f)) in partCols.enumerated() { pv[j] = try KeyText.text(c, r, f) }
                if let p = cache[pv] { partitions[r] = p; continue }
                do throws(LakeError) {
                    let p = try scheme.path(for: pv)
                    cache[pv] = p
                    partitions[r] = p
                } catch {
                    throw LakeError(error.code, "row \(r + 1): \(error.message)")
                }
            }
        }
        // Ordering.
        var ordering = [OrderingValue](repeating: .null, count: n)
        var ordered = false
        if let p = config.precombineField, let i = batch.schema.fieldIndex(p) {
            ordered = true
            let c = batch.columns[i], f = batch.schema.fields[i]
            for r in 0..<n { ordering[r] = OrderingValue(column: c, at: r, field: f) }
        }
        self.keys = keys
        self.partitions = partitions
        self.ordering = ordering
        self.isDelete = allDeletes ? [Bool](repeating: true, count: n) : (deleteFlags ?? [Bool](repeating: false, count: n))
        self.deletesOrdered = ordered
        // In-batch dedup: the largest ordering wins, ties go to the later row.
        var best: [String: Int] = [:]
        best.reserveCapacity(n)
        var order: [String] = []
        for r in 0..<n {
            let k = keys[r]
            if let prev = best[k] {
                if !(ordering[r] < ordering[prev]) { best[k] = r }
            } else {
                best[k] = r
                order.append(k)
            }
        }
        winners = order.map { best[$0]! }
    }
}
