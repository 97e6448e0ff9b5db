/// An in-memory column: one typed array of values plus validity, Arrow style.
///
/// Every column has `count` slots. `validity[i] == false` marks slot `i` as null; `validity`
/// is `nil` when no slot is null. Null slots still occupy a value (zero, empty) in `data`, so
/// value arrays are indexed by slot. Nested columns hold child columns:
/// - `.list(offsets, element)`: slot `i` is `element[offsets[i]..<offsets[i+1]]`;
///   `offsets.count == count + 1`.
/// - `.map(offsets, keys, values)`: like a list of key/value entries.
/// - `.structure(children)`: every child has `count` slots.
///
/// The column's meaning (logical type, names) comes from the ``ParquetField`` it is paired
/// with: a DATE is `.int32` days, a TIMESTAMP `.int64` in its unit, a DECIMAL the unscaled
/// integer in its physical type, a STRING `.byteArray` of UTF-8. INT96 leaves are read as
/// `.int64` nanoseconds since the Unix epoch.
public struct Column: Sendable, Hashable {
    public var data: ColumnData
    public var validity: [Bool]?

    public init(_ data: ColumnData, validity: [Bool]? = nil) {
        self.data = data
        self.validity = validity
        if let v = validity { precondition(v.count == data.count, "validity has \(v.count) slots, data \(data.count)") }
    }

    /// Number of slots.
    public var count: Int { data.count }

    @inline(__always)
    public func isNull(_ i: Int) -> Bool {
        guard let v = validity else { return false }
        return !v[i]
    }

    public var nullCount: Int {
        guard let v = validity else { return 0 }
        var n = 0
        for b in v where !b { n += 1 }
        return n
    }
}

/// The typed storage of a ``Column``.
public indirect enum ColumnData: Sendable, Hashable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    case byteArray(ByteArrayValues)
    case fixedByteArray(FixedByteArrayValues)
    case list(offsets: [Int], element: Column)
    case map(offsets: [Int], keys: Column, values: Column)
    case structure([Column])

    public var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .byteArray(let v): v.count
        case .fixedByteArray(let v): v.count
        case .list(let o, _): o.count - 1
        case .map(let o, _, _): o.count - 1
        case .structure(let c): c.first?.count ?? 0
        }
    }
}

/// A set of equally long columns paired with the schema that gives them meaning.
///
/// `columns[i]` belongs to `schema.fields[i]`.
public struct RecordBatch: Sendable, Hashable {
    public var schema: ParquetSchema
    public var columns: [Column]
    public var rowCount: Int

    /// Creates a batch, checking that there is one column per top-level field and that all
    /// columns have the same length.
    public init(schema: ParquetSchema, columns: [Column]) throws(ParquetError) {
        guard columns.count == schema.fields.count else {
            throw ParquetError(
                .invalidArgument, "batch has \(columns.count) columns, schema has \(schema.fields.count) fields")
        }
        let n = columns.first?.count ?? 0
        for (c, f) in zip(columns, schema.fields) where c.count != n {
            throw ParquetError(.invalidArgument, "column '\(f.name)' has \(c.count) rows, expected \(n)")
        }
        self.schema = schema
        self.columns = columns
        self.rowCount = n
    }

    /// Creates an empty batch (zero rows) — used for an empty projection.
    public init(schema: ParquetSchema, columns: [Column], rowCount: Int) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The column of a top-level field, by name.
    public func column(named name: String) -> Column? {
        guard let i = schema.fields.firstIndex(where: { $0.name == name }) else { return nil }
        return columns[i]
    }
}
