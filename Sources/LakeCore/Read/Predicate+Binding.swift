import LakeParquet

/// A column named in a predicate, found in a schema: the field indices from the top level
/// through struct members, and the field at the end (a leaf for comparisons; any field for
/// `IS [NOT] NULL`).
struct PredicateColumn {
    /// The name as the predicate wrote it.
    var name: String
    /// Top-level field index, then member indices of the structs walked.
    var path: [Int]
    /// Field names along `path`.
    var fieldNames: [String]
    var field: ParquetField

    /// Finds `name` among `fields`: an exact top-level name first, then `struct.member` paths
    /// (at every level an exact member name wins over a dotted split). Only structs are walked;
    /// lists, maps and repeated fields end the path.
    static func resolve(_ name: String, in fields: [ParquetField]) -> PredicateColumn? {
        func find(_ rest: Substring, _ fields: [ParquetField], _ path: [Int], _ names: [String]) -> PredicateColumn? {
            if let i = fields.firstIndex(where: { $0.name == rest }) {
                return PredicateColumn(
                    name: name, path: path + [i], fieldNames: names + [fields[i].name], field: fields[i])
            }
            for (i, f) in fields.enumerated() where rest.hasPrefix(f.name + ".") && isStruct(f) {
                if let r = find(rest.dropFirst(f.name.count + 1), f.children, path + [i], names + [f.name]) { return r }
            }
            return nil
        }
        return find(Substring(name), fields, [], [])
    }

    /// The column or an `.invalidArgument` error listing the top-level columns.
    static func require(_ name: String, in fields: [ParquetField]) throws(LakeError) -> PredicateColumn {
        guard let c = resolve(name, in: fields) else {
            throw LakeError(
                .invalidArgument,
                "where: unknown column \(PredicateSyntax.quoteName(name)) (columns: \(fields.map(\.name).joined(separator: ", ")))"
            )
        }
        return c
    }

    /// Whether members of `field` can be named with `field.member`.
    static func isStruct(_ field: ParquetField) -> Bool {
        guard field.repetition != .repeated, case .structure = ValueShape(field: field) else { return false }
        return true
    }

    /// The field's type for messages: `INT64`, `BYTE_ARRAY (STRING)`, `INT32 (DATE)`, `LIST`.
    var typeName: String { Self.typeName(field) }

    static func typeName(_ f: ParquetField) -> String {
        if f.repetition == .repeated {
            return "repeated " + typeName(ParquetField(name: f.name, repetition: .required, kind: f.kind))
        }
        switch f.kind {
        case .primitive(let p, let width, let logical, let converted):
            var base = p.name
            if p == .fixedLenByteArray, let width { base += "(\(width))" }
            if let logical { return base + " (\(logical.description))" }
            if let converted { return base + " (\(converted.name))" }
            return base
        case .group:
            switch ValueShape(field: f) {
            case .list: return "LIST"
            case .map: return "MAP"
            default: return "struct"
            }
        }
    }

    /// The leaf's value at each row of `batch` with the validity of the whole path (a slot is
    /// null when the leaf or any struct above it is null).
    func values(in batch: RecordBatch) throws(LakeError) -> (data: ColumnData, validity: [Bool]?) {
        guard path[0] < batch.columns.count else {
            throw LakeError(
                .invalidArgument, "where: column \(PredicateSyntax.quoteName(name)) has no data in the batch")
        }
        var column = batch.columns[path[0]]
        var validity = column.validity
        for j in path.dropFirst() {
            guard case .structure(let children) = column.data, j < children.count else {
                throw LakeError(
                    .invalidArgument,
                    "where: column \(PredicateSyntax.quoteName(name)) expects a struct but the batch holds \(column.data.storageName)"
                )
            }
            column = children[j]
            if let cv = column.validity {
                if var v = validity {
                    for i in v.indices where !cv[i] { v[i] = false }
                    validity = v
                } else {
                    validity = cv
                }
            }
        }
        return (column.data, validity)
    }
}

// MARK: Literal conversion

/// A comparison of a leaf's values with one literal, the literal already converted to the
/// leaf's representation.
///
/// Integer kinds compare *keys*: the stored value XOR `mask`, where the mask is the sign bit for
/// unsigned types (so unsigned order becomes signed order) and 0 otherwise. Float kinds use a
/// total order in which NaN equals NaN and is above every other value (as Spark and PostgreSQL
/// do) and -0 equals +0. Bytes compare unsigned lexicographically (a proper prefix first);
/// signed bytes are big-endian two's complement integers of any length (DECIMAL).
enum LeafKernel: Hashable {
    case boolean(RangeTest<Bool>)
    case int32(RangeTest<Int32>, mask: Int32)
    case int64(RangeTest<Int64>, mask: Int64)
    case float(RangeTest<Float>)
    case double(RangeTest<Double>)
    /// FLOAT16 in FIXED_LEN_BYTE_ARRAY(2), compared as `Float`.
    case half(RangeTest<Float>)
    case bytes(RangeTest<[UInt8]>)
    case signedBytes(RangeTest<[UInt8]>)

    /// Whether no value passes (a fractional literal compared for equality with integers, a
    /// literal beyond the type's range).
    var isNever: Bool {
        switch self {
        case .boolean(let t): t == .never
        case .int32(let t, _): t == .never
        case .int64(let t, _): t == .never
        case .float(let t), .half(let t): t == .never
        case .double(let t): t == .never
        case .bytes(let t), .signedBytes(let t): t == .never
        }
    }
}

/// How literals convert for one leaf column.
struct LiteralConverter {
    let column: PredicateColumn
    let type: CanonicalType
    let physical: PhysicalType
    let width: Int

    /// A converter for a resolved column, or `.invalidArgument` when it is not a primitive
    /// (comparisons need a leaf).
    init(_ column: PredicateColumn) throws(LakeError) {
        guard column.field.repetition != .repeated, case .primitive(let p, let w, _, _) = column.field.kind else {
            throw LakeError(
                .invalidArgument,
                "where: column \(PredicateSyntax.quoteName(column.name)) is \(column.typeName); only primitive columns and struct members can be compared (IS NULL works on any column)"
            )
        }
        self.column = column
        type = CanonicalType(column.field)
        physical = p
        width = Int(w ?? 0)
    }

    private func mismatch(_ literal: Predicate.Literal, _ expected: String) -> LakeError {
        LakeError(
            .invalidArgument,
            "where: cannot compare column \(PredicateSyntax.quoteName(column.name)) (\(column.typeName)) with \(literal): \(expected)"
        )
    }

    /// `value op literal` for non-null values; nil for a NULL literal (unknown for every row).
    func kernel(_ op: ComparisonOperator, _ literal: Predicate.Literal) throws(LakeError) -> LeafKernel? {
        if literal == .null { return nil }
        switch type {
        case .boolean:
            guard case .bool(let b) = literal else { throw mismatch(literal, "expected TRUE or FALSE") }
            return .boolean(.op(op, b))
        case .integer(_, let signed):
            guard case .number(let text) = literal else { throw mismatch(literal, "expected a number") }
            return integerKernel(op, try number(text, literal), signed: signed)
        case .decimal(let precision, let scale):
            let n: ExactNumber
            switch literal {
            case .number(let t), .string(let t): n = try number(t, literal)
            default: throw mismatch(literal, "expected a decimal number")
            }
            let scaled = n.scaled(by: scale)
            switch physical {
            case .int32, .int64: return integerKernel(op, scaled, signed: true)
            default:
                let fixed = physical == .fixedLenByteArray ? width : nil
                let maxDigits = fixed.map { $0 * 3 + 1 } ?? max(precision, 38) + 5000
                let bounds = scaled.bigBounds(maxDigits: maxDigits).map { (d: UnscaledDecimal) -> Clamped<[UInt8]> in
                    var out: [UInt8] = []
                    return d.appendBigEndian(width: fixed, to: &out) ? .value(out) : (d.negative ? .below : .above)
                }
                return .signedBytes(bounds.test(op))
            }
        case .date:
            return integerKernel(
                op,
                try temporal(literal, "a date 'YYYY-MM-DD' or a day number") { (b) throws(TextValueError) in
                    ExactNumber(try TemporalText.parseDate(b))
                }, signed: true)
        case .time(let unit):
            return integerKernel(
                op,
                try temporal(literal, "a time 'HH:MM:SS[.fff]' or a number of \(unit.name.lowercased())") {
                    (b) throws(TextValueError) in
                    do throws(TextValueError) {
                        return ExactNumber(try TemporalText.parseTime(b, unit: unit))
                    } catch {
                        // Finer than the unit: an exact fraction of it.
                        guard let nanos = try? TemporalText.parseTime(b, unit: .nanos) else { throw error }
                        return ExactNumber(nanos).scaled(by: TemporalText.fractionDigits(unit) - 9)
                    }
                }, signed: true)
        case .timestamp(let unit, let utc):
            return integerKernel(
                op,
                try temporal(
                    literal,
                    "a timestamp 'YYYY-MM-DDTHH:MM:SS[.fff][Z]' or a number of \(unit.name.lowercased()) since the epoch"
                ) { (b) throws(TextValueError) in
                    try Self.timestamp(b, unit: unit, utc: utc)
                }, signed: true)
        case .float, .double, .float16:
            let value: Double
            var overflow = false
            switch literal {
            case .number(let t):
                let n = try number(t, literal)
                (value, overflow) = rounded(n)
            case .string(let s):
                if let special = Self.nonFinite(s) {
                    value = special
                } else if let n = ExactNumber(text: s) {
                    (value, overflow) = rounded(n)
                } else {
                    throw mismatch(literal, "expected a number, 'NaN', 'Infinity' or '-Infinity'")
                }
            default:
                throw mismatch(literal, "expected a number")
            }
            let test = Self.floatTest(op, value, overflow: overflow)
            switch type {
            case .float: return .float(test.map { Float($0) })
            case .double: return .double(test)
            default: return .half(test.map { Float($0) })
            }
        case .string:
            guard case .string(let s) = literal else { throw mismatch(literal, "expected a quoted string") }
            return .bytes(.op(op, Array(s.utf8)))
        case .binary:
            guard case .string(let s) = literal else { throw mismatch(literal, "expected a quoted base64 string") }
            var bytes: [UInt8] = []
            var text = s
            let result = text.withUTF8 { buf -> TextValueError? in
                do throws(TextValueError) {
                    try Base64.decode(UnsafeRawBufferPointer(buf), appendingTo: &bytes)
                    return nil
                } catch { return error }
            }
            if let result { throw mismatch(literal, "expected base64: \(result.reason)") }
            return .bytes(.op(op, bytes))
        }
    }

    /// The literal rounded to the column's float type (nearest value), and whether it was beyond
    /// the type's finite range.
    private func rounded(_ n: ExactNumber) -> (Double, Bool) {
        let v: Double
        switch type {
        case .float: v = Double(n.float)
        case .float16: v = Double(n.half)
        default: v = n.double
        }
        return (v, v.isInfinite)
    }

    private func number(_ text: String, _ literal: Predicate.Literal) throws(LakeError) -> ExactNumber {
        guard let n = ExactNumber(text: text) else { throw mismatch(literal, "'\(text)' is not a number") }
        return n
    }

    /// A quoted value parsed by `parse`, or a number taken as the stored value.
    private func temporal(
        _ literal: Predicate.Literal, _ expected: String,
        _ parse: (UnsafeRawBufferPointer) throws(TextValueError) -> ExactNumber
    ) throws(LakeError) -> ExactNumber {
        switch literal {
        case .number(let t):
            return try number(t, literal)
        case .string(let s):
            var text = s
            let r = text.withUTF8 { buf -> Result<ExactNumber, TextValueError> in
                do throws(TextValueError) { return .success(try parse(UnsafeRawBufferPointer(buf))) } catch {
                    return .failure(error)
                }
            }
            switch r {
            case .success(let n): return n
            case .failure(let e): throw mismatch(literal, e.reason)
            }
        default:
            throw mismatch(literal, "expected \(expected)")
        }
    }

    /// A timestamp in `unit`: the text at the unit's precision, else at nanosecond precision as
    /// an exact fraction of the unit, else a bare date taken as midnight (UTC when adjusted).
    private static func timestamp(
        _ b: UnsafeRawBufferPointer, unit: TimeUnit, utc: Bool
    ) throws(TextValueError) -> ExactNumber {
        do throws(TextValueError) {
            return ExactNumber(try TemporalText.parseTimestamp(b, unit: unit, utc: utc))
        } catch {
            if let nanos = try? TemporalText.parseTimestamp(b, unit: .nanos, utc: utc) {
                return ExactNumber(nanos).scaled(by: TemporalText.fractionDigits(unit) - 9)
            }
            if let days = try? TemporalText.parseDate(b) {
                let (v, o) = days.multipliedReportingOverflow(by: 86_400 * TemporalText.unitsPerSecond(unit))
                return o ? ExactNumber(negative: days < 0, digits: [1], exponent: 40) : ExactNumber(v)
            }
            throw error
        }
    }

    /// `NaN`, `Infinity`, `-Infinity` (also `inf`, `+inf`, `-inf`, any case).
    static func nonFinite(_ s: String) -> Double? {
        switch s.lowercased() {
        case "nan", "+nan", "-nan": .nan
        case "infinity", "+infinity", "inf", "+inf": .infinity
        case "-infinity", "-inf": -.infinity
        default: nil
        }
    }

    /// The float test for `value op literal`. A literal beyond the finite range lies strictly
    /// between the largest finite value and infinity (NaN stays above it).
    static func floatTest(_ op: ComparisonOperator, _ l: Double, overflow: Bool) -> RangeTest<Double> {
        guard overflow else { return .op(op, l) }
        let positive = l > 0
        switch op {
        case .equal: return .never
        case .notEqual: return .always
        case .less, .lessOrEqual: return positive ? .op(.less, .infinity) : .op(.lessOrEqual, -.infinity)
        case .greater, .greaterOrEqual: return positive ? .op(.greaterOrEqual, .infinity) : .op(.greater, -.infinity)
        }
    }

    /// An integer-valued column (plain integers, dates, times, timestamps, small decimals):
    /// bounds in the logical domain, then keys in the stored type.
    private func integerKernel(_ op: ComparisonOperator, _ n: ExactNumber, signed: Bool) -> LeafKernel {
        switch (physical, signed) {
        case (.int32, true):
            return .int32(n.bounds(Int32.self).test(op), mask: 0)
        case (.int32, false):
            return .int32(n.bounds(UInt32.self).test(op).map { Int32(bitPattern: $0) ^ Int32.min }, mask: Int32.min)
        case (_, true):
            return .int64(n.bounds(Int64.self).test(op), mask: 0)
        case (_, false):
            return .int64(n.bounds(UInt64.self).test(op).map { Int64(bitPattern: $0) ^ Int64.min }, mask: Int64.min)
        }
    }

    /// The values an `IN` list can equal, in the column's representation; `hasNull` when the list
    /// holds NULL.
    func set(_ literals: [Predicate.Literal]) throws(LakeError) -> (values: [LeafKernel], hasNull: Bool) {
        var out: [LeafKernel] = []
        var hasNull = false
        for l in literals {
            guard let k = try kernel(.equal, l) else { hasNull = true; continue }
            out.append(k)
        }
        return (out, hasNull)
    }
}
