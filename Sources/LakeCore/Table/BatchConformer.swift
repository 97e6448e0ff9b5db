import LakeParquet

/// Makes a batch match a target schema: columns in the target's order, missing nullable columns
/// filled with nulls (also inside structs), and widening casts (INT32 → INT64, FLOAT → DOUBLE,
/// integers → DOUBLE) applied. Used on input before a write and on old files during reads, so
/// every file of a table reads with the table's latest schema.
public enum BatchConformer {
    public static func conform(_ batch: RecordBatch, to target: [ParquetField]) throws(LakeError) -> RecordBatch {
        var columns: [Column] = []
        columns.reserveCapacity(target.count)
        for f in target {
            if let i = batch.schema.fieldIndex(f.name) {
                columns.append(try conform(batch.columns[i], from: batch.schema.fields[i], to: f))
            } else {
                guard f.repetition != .required else {
                    throw LakeError(.schemaMismatch, "column '\(f.name)' is required but missing")
                }
                columns.append(nulls(for: f, count: batch.rowCount))
            }
        }
        return RecordBatch(schema: ParquetSchema(target), columns: columns, rowCount: batch.rowCount)
    }

    /// Converts one column of type `from` to type `to`. A column whose type the type rules
    /// convert (``TableSchema/storedField(_:)``: unsigned integers, local timestamps, INT96,
    /// FLOAT16, integer decimals) is first brought to its stored type.
    public static func conform(_ c: Column, from: ParquetField, to: ParquetField) throws(LakeError) -> Column {
        var c = c, from = from
        if let (stored, storedField) = TableSchema.storedColumn(c, of: from) {
            c = stored
            from = storedField
        }
        if TableSchema.sameType(from, to) {
            if to.repetition == .required, c.nullCount > 0 {
                throw LakeError(.invalidInput, "column '\(to.name)' is required but \(c.nullCount) values are null")
            }
            return c
        }
        if case .primitive(.fixedLenByteArray, let width?, .decimal?, _) = to.kind {
            if let converted = Self.decimalToFixed(c, width: Int(width)) { return converted }
        }
        switch (to.kind, c.data) {
        case (.primitive(.int64, _, .timestamp(false, let tu)?, _), .int64)
        where from.logicalType == .timestamp(isAdjustedToUTC: true, unit: tu):
            return c  // the table keeps a local timestamp type; the numbers are the same
        case (.primitive(.int64, _, _, _), .int32(let a)):
            return Column(.int64(a.map(Int64.init)), validity: c.validity)
        case (.primitive(.double, _, _, _), .float(let a)):
            return Column(.double(a.map(Double.init)), validity: c.validity)
        case (.primitive(.double, _, _, _), .int32(let a)):
            return Column(.double(a.map(Double.init)), validity: c.validity)
        case (.primitive(.double, _, _, _), .int64(let a)):
            return Column(.double(a.map(Double.init)), validity: c.validity)
        case (.group(let tc, nil, _), .structure(let children)) where from.logicalType == nil:
            let fromChildren = from.children
            var out: [Column] = []
            for t in tc {
                if let j = fromChildren.firstIndex(where: { $0.name == t.name }) {
                    out.append(try conform(children[j], from: fromChildren[j], to: t))
                } else {
                    out.append(nulls(for: t, count: c.count))
                }
            }
            return Column(.structure(out), validity: c.validity)
        default:
            throw LakeError(
                .schemaMismatch,
                "column '\(to.name)' has type \(TableSchema.typeName(from)), expected \(TableSchema.typeName(to))")
        }
    }

    /// Unscaled INT32/INT64/BYTE_ARRAY decimals as big-endian two's complement of `width` bytes.
    static func decimalToFixed(_ c: Column, width: Int) -> Column? {
        func bytes(_ v: Int64) -> [UInt8] {
            var out = [UInt8](repeating: v < 0 ? 0xFF : 0, count: width)
            var x = v
            for i in stride(from: width - 1, through: max(0, width - 8), by: -1) {
                out[i] = UInt8(truncatingIfNeeded: x); x >>= 8
            }
            return out
        }
        var out = FixedByteArrayValues(width: width)
        switch c.data {
        case .int32(let a): for v in a { out.bytes.append(contentsOf: bytes(Int64(v))) }
        case .int64(let a): for v in a { out.bytes.append(contentsOf: bytes(v)) }
        case .byteArray(let a):
            for i in 0..<a.count {
                let v = Array(a[i])
                if v.count > width { return nil }
                let fill: UInt8 = (v.first ?? 0) & 0x80 != 0 ? 0xFF : 0
                out.bytes.append(contentsOf: [UInt8](repeating: fill, count: width - v.count) + v)
            }
        default: return nil
        }
        return Column(.fixedByteArray(out), validity: c.validity)
    }

    /// A column of `count` nulls for `field` (zeros and empty values under an all-false validity).
    public static func nulls(for field: ParquetField, count: Int) -> Column {
        Column(emptyData(for: field, count: count), validity: count == 0 ? nil : [Bool](repeating: false, count: count))
    }

    static func emptyData(for f: ParquetField, count: Int) -> ColumnData {
        if f.repetition == .repeated {
            var e = f
            e.repetition = .required
            return .list(offsets: [Int](repeating: 0, count: count + 1), element: Column(emptyData(for: e, count: 0)))
        }
        switch f.kind {
        case .primitive(let p, let len, _, _):
            switch p {
            case .boolean: return .boolean([Bool](repeating: false, count: count))
            case .int32: return .int32([Int32](repeating: 0, count: count))
            case .int64, .int96: return .int64([Int64](repeating: 0, count: count))
            case .float: return .float([Float](repeating: 0, count: count))
            case .double: return .double([Double](repeating: 0, count: count))
            case .byteArray:
                return .byteArray(ByteArrayValues(offsets: [Int](repeating: 0, count: count + 1), bytes: []))
            case .fixedLenByteArray:
                let w = Int(max(len ?? 1, 1))
                return .fixedByteArray(FixedByteArrayValues(width: w, bytes: [UInt8](repeating: 0, count: count * w)))
            }
        case .group(let children, let logical, let converted):
            if (logical == .list || converted == .list), let rep = children.first {
                let element = rep.children.count == 1 ? rep.children[0] : rep
                return .list(
                    offsets: [Int](repeating: 0, count: count + 1), element: Column(emptyData(for: element, count: 0)))
            }
            if (logical == .map || converted == .map), let kv = children.first?.children, kv.count == 2 {
                return .map(
                    offsets: [Int](repeating: 0, count: count + 1), keys: Column(emptyData(for: kv[0], count: 0)),
                    values: Column(emptyData(for: kv[1], count: 0)))
            }
            return .structure(
                children.map { c in
                    let d = emptyData(for: c, count: count)
                    return Column(
                        d,
                        validity: c.repetition == .optional && count > 0 ? [Bool](repeating: false, count: count) : nil)
                })
        }
    }
}
