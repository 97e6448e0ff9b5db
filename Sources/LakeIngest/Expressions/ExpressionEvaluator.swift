import LakeCore

/// Evaluates derived-column expressions over a decoded batch, column at a time.
///
/// A value a function cannot convert (text that is not a date for `to_date`, …) makes that row
/// an error (reported in ``rowErrors`` and then quarantined or failed like any bad record);
/// the row's result is null. Type errors (a function given a type it does not take) throw: they
/// are mistakes in the mapping, not in the data.
struct ExpressionEvaluator {
    let rowCount: Int
    /// The batch's columns by name; derived columns are added as they are evaluated.
    var columns: [String: TypedColumn]
    /// The first error of each failed row.
    var rowErrors: [Int: String] = [:]

    init(rowCount: Int, columns: [String: TypedColumn]) {
        self.rowCount = rowCount
        self.columns = columns
    }

    mutating func fail(row: Int, _ reason: String) {
        if rowErrors[row] == nil { rowErrors[row] = reason }
    }

    func configError(_ e: Expression, _ why: String) -> LakeError {
        LakeError(.invalidArgument, "expression '\(e)': \(why)")
    }

    /// Evaluates `e`.
    mutating func evaluate(_ e: Expression) throws(LakeError) -> TypedColumn {
        switch e {
        case .column(let name):
            guard let c = columns[name] else {
                throw configError(e, "no column '\(name)' (known: \(columns.keys.sorted().joined(separator: ", ")))")
            }
            return c
        case .literal(let l):
            return literal(l)
        case .call(let f, let args):
            return try call(f, args, e)
        }
    }

    func literal(_ l: Expression.Literal) -> TypedColumn {
        let n = rowCount
        switch l {
        case .null: return .nulls(.string, count: n)
        case .bool(let b): return TypedColumn(Column(.boolean(Array(repeating: b, count: n))), .boolean)
        case .int(let v): return TypedColumn(Column(.int64(Array(repeating: v, count: n))), .int64)
        case .double(let v): return TypedColumn(Column(.double(Array(repeating: v, count: n))), .double)
        case .string(let s):
            var values = ByteArrayValues()
            values.reserve(values: n, bytes: n * s.utf8.count)
            for _ in 0..<n { values.append(s) }
            return TypedColumn(Column(.byteArray(values)), .string)
        }
    }

    /// An integer literal argument.
    func intArgument(_ e: Expression, _ whole: Expression, _ what: String) throws(LakeError) -> Int64 {
        guard case .literal(.int(let v)) = e else { throw configError(whole, "\(what) must be an integer literal") }
        return v
    }

    /// A string literal argument.
    func stringArgument(_ e: Expression, _ whole: Expression, _ what: String) throws(LakeError) -> String {
        guard case .literal(.string(let v)) = e else { throw configError(whole, "\(what) must be a string literal") }
        return v
    }

    /// Builds a string column by calling `body` per non-null row with the row's text.
    func mapText(
        _ input: TypedColumn, _ whole: Expression,
        _ body: (UnsafeRawBufferPointer, inout ByteArrayValues) -> Void
    ) throws(LakeError) -> TypedColumn {
        guard input.hasTextForm else { throw configError(whole, "takes text, not \(input.type)") }
        var scratch: [UInt8] = []
        let reserve = if case .byteArray(let v) = input.column.data { v.bytes.count } else { 0 }
        return stringColumn(reservingBytes: reserve) { i, out in
            scratch.removeAll(keepingCapacity: true)
            guard input.appendText(row: i, to: &scratch) else { return false }
            scratch.withUnsafeBytes { body($0, &out) }
            return true
        }
    }

    /// A string column built row by row: `row(i, &values)` appends row `i`'s value (its bytes and
    /// end offset) and returns `true`, or appends nothing and returns `false` for a null.
    func stringColumn(reservingBytes bytes: Int = 0, _ row: (Int, inout ByteArrayValues) -> Bool) -> TypedColumn {
        var out = ByteArrayValues()
        out.reserve(values: rowCount, bytes: bytes)
        var validity: [Bool]? = nil
        for i in 0..<rowCount {
            if row(i, &out) {
                validity?.append(true)
            } else {
                if validity == nil { validity = Array(repeating: true, count: i) }
                validity!.append(false)
                out.appendEmpty()
            }
        }
        return TypedColumn(Column(.byteArray(out), validity: validity), .string)
    }
}
