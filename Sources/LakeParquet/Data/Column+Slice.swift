extension Column {
    /// The slots `range` of this column as a new column (nested children sliced accordingly).
    public func slice(_ range: Range<Int>) -> Column {
        let v = validity.map { Array($0[range]) }
        return Column(data.slice(range), validity: v.flatMap { $0.contains(false) ? $0 : nil })
    }

    /// An estimate of the column's in-memory size in bytes (values, offsets and validity).
    public var estimatedByteSize: Int {
        let v = validity == nil ? 0 : count
        return v + data.estimatedByteSize
    }
}

extension ColumnData {
    /// Slots `range` as a new value array.
    public func slice(_ range: Range<Int>) -> ColumnData {
        switch self {
        case .boolean(let a): return .boolean(Array(a[range]))
        case .int32(let a): return .int32(Array(a[range]))
        case .int64(let a): return .int64(Array(a[range]))
        case .float(let a): return .float(Array(a[range]))
        case .double(let a): return .double(Array(a[range]))
        case .byteArray(let a):
            let lo = a.offsets[range.lowerBound], hi = a.offsets[range.upperBound]
            return .byteArray(
                ByteArrayValues(
                    offsets: a.offsets[range.lowerBound...range.upperBound].map { $0 - lo },
                    bytes: Array(a.bytes[lo..<hi])))
        case .fixedByteArray(let a):
            return .fixedByteArray(
                FixedByteArrayValues(
                    width: a.width, bytes: Array(a.bytes[(range.lowerBound * a.width)..<(range.upperBound * a.width)])))
        case .list(let offsets, let element):
            let lo = offsets[range.lowerBound], hi = offsets[range.upperBound]
            return .list(
                offsets: offsets[range.lowerBound...range.upperBound].map { $0 - lo }, element: element.slice(lo..<hi))
        case .map(let offsets, let keys, let values):
            let lo = offsets[range.lowerBound], hi = offsets[range.upperBound]
            return .map(
                offsets: offsets[range.lowerBound...range.upperBound].map { $0 - lo },
                keys: keys.slice(lo..<hi), values: values.slice(lo..<hi))
        case .structure(let children):
            return .structure(children.map { $0.slice(range) })
        }
    }

    /// An estimate of the in-memory size in bytes.
    public var estimatedByteSize: Int {
        switch self {
        case .boolean(let a): a.count
        case .int32(let a): 4 * a.count
        case .int64(let a): 8 * a.count
        case .float(let a): 4 * a.count
        case .double(let a): 8 * a.count
        case .byteArray(let a): a.bytes.count + 4 * a.count
        case .fixedByteArray(let a): a.bytes.count
        case .list(let o, let e): 4 * o.count + e.estimatedByteSize
        case .map(let o, let k, let v): 4 * o.count + k.estimatedByteSize + v.estimatedByteSize
        case .structure(let c): c.reduce(0) { $0 + $1.estimatedByteSize }
        }
    }
}

extension RecordBatch {
    /// Rows `range` of this batch.
    public func slice(_ range: Range<Int>) -> RecordBatch {
        RecordBatch(schema: schema, columns: columns.map { $0.slice(range) }, rowCount: range.count)
    }

    /// An estimate of the batch's in-memory size in bytes.
    public var estimatedByteSize: Int { columns.reduce(0) { $0 + $1.estimatedByteSize } }
}
