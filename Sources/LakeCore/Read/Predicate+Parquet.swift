import LakeParquet

extension Predicate {
    /// The part of the predicate that row-group statistics can decide, for skipping row groups
    /// of a Parquet file with `schema`; nil when nothing can be pushed down.
    ///
    /// Sound by construction: every row the predicate keeps lies in a row group the result keeps.
    /// Literals become the leaf's physical representation (dates as days, timestamps in the
    /// column's unit, decimals as unscaled `.int` for INT32/INT64 or big-endian two's complement
    /// bytes of the column's width, strings as UTF-8 bytes, binary as the decoded base64).
    /// Whatever cannot be translated is dropped (treated as "might match"): an AND keeps its
    /// translatable conjuncts, an OR needs all of its branches. NOT is pushed to the leaves
    /// (`NOT (x < 5)` is `x >= 5`, `NOT (x IS NULL)` is `x IS NOT NULL`, `NOT IN` becomes
    /// `!=` conjuncts when the list has no NULL) and dropped where it cannot be inverted.
    /// Float comparisons that NaN could satisfy (`>`, `>=`, `!=`, NaN literals) are dropped,
    /// since statistics never count NaN; FLOAT16 and INT96 columns are never pushed down.
    public func parquetPredicate(schema: ParquetSchema) -> ParquetPredicate? {
        Pushdown(fields: schema.fields).translate(self, negated: false)
    }
}

/// Translates a ``Predicate`` into a ``ParquetPredicate`` (see ``Predicate/parquetPredicate(schema:)``).
private struct Pushdown {
    let fields: [ParquetField]

    /// The translation of `p`, or of `NOT p` when `negated`.
    func translate(_ p: Predicate, negated: Bool) -> ParquetPredicate? {
        switch p {
        case .not(let inner):
            return translate(inner, negated: !negated)
        case .and(let ps) where !negated, .or(let ps) where negated:
            // A conjunction: any subset of the conjuncts is a sound filter.
            let parts = ps.compactMap { translate($0, negated: negated) }
            return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .and(parts)
        case .and(let ps), .or(let ps):
            // A disjunction: every branch must be expressible.
            var parts: [ParquetPredicate] = []
            for q in ps {
                guard let t = translate(q, negated: negated) else { return nil }
                parts.append(t)
            }
            return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .or(parts)
        case .isNull(let name), .isNotNull(let name):
            guard let leaf = leaf(name) else { return nil }
            let isNull = if case .isNull = p { !negated } else { negated }
            return isNull ? .isNull(column: leaf.path) : .isNotNull(column: leaf.path)
        case .compare(let name, let op, let literal):
            guard let leaf = leaf(name), let kernel = try? leaf.converter.kernel(negated ? op.negated : op, literal)
            else { return nil }
            return Self.statistics(kernel, column: leaf.path)
        case .isIn(let name, let literals):
            guard let leaf = leaf(name), let (kernels, hasNull) = try? leaf.converter.set(literals) else { return nil }
            if negated {
                // NOT IN is TRUE only when the value differs from every entry and no entry is NULL.
                guard !hasNull else { return nil }
                var parts: [ParquetPredicate] = []
                for k in kernels {
                    guard let ne = Self.notEqual(k), let t = Self.statistics(ne, column: leaf.path) else { continue }
                    parts.append(t)
                }
                return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .and(parts)
            }
            var scalars: [ParquetScalar] = []
            for k in kernels where !k.isNever {
                guard let t = Self.statistics(k, column: leaf.path) else { return nil }
                if case .compare(_, .equal, let s) = t { scalars.append(s) } else if case .isNotNull = t { return nil }
            }
            return scalars.isEmpty ? nil : .isIn(column: leaf.path, scalars)
        }
    }

    /// A primitive column reachable through structs, whose dotted path names exactly its leaf.
    private func leaf(_ name: String) -> (path: String, converter: LiteralConverter)? {
        guard let c = PredicateColumn.resolve(name, in: fields),
            !c.fieldNames.contains(where: { $0.contains(".") }),
            c.field.physicalType != .int96,
            let converter = try? LiteralConverter(c)
        else { return nil }
        return (c.fieldNames.joined(separator: "."), converter)
    }

    /// The same equality kernel as an inequality.
    private static func notEqual(_ k: LeafKernel) -> LeafKernel? {
        func ne<V>(_ t: RangeTest<V>) -> RangeTest<V>? {
            if case .op(.equal, let v) = t { return .op(.notEqual, v) }
            return nil
        }
        switch k {
        case .boolean(let t): return ne(t).map { .boolean($0) }
        case .int32(let t, let m): return ne(t).map { .int32($0, mask: m) }
        case .int64(let t, let m): return ne(t).map { .int64($0, mask: m) }
        case .float(let t): return ne(t).map { .float($0) }
        case .double(let t): return ne(t).map { .double($0) }
        case .half(let t): return ne(t).map { .half($0) }
        case .bytes(let t): return ne(t).map { .bytes($0) }
        case .signedBytes(let t): return ne(t).map { .signedBytes($0) }
        }
    }

    /// A converted comparison as a statistics predicate, nil when statistics cannot decide it.
    private static func statistics(_ kernel: LeafKernel, column c: String) -> ParquetPredicate? {
        func from<V>(_ t: RangeTest<V>, _ scalar: (ComparisonOperator, V) -> ParquetScalar?) -> ParquetPredicate? {
            switch t {
            case .always: return .isNotNull(column: c)
            case .never: return nil
            case .op(let op, let v): return scalar(op, v).map { .compare(column: c, op, $0) }
            }
        }
        /// NaN is in no statistics: only tests no NaN satisfies can prune.
        func nanFree(_ op: ComparisonOperator, _ v: Double) -> ParquetScalar? {
            guard !v.isNaN, op == .less || op == .lessOrEqual || op == .equal else { return nil }
            return .double(v)
        }
        switch kernel {
        case .boolean(let t):
            return from(t) { _, v in .bool(v) }
        case .int32(let t, let mask):
            return from(t) { _, key in .int(mask == 0 ? Int64(key) : Int64(UInt32(bitPattern: key ^ mask))) }
        case .int64(let t, let mask):
            return from(t) { _, key in
                if mask == 0 { return .int(key) }
                let u = UInt64(bitPattern: key ^ mask)
                return u <= UInt64(Int64.max) ? .int(Int64(u)) : nil
            }
        case .float(let t):
            return from(t) { op, v in nanFree(op, Double(v)) }
        case .double(let t):
            return from(t) { op, v in nanFree(op, v) }
        case .half:
            return nil
        case .bytes(let t), .signedBytes(let t):
            return from(t) { _, v in .bytes(v) }
        }
    }
}
