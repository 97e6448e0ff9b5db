import LakeParquet

extension Predicate {
    /// Whether a partition may hold rows satisfying the predicate, judging only by its partition
    /// values; false means every row of the partition is certainly rejected.
    ///
    /// - Parameters:
    ///   - partitionValues: the values parsed from the partition path by column name, as text
    ///     (`"2024-01-01"`, `"42"`, `"true"`, `"12.50"`); nil for the default partition
    ///     (`__HIVE_DEFAULT_PARTITION__`), which holds null values and, for string and binary
    ///     columns, empty ones (and strings spelling the default partition's name). Values must be
    ///     the column's own values as key generators without a transformation render them
    ///     (lake's, Hudi's simple and complex key generators), already percent-decoded; a bare
    ///     date for a TIMESTAMP column (a truncating key generator) is never pruned.
    ///   - schema: the table's top-level fields (partition columns may be struct members,
    ///     named `a.b`).
    ///
    /// The top-level conjuncts (of nested ANDs) that only involve partition columns are
    /// evaluated exactly like ``evaluate(_:)`` on the partition's values, converted to the
    /// column's type the same way literals are; the partition is pruned if one of them is not
    /// TRUE. Anything else keeps it: conjuncts naming other columns, values that do not convert,
    /// unknown columns and type errors (``evaluate(_:)`` reports those).
    public func mightMatch(partitionValues: [String: String?], schema: [ParquetField]) -> Bool {
        var cache: [String: Column?] = [:]
        for conjunct in conjuncts where conjunct.columns.isSubset(of: partitionValues.keys) {
            if !PartitionCheck(values: partitionValues, schema: schema).mightSatisfy(conjunct, &cache) { return false }
        }
        return true
    }

    /// The operands of the top-level AND, with nested ANDs flattened.
    var conjuncts: [Predicate] {
        if case .and(let ps) = self { return ps.flatMap(\.conjuncts) }
        return [self]
    }
}

/// Evaluates one conjunct over a partition's values.
private struct PartitionCheck {
    let values: [String: String?]
    let schema: [ParquetField]

    /// False only when the conjunct is not TRUE for any value the partition can hold.
    func mightSatisfy(_ conjunct: Predicate, _ cache: inout [String: Column?]) -> Bool {
        let names = conjunct.columns.sorted()
        var fields: [ParquetField] = []
        var candidates: [Column] = []
        for name in names {
            guard let c = PredicateColumn.resolve(name, in: schema), case .primitive = c.field.kind,
                c.field.repetition != .repeated, let text = values[name]
            else { return true }
            let column: Column?
            if let cached = cache[name] {
                column = cached
            } else {
                column = Self.candidates(text, c)
                cache[name] = column
            }
            guard let column else { return true }
            var f = c.field
            f.name = name
            f.repetition = .optional
            fields.append(f)
            candidates.append(column)
        }
        // Every combination of the columns' candidate values is one row.
        var rowCount = 1
        for c in candidates { rowCount *= c.count }
        var indices = [[Int]](repeating: [], count: candidates.count)
        for r in 0..<rowCount {
            var rest = r
            for (k, c) in candidates.enumerated() {
                indices[k].append(rest % c.count)
                rest /= c.count
            }
        }
        let batch = RecordBatch(
            schema: ParquetSchema(fields), columns: zip(candidates, indices).map { $0.take($1) }, rowCount: rowCount)
        guard let keep = try? conjunct.evaluate(batch) else { return true }
        return keep.contains(true)
    }

    /// The values a partition with this text holds for the column, as a column of one slot (or
    /// two for the default partition of a string or binary column: null and empty); nil when
    /// the text does not convert exactly to a value of the column's type.
    static func candidates(_ text: String?, _ column: PredicateColumn) -> Column? {
        guard let converter = try? LiteralConverter(column) else { return nil }
        guard let text else {
            // A writer sends null and empty values here; a value spelling the default
            // partition's name lands here too.
            let others = ["", PartitionPath.defaultPartition].compactMap { value($0, converter) }
            let null = Column.nulls(like: others.first?.data ?? placeholder(converter), count: 1)
            return Column.concatenate([null] + others)
        }
        return value(text, converter)
    }

    /// A one-slot column holding the value the text spells.
    private static func value(_ text: String, _ converter: LiteralConverter) -> Column? {
        guard let literal = literal(text, converter.type), let kernel = try? converter.kernel(.equal, literal) else {
            return nil
        }
        switch kernel {
        case .boolean(.op(_, let b)): return Column(.boolean([b]))
        case .int32(.op(_, let key), let mask): return Column(.int32([key ^ mask]))
        case .int64(.op(_, let key), let mask): return Column(.int64([key ^ mask]))
        case .float(.op(_, let v)): return Column(.float([v]))
        case .double(.op(_, let v)): return Column(.double([v]))
        case .half(.op(_, let v)):
            guard let bits = HalfFloat.bits(rounding: v) else { return nil }
            return Column(
                .fixedByteArray(FixedByteArrayValues(width: 2, bytes: [UInt8(bits & 0xFF), UInt8(bits >> 8)])))
        case .bytes(.op(_, let b)), .signedBytes(.op(_, let b)):
            if converter.physical == .fixedLenByteArray {
                guard b.count == converter.width, !b.isEmpty else { return nil }
                return Column(.fixedByteArray(FixedByteArrayValues(width: b.count, bytes: b)))
            }
            return Column(.byteArray(ByteArrayValues(arrays: [b])))
        default:
            // Not a value of the column (a fraction for an integer column, out of range).
            return nil
        }
    }

    /// The literal a partition text stands for in a column of this type.
    private static func literal(_ text: String, _ type: CanonicalType) -> Predicate.Literal? {
        switch type {
        case .boolean:
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        case .integer, .float, .double, .float16, .decimal, .date, .time:
            return ExactNumber(text: text) != nil ? .number(text) : .string(text)
        case .timestamp:
            if ExactNumber(text: text) != nil { return .number(text) }
            // A bare date is what a truncating (timestamp-based) key generator writes: the
            // partition holds a whole day, not midnight, so it is no value of the column.
            return text.contains(where: { $0 == "T" || $0 == "t" || $0 == " " }) ? .string(text) : nil
        case .string, .binary:
            return .string(text)
        }
    }

    /// Storage of the column's kind, for a null slot.
    private static func placeholder(_ converter: LiteralConverter) -> ColumnData {
        switch converter.physical {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64, .int96: .int64([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray: .byteArray(ByteArrayValues())
        case .fixedLenByteArray: .fixedByteArray(FixedByteArrayValues(width: max(converter.width, 1)))
        }
    }
}
