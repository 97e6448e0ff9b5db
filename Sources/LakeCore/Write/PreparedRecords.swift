import LakeParquet

/// The per-row facts a write needs from its input: record key, partition path, ordering value
/// and whether the row is a delete — plus the in-batch winner for every key.
struct PreparedRecords {
    var keys: [String]
    var partitions: [String]
    var ordering: [OrderingValue]
    var isDelete: [Bool]
    /// Whether the input carries the precombine field at all.
    var hasOrdering: Bool

    /// Whether the delete in row `r` is ordered: it carries a (non-null) precombine value. A
    /// delete without one removes the row whatever its ordering value.
    func isOrderedDelete(_ r: Int) -> Bool { hasOrdering && ordering[r] != .null }
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
                throw LakeError(
                    .invalidInput,
                    "input has no column '\(name)' (columns: \(batch.schema.fields.map(\.name).joined(separator: ", ")))"
                )
            }
            return (batch.columns[i], batch.schema.fields[i])
        }
        // Record keys.
        var keyTexts: [[String?]] = []
        for f in config.recordKeyFields {
            let (c, field) = try column(f)
            keyTexts.append(try KeyText.texts(c, field))
        }
        let format = config.recordKeyFormat
        var keys: [String] = []
        keys.reserveCapacity(n)
        if keyTexts.count == 1 && !format.isComplex {
            for r in 0..<n {
                guard let k = keyTexts[0][r], !k.isEmpty else {
                    throw LakeError(
                        .invalidInput,
                        "row \(r + 1): record key field '\(config.recordKeyFields[0])' is \(keyTexts[0][r] == nil ? "null" : "empty")"
                    )
                }
                keys.append(k)
            }
        } else {
            var values = [String?](repeating: nil, count: keyTexts.count)
            for r in 0..<n {
                for j in 0..<keyTexts.count { values[j] = keyTexts[j][r] }
                do throws(LakeError) {
                    keys.append(try format.key(values))
                } catch {
                    throw LakeError(.invalidInput, "row \(r + 1): \(error.message)")
                }
            }
        }
        // Partition paths.
        var partitions = [String](repeating: "", count: n)
        if config.isPartitioned && !allDeletes {
            var partTexts: [[String?]] = []
            for f in config.partitionFields {
                let (c, field) = try column(f)
                partTexts.append(try KeyText.texts(c, field))
            }
            let scheme = config.partitionScheme
            // Code each column's distinct values as small integers and cache paths by the
            // combined code: one string hash per value, not one array hash per row.
            var columnCodes: [[Int]] = []
            var scales: [Int] = []
            var radix = 1, fits = true
            for texts in partTexts {
                var dictionary: [String?: Int] = [:]
                var cs = [Int](repeating: 0, count: n)
                for r in 0..<n {
                    let t = texts[r]
                    if let known = dictionary[t] {
                        cs[r] = known
                    } else {
                        cs[r] = dictionary.count; dictionary[t] = cs[r]
                    }
                }
                columnCodes.append(cs)
                scales.append(radix)
                let (next, overflow) = radix.multipliedReportingOverflow(by: max(dictionary.count, 1))
                if overflow { fits = false } else { radix = next }
            }
            var pv = [String?](repeating: nil, count: partTexts.count)
            func path(_ r: Int) throws(LakeError) -> String {
                for j in 0..<partTexts.count { pv[j] = partTexts[j][r] }
                do throws(LakeError) { return try scheme.path(for: pv) } catch {
                    throw LakeError(error.code, "row \(r + 1): \(error.message)")
                }
            }
            if fits {
                var cache: [Int: String] = [:]
                for r in 0..<n {
                    var code = 0
                    for j in 0..<columnCodes.count { code += columnCodes[j][r] * scales[j] }
                    if let p = cache[code] { partitions[r] = p; continue }
                    let p = try path(r)
                    cache[code] = p
                    partitions[r] = p
                }
            } else {
                var cache: [[Int]: String] = [:]
                for r in 0..<n {
                    let code = columnCodes.map { $0[r] }
                    if let p = cache[code] { partitions[r] = p; continue }
                    let p = try path(r)
                    cache[code] = p
                    partitions[r] = p
                }
            }
        }
        // Ordering.
        var ordering = [OrderingValue](repeating: .null, count: n)
        var ordered = false
        if let p = config.precombineField, let i = batch.schema.fieldIndex(p) {
            ordered = true
            ordering = OrderingValue.values(column: batch.columns[i], field: batch.schema.fields[i])
        }
        self.keys = keys
        self.partitions = partitions
        self.ordering = ordering
        self.isDelete =
            allDeletes ? [Bool](repeating: true, count: n) : (deleteFlags ?? [Bool](repeating: false, count: n))
        self.hasOrdering = ordered
        // In-batch dedup: the largest ordering wins, ties go to the later row.
        var best = KeyTable(capacity: n)
        for r in 0..<n {
            let (e, inserted) = best.findOrInsert(keys[r], value: r)
            if !inserted && !(ordering[r] < ordering[best.values[e]]) { best.values[e] = r }
        }
        winners = best.values
    }
}
