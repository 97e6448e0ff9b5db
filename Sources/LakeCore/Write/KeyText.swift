import LakeParquet

/// Renders a leaf value as the text Hudi key generators use for record keys and partition
/// values: strings as they are, numbers in decimal, booleans `true`/`false`, dates
/// `YYYY-MM-DD`, timestamps ISO-8601, decimals exact, binary as base64. Nil for null.
enum KeyText {
    /// The text of every slot of a column (nil for nulls), switching on the type once.
    static func texts(_ column: Column, _ field: ParquetField) throws(LakeError) -> [String?] {
        let n = column.count
        var out = [String?](repeating: nil, count: n)
        let v = column.validity
        switch (column.data, field.logicalType) {
        case (.byteArray(let a), .string?), (.byteArray(let a), .enum?), (.byteArray(let a), .json?):
            a.bytes.withUnsafeBufferPointer { b in
                for i in 0..<n where v?[i] ?? true {
                    out[i] = String(
                        decoding: UnsafeBufferPointer(rebasing: b[a.offsets[i]..<a.offsets[i + 1]]), as: UTF8.self)
                }
            }
        case (.int64(let a), nil), (.int64(let a), .integer(_, true)?):
            for i in 0..<n where v?[i] ?? true { out[i] = String(a[i]) }
        case (.int32(let a), nil), (.int32(let a), .integer(_, true)?):
            for i in 0..<n where v?[i] ?? true { out[i] = String(a[i]) }
        default:
            for i in 0..<n { out[i] = try text(column, i, field) }
        }
        return out
    }

    static func text(_ column: Column, _ i: Int, _ field: ParquetField) throws(LakeError) -> String? {
        if column.isNull(i) { return nil }
        var out: [UInt8] = []
        switch (column.data, field.logicalType) {
        case (.byteArray(let a), .decimal(_, let s)?):
            Array(a[i]).withUnsafeBytes { DecimalText.appendDecimal(bigEndian: $0, scale: Int(s), to: &out) }
        case (.byteArray(let a), .string?), (.byteArray(let a), .enum?), (.byteArray(let a), .json?):
            return a.string(at: i)
        case (.byteArray(let a), _):
            return Base64.encode(Array(a[i]))
        case (.fixedByteArray(let a), .decimal(_, let s)?):
            Array(a[i]).withUnsafeBytes { DecimalText.appendDecimal(bigEndian: $0, scale: Int(s), to: &out) }
        case (.fixedByteArray(let a), _):
            return Base64.encode(Array(a[i]))
        case (.int32(let a), .date?):
            TemporalText.appendDate(days: Int64(a[i]), to: &out)
        case (.int32(let a), .decimal(_, let s)?):
            DecimalText.appendDecimal(unscaled: Int64(a[i]), scale: Int(s), to: &out)
        case (.int64(let a), .decimal(_, let s)?):
            DecimalText.appendDecimal(unscaled: a[i], scale: Int(s), to: &out)
        case (.int64(let a), .timestamp(let utc, let unit)?):
            TemporalText.appendTimestamp(a[i], unit: unit, utc: utc, to: &out)
        case (.int32(let a), .integer(_, false)?): return String(UInt32(bitPattern: a[i]))
        case (.int64(let a), .integer(_, false)?): return String(UInt64(bitPattern: a[i]))
        case (.int32(let a), _): return String(a[i])
        case (.int64(let a), _): return String(a[i])
        case (.boolean(let a), _): return a[i] ? "true" : "false"
        case (.float(let a), _): return String(a[i])
        case (.double(let a), _): return String(a[i])
        case (.list, _), (.map, _), (.structure, _):
            throw LakeError(
                .invalidInput,
                "column '\(field.name)' is nested (\(TableSchema.typeName(field))); record keys and partition values must be primitive"
            )
        }
        return String(decoding: out, as: UTF8.self)
    }
}
