import LakeCore

/// A built column with its type: what derived-column expressions read and produce.
public struct TypedColumn: Sendable, Hashable {
    /// The values.
    public var column: Column
    /// What they mean.
    public var type: ColumnType

    public init(_ column: Column, _ type: ColumnType) {
        self.column = column
        self.type = type
    }

    var count: Int { column.count }

    /// A column of `n` nulls of type `type`.
    static func nulls(_ type: ColumnType, count n: Int) -> TypedColumn {
        let b = ValueBuilder.make(type, strict: false, inferMembers: false)
        b.appendNulls(n)
        return TypedColumn(b.finish() ?? Column(.byteArray(ByteArrayValues())), type)
    }

    /// The value of row `i` as text, or `nil` for null (the `cast(x as string)` of the value):
    /// integers in decimal, doubles in shortest round-trip form, booleans `true`/`false`, dates
    /// `yyyy-MM-dd`, timestamps ISO 8601 in UTC, decimals with exactly their scale, binary as
    /// raw bytes. Lists and structs have no text form (`nil`).
    func appendText(row i: Int, to out: inout [UInt8]) -> Bool {
        if column.isNull(i) { return false }
        switch (column.data, type) {
        case (.byteArray(let v), _):
            v.bytes.withUnsafeBytes {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[v.offsets[i]..<v.offsets[i + 1]]))
            }
        case (.boolean(let v), _):
            out.append(contentsOf: (v[i] ? "true" : "false").utf8)
        case (.int32(let v), .date):
            TemporalText.appendDate(days: Int64(v[i]), to: &out)
        case (.int32(let v), .decimal(_, let s)):
            DecimalText.appendDecimal(unscaled: Int64(v[i]), scale: s, to: &out)
        case (.int32(let v), _):
            out.append(contentsOf: String(v[i]).utf8)
        case (.int64(let v), .timestamp(let unit)):
            TemporalText.appendTimestamp(v[i], unit: unit, utc: true, to: &out)
        case (.int64(let v), .decimal(_, let s)):
            DecimalText.appendDecimal(unscaled: v[i], scale: s, to: &out)
        case (.int64(let v), _):
            out.append(contentsOf: String(v[i]).utf8)
        case (.double(let v), _):
            out.append(contentsOf: v[i].description.utf8)
        case (.float(let v), _):
            out.append(contentsOf: v[i].description.utf8)
        case (.fixedByteArray(let v), .decimal(_, let s)):
            v.bytes.withUnsafeBytes {
                DecimalText.appendDecimal(
                    bigEndian: UnsafeRawBufferPointer(rebasing: $0[(i * v.width)..<((i + 1) * v.width)]), scale: s,
                    to: &out)
            }
        default:
            return false
        }
        return true
    }

    /// Whether ``appendText(row:to:)`` gives this type a text form.
    var hasTextForm: Bool {
        switch type {
        case .list, .structure: false
        default: true
        }
    }

    /// The value of row `i` as microseconds since the epoch, for date and timestamp columns.
    func micros(row i: Int) -> Int64? {
        if column.isNull(i) { return nil }
        switch (column.data, type) {
        case (.int32(let v), .date): return Int64(v[i]) * 86_400_000_000
        case (.int64(let v), .timestamp(let unit)):
            switch unit {
            case .millis: return v[i].multipliedReportingOverflow(by: 1000).overflow ? nil : v[i] * 1000
            case .micros: return v[i]
            case .nanos: return TemporalBuilder.floorDiv(v[i], 1000)
            }
        default: return nil
        }
    }

    /// The value of row `i` as an integer, for integer columns.
    func integer(row i: Int) -> Int64? {
        if column.isNull(i) { return nil }
        switch (column.data, type) {
        case (.int32(let v), .int32): return Int64(v[i])
        case (.int64(let v), .int64): return v[i]
        default: return nil
        }
    }

    /// The value of row `i` as a double, for floating point columns.
    func double(row i: Int) -> Double? {
        if column.isNull(i) { return nil }
        switch column.data {
        case .double(let v): return v[i]
        case .float(let v): return Double(v[i])
        default: return nil
        }
    }
}
