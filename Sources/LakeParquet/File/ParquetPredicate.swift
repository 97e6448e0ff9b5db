/// A value to compare a column with, in the column's physical representation: DATE as days,
/// TIMESTAMP in the column's unit, DECIMAL as the unscaled integer (or its big-endian bytes for
/// FIXED_LEN_BYTE_ARRAY), strings as UTF-8 bytes.
public enum ParquetScalar: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])

    public static func string(_ s: String) -> ParquetScalar { .bytes(Array(s.utf8)) }
}

/// Comparison operators of ``ParquetPredicate``.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A row predicate over leaf columns (named by dotted path), used to skip row groups by their
/// statistics. Evaluation is conservative: when statistics are missing or cannot be compared,
/// the row group is kept. Null values satisfy only `isNull`, as in SQL.
public indirect enum ParquetPredicate: Sendable, Hashable {
    case compare(column: String, ComparisonOperator, ParquetScalar)
    case isIn(column: String, [ParquetScalar])
    case isNull(column: String)
    case isNotNull(column: String)
    case and([ParquetPredicate])
    case or([ParquetPredicate])

    /// Whether `rowGroup` may hold a row satisfying the predicate, judging by its statistics.
    public func mightMatch(rowGroup: RowGroup, schema: ParquetSchema) -> Bool {
        switch self {
        case .and(let ps): return ps.allSatisfy { $0.mightMatch(rowGroup: rowGroup, schema: schema) }
        case .or(let ps): return ps.isEmpty || ps.contains { $0.mightMatch(rowGroup: rowGroup, schema: schema) }
        case .compare(let c, let op, let v):
            guard let s = ColumnStatistics(rowGroup: rowGroup, schema: schema, column: c) else { return true }
            return s.mightMatch(op, v)
        case .isIn(let c, let vs):
            guard let s = ColumnStatistics(rowGroup: rowGroup, schema: schema, column: c) else { return true }
            return vs.contains { s.mightMatch(.equal, $0) }
        case .isNull(let c):
            guard let s = ColumnStatistics(rowGroup: rowGroup, schema: schema, column: c), let n = s.nullCount else {
                return true
            }
            return n > 0
        case .isNotNull(let c):
            guard let s = ColumnStatistics(rowGroup: rowGroup, schema: schema, column: c), let n = s.nullCount else {
                return true
            }
            return n < s.valueCount
        }
    }
}

/// The statistics of one column chunk decoded into comparable form.
public struct ColumnStatistics: Sendable {
    public let descriptor: ColumnDescriptor
    public let min: ParquetScalar?
    public let max: ParquetScalar?
    public let nullCount: Int64?
    public let valueCount: Int64

    /// Decodes the statistics of `column` (dotted leaf path) in `rowGroup`; nil if the column is unknown.
    public init?(rowGroup: RowGroup, schema: ParquetSchema, column: String) {
        let path = column.split(separator: ".").map(String.init)
        guard let i = schema.leaves.firstIndex(where: { $0.path == path }), i < rowGroup.columns.count,
            let m = rowGroup.columns[i].metaData
        else { return nil }
        self.init(descriptor: schema.leaves[i], metadata: m)
    }

    public init(descriptor d: ColumnDescriptor, metadata m: ColumnMetaData) {
        descriptor = d
        valueCount = m.numValues
        nullCount = m.statistics?.nullCount
        var lo = m.statistics?.minValue, hi = m.statistics?.maxValue
        if lo == nil || hi == nil, d.sortOrder == .signed, d.physicalType != .byteArray,
            d.physicalType != .fixedLenByteArray
        {
            // Deprecated fields are trustworthy only for signed-order numeric columns.
            lo = m.statistics?.min
            hi = m.statistics?.max
        }
        min = lo.flatMap { Self.decode($0, d) }
        max = hi.flatMap { Self.decode($0, d) }
    }

    static func decode(_ b: [UInt8], _ d: ColumnDescriptor) -> ParquetScalar? {
        func le<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard b.count == MemoryLayout<T>.size else { return nil }
            return b.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch d.physicalType {
        case .boolean: return b.count == 1 ? .bool(b[0] != 0) : nil
        case .int32:
            guard let v = le(Int32.self) else { return nil }
            return .int(d.sortOrder == .unsigned ? Int64(UInt32(bitPattern: v)) : Int64(v))
        case .int64:
            guard let v = le(Int64.self) else { return nil }
            if d.sortOrder == .unsigned && v < 0 { return nil }
            return .int(v)
        case .float: return le(UInt32.self).map { .double(Double(Float(bitPattern: $0))) }
        case .double: return le(UInt64.self).map { .double(Double(bitPattern: $0)) }
        case .byteArray, .fixedLenByteArray: return .bytes(b)
        case .int96: return nil
        }
    }

    /// -1, 0, 1, or nil when the two cannot be compared.
    func compare(_ a: ParquetScalar, _ b: ParquetScalar) -> Int? {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.int(let x), .int(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.int(let x), .double(let y)): return compare(.double(Double(x)), .double(y))
        case (.double(let x), .int(let y)): return compare(.double(x), .double(Double(y)))
        case (.bytes(let x), .bytes(let y)):
            return x.withUnsafeBytes { px in
                y.withUnsafeBytes { py in
                    let bx = px.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!,
                        by = py.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                    return descriptor.sortOrder == .signed
                        ? StatisticsBuilder.compareSignedBigEndian(bx, x.count, by, y.count)
                        : StatisticsBuilder.compareUnsigned(bx, x.count, by, y.count)
                }
            }
        default: return nil
        }
    }

    func mightMatch(_ op: ComparisonOperator, _ v: ParquetScalar) -> Bool {
        if let n = nullCount, n == valueCount, valueCount > 0 { return false }  // only nulls: no comparison holds
        guard let lo = min, let hi = max, let cl = compare(lo, v), let ch = compare(hi, v) else { return true }
        switch op {
        case .equal: return cl <= 0 && ch >= 0
        case .notEqual: return !(cl == 0 && ch == 0)
        case .less: return cl < 0
        case .lessOrEqual: return cl <= 0
        case .greater: return ch > 0
        case .greaterOrEqual: return ch >= 0
        }
    }
}
