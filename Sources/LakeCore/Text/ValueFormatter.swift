/// Renders the values of one field (a ``Column`` slot) in lake's canonical JSON form, or as
/// plain text for CSV and table cells.
///
/// The canonical form (the CLI contract): integers as JSON integers (unsigned types by their
/// unsigned value), floats in shortest round-trip form with `"NaN"`/`"Infinity"`/`"-Infinity"`
/// strings, strings as JSON strings, binary as padded base64, dates `"YYYY-MM-DD"`, times
/// `"HH:MM:SS.fff"` and timestamps `"YYYY-MM-DDTHH:MM:SS.fffZ"` with the unit's 3/6/9 fraction
/// digits (`Z` only when adjusted to UTC), decimals as exact strings with `scale` fraction digits,
/// lists as arrays, maps as arrays of `{"key": k, "value": v}`, structs as objects in schema order.
///
/// Plain text differs only at the top level: strings, dates, decimals, base64 and non-finite
/// floats are written without quotes or escapes, and nested values as their JSON text.
///
/// A formatter is built once per field (resolving logical types and nesting up front) and is
/// cheap to call per slot.
public struct ValueFormatter: Sendable {
    private let plan: Plan

    /// A formatter for the values of `field` (a top-level or nested field; a `repeated` field's
    /// values are lists).
    public init(field: ParquetField) {
        plan = Plan(ValueShape(field: field))
    }

    /// A formatter for single values of a leaf column, ignoring its repetition: statistics and
    /// dictionary values are single leaf values even for repeated leaves.
    public init(leaf descriptor: ColumnDescriptor) {
        plan = Plan(ValueShape(leaf: descriptor.field))
    }

    /// Whether values are numbers (tables right-align them).
    public var isNumeric: Bool {
        if case .leaf(let l) = plan { return l.type.isNumeric }
        return false
    }

    /// Appends the canonical JSON of slot `slot` of `column` (`null` for a null slot).
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` when the column's storage does not match the
    ///   field (wrong physical array, inconsistent nesting); the message names both.
    public func appendJSON(_ column: Column, at slot: Int, to out: inout [UInt8]) throws(LakeError) {
        try Self.append(plan, column, slot, quoted: true, to: &out)
    }

    /// Appends the plain-text rendering of a slot (empty for null; callers that show nulls
    /// check ``Column/isNull(_:)`` first).
    public func appendText(_ column: Column, at slot: Int, to out: inout [UInt8]) throws(LakeError) {
        if slot < column.count && column.isNull(slot) { return }
        try Self.append(plan, column, slot, quoted: false, to: &out)
    }

    /// Appends the canonical JSON of each slot in `rows` as one value of `cells` (`null` for
    /// null slots). Leaf columns are formatted with one dispatch for the whole range.
    ///
    /// - Throws: as ``appendJSON(_:at:to:)``.
    public func appendJSON(_ column: Column, rows: Range<Int>, to cells: inout ByteArrayValues) throws(LakeError) {
        try appendRange(column, rows, quoted: true, nulls: .json, to: &cells)
    }

    /// Appends the plain-text rendering of each slot in `rows` as one value of `cells` (empty
    /// for null slots).
    public func appendText(_ column: Column, rows: Range<Int>, to cells: inout ByteArrayValues) throws(LakeError) {
        try appendRange(column, rows, quoted: false, nulls: .empty, to: &cells)
    }

    private func appendRange(
        _ column: Column, _ rows: Range<Int>, quoted: Bool, nulls: NullForm,
        to cells: inout ByteArrayValues
    ) throws(LakeError) {
        guard rows.lowerBound >= 0 && rows.upperBound <= column.count else {
            throw LakeError(.invalidArgument, "rows \(rows) are outside a column of \(column.count) values")
        }
        if case .leaf(let l) = plan {
            try Self.appendLeaves(
                l, column.data, column.validity, rows, quoted: quoted, nulls: nulls,
                to: &cells.bytes, ends: &cells.offsets, recordEnds: true)
            return
        }
        for r in rows {
            if !(nulls == .empty && column.isNull(r)) {
                try Self.append(plan, column, r, quoted: quoted, to: &cells.bytes)
            }
            cells.offsets.append(cells.bytes.count)
        }
    }

    /// The canonical JSON of a slot as a string (convenience for tests and messages).
    public func json(_ column: Column, at slot: Int) throws(LakeError) -> String {
        var out: [UInt8] = []
        try appendJSON(column, at: slot, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Plan

    private indirect enum Plan: Sendable {
        case leaf(LeafShape)
        case list(Plan)
        case map(key: Plan, value: Plan?)
        /// Member plans with their pre-escaped `"name":` prefixes (the first without a comma).
        case structure([(prefix: [UInt8], plan: Plan)])

        init(_ shape: ValueShape) {
            switch shape {
            case .leaf(let l): self = .leaf(l)
            case .list(let e, _): self = .list(Plan(e))
            case .map(let k, let v, _): self = .map(key: Plan(k), value: v.map(Plan.init))
            case .structure(let members):
                self = .structure(
                    members.enumerated().map { i, m in
                        var prefix: [UInt8] = i == 0 ? [] : [UInt8(ascii: ",")]
                        JSONWriter.appendString(m.name, to: &prefix)
                        prefix.append(UInt8(ascii: ":"))
                        return (prefix, Plan(m.shape))
                    })
            }
        }
    }

    private static func append(
        _ plan: Plan, _ column: Column, _ i: Int, quoted: Bool, to out: inout [UInt8]
    ) throws(LakeError) {
        guard i >= 0 && i < column.count else {
            throw LakeError(.invalidArgument, "slot \(i) is outside a column of \(column.count) values")
        }
        if column.isNull(i) {
            out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
            return
        }
        switch plan {
        case .leaf(let l):
            try appendLeaf(l, column.data, i, quoted: quoted, to: &out)
        case .list(let element):
            guard case .list(let offsets, let child) = column.data else { throw mismatch(column.data, "a list") }
            let (lo, hi) = try range(offsets, i, child.count)
            out.append(UInt8(ascii: "["))
            for k in lo..<hi {
                if k > lo { out.append(UInt8(ascii: ",")) }
                try append(element, child, k, quoted: true, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let keyPlan, let valuePlan):
            guard case .map(let offsets, let keys, let values) = column.data else {
                throw mismatch(column.data, "a map")
            }
            let (lo, hi) = try range(offsets, i, keys.count)
            out.append(UInt8(ascii: "["))
            for k in lo..<hi {
                if k > lo { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "{\"key\":".utf8)
                try append(keyPlan, keys, k, quoted: true, to: &out)
                out.append(contentsOf: ",\"value\":".utf8)
                if let valuePlan, k < values.count {
                    try append(valuePlan, values, k, quoted: true, to: &out)
                } else {
                    out.append(contentsOf: "null".utf8)
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        case .structure(let members):
            guard case .structure(let children) = column.data, children.count == members.count else {
                throw mismatch(column.data, "a struct of \(members.count) fields")
            }
            out.append(UInt8(ascii: "{"))
            for (m, child) in zip(members, children) {
                out.append(contentsOf: m.prefix)
                try append(m.plan, child, i, quoted: true, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always)
    private static func range(_ offsets: [Int], _ i: Int, _ childCount: Int) throws(LakeError) -> (Int, Int) {
        let lo = offsets[i]
        let hi = offsets[i + 1]
        guard lo >= 0 && lo <= hi && hi <= childCount else {
            throw LakeError(
                .invalidArgument, "list offsets \(lo)..<\(hi) at slot \(i) are outside the \(childCount) child values")
        }
        return (lo, hi)
    }

    private static func appendLeaf(
        _ l: LeafShape, _ data: ColumnData, _ i: Int, quoted: Bool, to out: inout [UInt8]
    ) throws(LakeError) {
        var ends: [Int] = []
        try appendLeaves(
            l, data, nil, i..<(i + 1), quoted: quoted, nulls: .json, to: &out, ends: &ends, recordEnds: false)
    }

    /// How ``appendLeaves`` writes a null slot.
    enum NullForm { case json, empty }

    /// Formats leaf values of `rows` with one dispatch on the storage kind, then a tight loop.
    /// When `recordEnds`, appends `out.count` to `ends` after each row (cells of a column).
    private static func appendLeaves(
        _ l: LeafShape, _ data: ColumnData, _ validity: [Bool]?, _ rows: Range<Int>, quoted: Bool,
        nulls: NullForm, to out: inout [UInt8], ends: inout [Int], recordEnds: Bool
    ) throws(LakeError) {
        @inline(__always)
        func each(_ body: (Int, inout [UInt8]) -> Void) {
            for i in rows {
                if let validity, !validity[i] {
                    if nulls == .json {
                        out.append(contentsOf: [
                            UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l"),
                        ])
                    }
                } else {
                    body(i, &out)
                }
                if recordEnds { ends.append(out.count) }
            }
        }
        @inline(__always)
        func quotedEach(_ body: (Int, inout [UInt8]) -> Void) {
            if quoted {
                each { i, o in
                    o.append(UInt8(ascii: "\""))
                    body(i, &o)
                    o.append(UInt8(ascii: "\""))
                }
            } else {
                each(body)
            }
        }
        switch (l.type, data) {
        case (.boolean, .boolean(let v)):
            each { i, o in o.append(contentsOf: v[i] ? "true".utf8 : "false".utf8) }
        case (.integer(_, let signed), .int32(let v)):
            if signed {
                each { i, o in JSONWriter.appendInteger(Int64(v[i]), to: &o) }
            } else {
                each { i, o in JSONWriter.appendInteger(UInt64(UInt32(bitPattern: v[i])), to: &o) }
            }
        case (.integer(_, let signed), .int64(let v)):
            if signed {
                each { i, o in JSONWriter.appendInteger(v[i], to: &o) }
            } else {
                each { i, o in JSONWriter.appendInteger(UInt64(bitPattern: v[i]), to: &o) }
            }
        case (.float, .float(let v)):
            each { i, o in
                if v[i].isFinite || quoted {
                    JSONWriter.appendFloat(v[i], to: &o)
                } else {
                    appendNonFiniteText(Double(v[i]), to: &o)
                }
            }
        case (.double, .double(let v)):
            each { i, o in
                if v[i].isFinite || quoted {
                    JSONWriter.appendDouble(v[i], to: &o)
                } else {
                    appendNonFiniteText(v[i], to: &o)
                }
            }
        case (.float16, .fixedByteArray(let v)) where v.width == 2:
            each { i, o in
                HalfFloat.append(bits: UInt16(v.bytes[2 * i]) | UInt16(v.bytes[2 * i + 1]) << 8, quoted: quoted, to: &o)
            }
        case (.string, .byteArray(let v)):
            v.bytes.withUnsafeBytes { b in
                v.offsets.withUnsafeBufferPointer { offsets in
                    each { i, o in
                        let s = UnsafeRawBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]])
                        if quoted { JSONWriter.appendString(utf8: s, to: &o) } else { o.append(contentsOf: s) }
                    }
                }
            }
        case (.binary, .byteArray(let v)):
            v.bytes.withUnsafeBytes { b in
                quotedEach { i, o in
                    Base64.append(
                        encoding: UnsafeRawBufferPointer(rebasing: b[v.offsets[i]..<v.offsets[i + 1]]), to: &o)
                }
            }
        case (.binary, .fixedByteArray(let v)):
            v.bytes.withUnsafeBytes { b in
                quotedEach { i, o in
                    Base64.append(
                        encoding: UnsafeRawBufferPointer(rebasing: b[(i * v.width)..<((i + 1) * v.width)]), to: &o)
                }
            }
        case (.date, .int32(let v)):
            quotedEach { i, o in TemporalText.appendDate(days: Int64(v[i]), to: &o) }
        case (.time(let unit), .int32(let v)):
            quotedEach { i, o in TemporalText.appendTime(Int64(v[i]), unit: unit, to: &o) }
        case (.time(let unit), .int64(let v)):
            quotedEach { i, o in TemporalText.appendTime(v[i], unit: unit, to: &o) }
        case (.timestamp(let unit, let utc), .int64(let v)):
            quotedEach { i, o in TemporalText.appendTimestamp(v[i], unit: unit, utc: utc, to: &o) }
        case (.decimal(_, let scale), .int32(let v)):
            quotedEach { i, o in DecimalText.appendDecimal(unscaled: Int64(v[i]), scale: scale, to: &o) }
        case (.decimal(_, let scale), .int64(let v)):
            quotedEach { i, o in DecimalText.appendDecimal(unscaled: v[i], scale: scale, to: &o) }
        case (.decimal(_, let scale), .byteArray(let v)):
            v.bytes.withUnsafeBytes { b in
                quotedEach { i, o in
                    DecimalText.appendDecimal(
                        bigEndian: UnsafeRawBufferPointer(rebasing: b[v.offsets[i]..<v.offsets[i + 1]]), scale: scale,
                        to: &o)
                }
            }
        case (.decimal(_, let scale), .fixedByteArray(let v)):
            v.bytes.withUnsafeBytes { b in
                quotedEach { i, o in
                    DecimalText.appendDecimal(
                        bigEndian: UnsafeRawBufferPointer(rebasing: b[(i * v.width)..<((i + 1) * v.width)]),
                        scale: scale, to: &o)
                }
            }
        default:
            throw mismatch(data, "\(l.physical.name) values")
        }
    }

    private static func appendNonFiniteText(_ v: Double, to out: inout [UInt8]) {
        out.append(contentsOf: (v.isNaN ? "NaN" : v.sign == .minus ? "-Infinity" : "Infinity").utf8)
    }

    private static func mismatch(_ data: ColumnData, _ expected: String) -> LakeError {
        LakeError(.invalidArgument, "column holds \(data.storageName) but the field expects \(expected)")
    }
}

extension ColumnData {
    /// A short name of the storage kind for messages (`int64 values`, `a list`).
    public var storageName: String {
        switch self {
        case .boolean: "boolean values"
        case .int32: "int32 values"
        case .int64: "int64 values"
        case .float: "float values"
        case .double: "double values"
        case .byteArray: "byte array values"
        case .fixedByteArray(let v): "fixed byte array values of width \(v.width)"
        case .list: "a list"
        case .map: "a map"
        case .structure(let c): "a struct of \(c.count) fields"
        }
    }
}
