import LakeParquet

/// The rows of a batch a write would refuse for their record key or partition path, found
/// before the write, so that ingestion can set such rows aside (quarantine) and commit the rest
/// instead of failing the whole batch.
///
/// It applies exactly the rules the write applies (``RecordKeyFormat/key(_:)``,
/// ``PartitionScheme/path(for:)``, which also bounds a directory name to
/// ``PartitionScheme/maxSegmentBytes``) to the same text renderings of the values: a row this
/// check passes gets a key and a partition directory from the write.
///
/// A cheap scan of the raw columns first picks the rows that could fail (a null, an empty value,
/// a `,` or a `__` prefix in a complex key, a long partition value); only those are rendered and
/// checked, so a batch of ordinary rows costs one pass over its key columns' offsets.
public enum RecordKeyCheck {
    /// Why each refused row (by index) cannot be written; empty when every row can.
    ///
    /// A key or partition column the batch lacks counts as null in every row (the key check then
    /// refuses every row; a null partition value is the default partition).
    /// - Throws: ``LakeError`` `.invalidInput` when a key or partition column is nested (no row
    ///   could be written: a problem of the batch, not of a row).
    public static func problems(in batch: RecordBatch, config: TableConfig) throws(LakeError) -> [Int: String] {
        var out: [Int: String] = [:]
        guard batch.rowCount > 0, !config.recordKeyFields.isEmpty else { return out }
        let format = config.recordKeyFormat
        let keys = try columns(batch, config.recordKeyFields)
        var suspects = Set<Int>()
        for (j, c) in keys.enumerated() {
            markKeySuspects(c, complex: format.isComplex, last: j == keys.count - 1, batch.rowCount, into: &suspects)
        }
        for r in suspects {
            do throws(LakeError) {
                _ = try format.key(try keys.map { c throws(LakeError) in try text(c, r) })
            } catch {
                out[r] = error.message
            }
        }
        guard config.isPartitioned else { return out }
        let scheme = config.partitionScheme
        let parts = try columns(batch, config.partitionFields)
        suspects = []
        for (j, c) in parts.enumerated() {
            markPartitionSuspects(
                c, field: config.partitionFields[j], urlEncode: scheme.urlEncode, batch.rowCount, into: &suspects)
        }
        for r in suspects where out[r] == nil {
            if let reason = try partitionProblem(parts, r, scheme) { out[r] = reason }
        }
        return out
    }

    /// A column and its field, or `nil` for a column the batch lacks.
    typealias Slot = (column: Column, field: ParquetField)?

    static func columns(_ batch: RecordBatch, _ names: [String]) throws(LakeError) -> [Slot] {
        var out: [Slot] = []
        for name in names {
            guard let i = batch.schema.fieldIndex(name) else {
                out.append(nil)
                continue
            }
            let (c, f) = (batch.columns[i], batch.schema.fields[i])
            switch c.data {
            case .list, .map, .structure:
                throw LakeError(
                    .invalidInput,
                    "column '\(name)' is nested (\(TableSchema.typeName(f))); "
                        + "record keys and partition values must be primitive")
            default:
                out.append((c, f))
            }
        }
        return out
    }

    static func text(_ slot: Slot, _ r: Int) throws(LakeError) -> String? {
        guard let (c, f) = slot else { return nil }
        return try KeyText.text(c, r, f)
    }

    /// Rows whose key component could be refused: null or empty; in a complex key also one that
    /// could be a placeholder (`__…`) or hold the next field's marker (a `,`, when not the last).
    static func markKeySuspects(_ slot: Slot, complex: Bool, last: Bool, _ n: Int, into suspects: inout Set<Int>) {
        guard let (c, _) = slot else {
            suspects.formUnion(0..<n)
            return
        }
        if let v = c.validity { for r in 0..<n where !v[r] { suspects.insert(r) } }
        guard case .byteArray(let a) = c.data else { return }
        let underscore = UInt8(ascii: "_")
        a.bytes.withUnsafeBufferPointer { b in
            for r in 0..<n {
                let lo = a.offsets[r], hi = a.offsets[r + 1]
                if lo == hi {
                    suspects.insert(r)
                } else if complex {
                    if hi - lo >= 2 && b[lo] == underscore && b[lo + 1] == underscore {
                        suspects.insert(r)
                    } else if !last && b[lo..<hi].contains(UInt8(ascii: ",")) {
                        suspects.insert(r)
                    }
                }
            }
        }
    }

    /// Rows whose partition value could be refused: any value of a table that does not encode
    /// paths; else a text value long enough to exceed ``PartitionScheme/maxSegmentBytes`` once
    /// percent-encoded.
    static func markPartitionSuspects(
        _ slot: Slot, field: String, urlEncode: Bool, _ n: Int,
        into suspects: inout Set<Int>
    ) {
        guard let (c, _) = slot else { return }
        guard case .byteArray(let a) = c.data else {
            // Numbers, dates, times and decimals render short, without '/' or a leading '.'.
            return
        }
        if !urlEncode {
            suspects.formUnion(0..<n)
            return
        }
        // Percent-encoding at most triples a byte; `field=` comes in front.
        let limit = (PartitionScheme.maxSegmentBytes - field.utf8.count - 1) / 3
        for r in 0..<n where a.offsets[r + 1] - a.offsets[r] > limit { suspects.insert(r) }
    }

    /// Why row `r`'s partition path cannot be written, or `nil`.
    static func partitionProblem(_ parts: [Slot], _ r: Int, _ scheme: PartitionScheme) throws(LakeError) -> String? {
        var values: [String?] = []
        for c in parts { values.append(try text(c, r)) }
        do throws(LakeError) {
            _ = try scheme.path(for: values)
            return nil
        } catch {
            guard error.code == .invalidInput else { throw error }
            return error.message
        }
    }
}
