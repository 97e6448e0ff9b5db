import LakeCore

extension ExpressionEvaluator {
    /// Converts a column to `target` (a derived column's `targetType`, or `coalesce`'s common
    /// type). Text parses into any scalar type, numbers convert between numeric types exactly
    /// (a value that does not fit is a row error), dates and timestamps convert into each other
    /// and numbers are epoch times for them, and every scalar has a text form.
    mutating func convert(_ input: TypedColumn, to target: ColumnType, _ e: Expression) throws(LakeError) -> TypedColumn
    {
        if input.type == target { return input }
        if (input.type == .string || input.type == .json) && (target == .string || target == .json) {
            return TypedColumn(input.column, target)
        }
        guard input.hasTextForm, target.isScalar else {
            throw configError(e, "cannot convert \(input.type) to \(target)")
        }
        if input.type.isTemporal && !target.isTemporal && target != .string && target != .json {
            throw configError(e, "cannot convert \(input.type) to \(target)")
        }
        if input.column.nullCount == rowCount { return .nulls(target, count: rowCount) }
        if input.type.isTemporal && target.isTemporal { return temporalToTemporal(input, target) }
        let builder = ValueBuilder.make(target, strict: false, inferMembers: false)
        let ctx = DecodeContext()
        var scratch: [UInt8] = []
        let attribute: AttributeType = input.type.isNumeric ? .n : .s
        for i in 0..<rowCount {
            scratch.removeAll(keepingCapacity: true)
            guard input.appendText(row: i, to: &scratch) else {
                builder.appendNull()
                continue
            }
            do throws(LakeError) {
                try withBytes(of: scratch) { (t) throws(LakeError) in try builder.appendText(attribute, t, ctx) }
            } catch {
                fail(
                    row: i,
                    "cannot convert '\(String(decoding: scratch, as: UTF8.self))' to \(target): \(error.message)")
                builder.appendNull()
            }
        }
        return TypedColumn(builder.finish()!, target)
    }

    /// Date ↔ timestamp and timestamp unit changes, through microseconds.
    func temporalToTemporal(_ input: TypedColumn, _ target: ColumnType) -> TypedColumn {
        var values: [Int64] = []
        values.reserveCapacity(rowCount)
        for i in 0..<rowCount {
            guard let m = input.micros(row: i) else {
                values.append(0)
                continue
            }
            let v: Int64 =
                switch target {
                case .date: TemporalBuilder.floorDiv(m, 86_400_000_000)
                case .timestamp(.millis): TemporalBuilder.floorDiv(m, 1000)
                case .timestamp(.nanos): m.multipliedReportingOverflow(by: 1000).partialValue
                default: m
                }
            values.append(v)
        }
        let data: ColumnData = target == .date ? .int32(values.map { Int32(truncatingIfNeeded: $0) }) : .int64(values)
        return TypedColumn(Column(data, validity: input.column.validity), target)
    }
}

extension ColumnType {
    /// Dates and timestamps.
    var isTemporal: Bool {
        switch self {
        case .date, .timestamp: true
        default: false
        }
    }

    /// Not a list or struct.
    var isScalar: Bool {
        switch self {
        case .list, .structure: false
        default: true
        }
    }
}
