import LakeParquet

/// The rows of a batch a write would refuse for their record key or partition path, found
/// before the write, so that ingestion can set such rows aside (quarantine) and commit the rest
/// instead of failing the whole batch.
///
/// It applies the rules the write applies (``RecordKeyFormat/key(_:)``,
/// ``PartitionScheme/path(for:)``) to the same text renderings of the values, and one the file
/// system applies: a partition directory name may have at most ``maxSegmentBytes`` bytes. A row
/// this check passes gets a key and a partition directory from the write.
public enum RecordKeyCheck {
    /// The longest directory name common file systems store (`NAME_MAX` on Linux, macOS and
    /// Windows file systems).
    public static let maxSegmentBytes = 255

    /// Why each refused row (by index) cannot be written; empty when every row can.
    ///
    /// A key or partition column the batch lacks counts as null in every row (the key check then
    /// refuses every row; a null partition value is the default partition).
    /// - Throws: ``LakeError`` `.invalidInput` when a key or partition column is nested (no row
    ///   could be written: a problem of the batch, not of a row).
    public static func problems(in batch: RecordBatch, config: TableConfig) throws(LakeError) -> [Int: String] {
        let n = batch.rowCount
        var out: [Int: String] = [:]
        guard n > 0, !config.recordKeyFields.isEmpty else { return out }
        let keyTexts = try texts(batch, config.recordKeyFields)
        let format = config.recordKeyFormat
        var values = [String?](repeating: nil, count: keyTexts.count)
        for r in 0..<n {
            for j in keyTexts.indices { values[j] = keyTexts[j][r] }
            do throws(LakeError) {
                _ = try format.key(values)
            } catch {
                out[r] = error.message
            }
        }
        guard config.isPartitioned else { return out }
        let partTexts = try texts(batch, config.partitionFields)
        let scheme = config.partitionScheme
        var checked: [[String?]: String?] = [:]
        var pv = [String?](repeating: nil, count: partTexts.count)
        for r in 0..<n where out[r] == nil {
            for j in partTexts.indices { pv[j] = partTexts[j][r] }
            if let known = checked[pv] {
                if let reason = known { out[r] = reason }
                continue
            }
            var reason: String?
            do throws(LakeError) {
                let path = try scheme.path(for: pv)
                for (j, segment) in path.split(separator: "/").enumerated() where segment.utf8.count > maxSegmentBytes {
                    let field = config.partitionFields[min(j, config.partitionFields.count - 1)]
                    reason = "the partition value of field \(field) (\(pv[min(j, pv.count - 1)]?.utf8.count ?? 0) bytes) "
                        + "makes a directory name of \(segment.utf8.count) bytes; file systems store at most \(maxSegmentBytes)"
                    break
                }
            } catch {
                guard error.code == .invalidInput else { throw error }
                reason = error.message
            }
            checked[pv] = reason
            if let reason { out[r] = reason }
        }
        return out
    }

    /// The text of every value of the named columns (all `nil` for a column the batch lacks).
    static func texts(_ batch: RecordBatch, _ names: [String]) throws(LakeError) -> [[String?]] {
        var out: [[String?]] = []
        for name in names {
            if let i = batch.schema.fieldIndex(name) {
                out.append(try KeyText.texts(batch.columns[i], batch.schema.fields[i]))
            } else {
                out.append([String?](repeating: nil, count: batch.rowCount))
            }
        }
        return out
    }
}
