import LakeParquet

/// The schema of a table's data columns, and the file schema lake writes: the five Hudi meta
/// columns followed by the data columns.
public struct TableSchema: Sendable, Hashable {
    /// The data columns (partition columns included), without `_hoodie_*` meta columns.
    public var fields: [ParquetField]

    public init(_ fields: [ParquetField]) {
        self.fields = fields.filter { !TableSchema.metaColumns.contains($0.name) }
    }

    /// The Hudi meta columns, in the order Java Hudi writes them.
    public static let metaColumns = [
        "_hoodie_commit_time", "_hoodie_commit_seqno", "_hoodie_record_key",
        "_hoodie_partition_path", "_hoodie_file_name",
    ]

    /// The prefix Hudi reserves for its own columns: the five meta columns, the delete marker
    /// `_hoodie_is_deleted`, `_hoodie_operation` and any later one. No data column may use it.
    public static let reservedPrefix = "_hoodie_"

    /// Whether `name` is reserved for Hudi (starts with ``reservedPrefix``).
    public static func isReserved(_ name: String) -> Bool { name.hasPrefix(reservedPrefix) }

    /// The data columns as a Parquet schema.
    public var dataSchema: ParquetSchema { ParquetSchema(fields) }

    /// The schema of a base file: meta columns then data columns.
    public var fileSchema: ParquetSchema {
        ParquetSchema(Self.metaColumns.map { ParquetField.string($0, nullable: true) } + fields)
    }

    public func field(named name: String) -> ParquetField? { fields.first { $0.name == name } }
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// Reconciles an incoming write's schema with the table's.
    ///
    /// Input columns are first brought to their stored types (the type rules of
    /// ``storageSchema()``: unsigned integers widened, local timestamps as UTC, …). Columns of
    /// the input the table lacks are added as nullable columns (schema evolution); table columns
    /// the input lacks must be nullable and are filled with nulls; a column present in both must
    /// have the same type, or a type the table type can widen to (INT32 → INT64, FLOAT → DOUBLE,
    /// INT32/INT64 → DOUBLE), in which case the table keeps the wider type or is widened.
    /// Anything else is refused with ``LakeError/Code/schemaMismatch`` naming the column and both
    /// types. The result must be a schema every Hudi reader reads (``storageSchema()``).
    /// - Returns: the evolved table schema.
    /// - Throws: `.schemaMismatch` as above; `.unsupported` / `.invalidArgument` for an input
    ///   column no reader could read (naming it), before anything is written.
    public func evolved(with input: ParquetSchema) throws(LakeError) -> TableSchema {
        let evolved = TableSchema(try Self.evolved(fields, with: input.fields, topLevel: true))
        if evolved != self { _ = try AvroSchema.tableSchema(fromParquet: evolved.fields, tableName: "t") }
        return evolved
    }

    /// The fields evolved with `input`'s. Meta columns are skipped at the top level only: a
    /// struct member may have any name.
    static func evolved(
        _ fields: [ParquetField], with input: [ParquetField],
        topLevel: Bool
    ) throws(LakeError) -> [ParquetField] {
        var out = fields
        for f in input where !(topLevel && Self.metaColumns.contains(f.name)) {
            let stored = Self.storedField(f)
            if let i = out.firstIndex(where: { $0.name == f.name }) {
                out[i] = try Self.unify(table: out[i], input: stored)
            } else {
                var added = stored
                if added.repetition == .required { added.repetition = .optional }
                out.append(added)
            }
        }
        for f in out where f.repetition == .required && input.first(where: { $0.name == f.name }) == nil {
            throw LakeError(.schemaMismatch, "column '\(f.name)' is required by the table but missing from the input")
        }
        return out
    }

    /// The wider of two compatible field types.
    static func unify(table t: ParquetField, input i: ParquetField) throws(LakeError) -> ParquetField {
        if sameType(t, i) {
            var r = t
            if i.repetition == .optional && t.repetition == .required {
                // A nullable input for a required column is fine as long as it holds no nulls; checked at write.
                r.repetition = .required
            }
            return r
        }
        switch (t.kind, i.kind) {
        case (.primitive(.int64, _, .timestamp(false, let tu)?, _), .primitive(.int64, _, .timestamp(true, let iu)?, _))
        where tu == iu:
            // A table whose schema has a local timestamp (written before the type rules, or by
            // Java): an input timestamp of the same unit keeps the table's type and numbers.
            return t
        case (.primitive(_, _, .decimal(let tp, let ts)?, _), .primitive(_, _, .decimal(let ip, let iS)?, _))
        where tp == ip && ts == iS:
            // The same decimal in another physical form (INT32/INT64/BYTE_ARRAY): converted on write.
            return t
        case (.primitive(let tp, _, let tl, _), .primitive(let ip, _, let il, _)) where tl == nil && il == nil:
            let widened: PhysicalType? =
                switch (tp, ip) {
                case (.int64, .int32), (.double, .float), (.double, .int32), (.double, .int64): tp
                case (.int32, .int64): .int64
                case (.float, .double): .double
                case (.int32, .double), (.int64, .double): .double
                default: nil
                }
            if let w = widened {
                var r = t
                r.kind = .primitive(w, typeLength: nil, logical: nil, converted: nil)
                return r
            }
        case (.group(let tc, let tl, let tconv), .group(let ic, let il, _)) where tl == il:
            if tl == nil {
                // Structs evolve field by field.
                let merged = try evolved(tc, with: ic, topLevel: false)
                var r = t
                r.kind = .group(merged, logical: nil, converted: tconv)
                return r
            }
        default: break
        }
        throw LakeError(
            .schemaMismatch, "column '\(t.name)' has type \(typeName(t)) in the table but \(typeName(i)) in the input")
    }

    /// Whether two fields hold the same values: equal logical shapes (two- and three-level lists,
    /// MAP and MAP_KEY_VALUE, signed INTEGER annotations and plain INT32/INT64 are the same), the
    /// same physical storage at the leaves, nullability inside the value aside.
    static func sameType(_ a: ParquetField, _ b: ParquetField) -> Bool {
        shapesMatch(ValueShape(field: a), ValueShape(field: b))
    }

    static func shapesMatch(_ a: ValueShape, _ b: ValueShape) -> Bool {
        switch (a, b) {
        case (.leaf(let x), .leaf(let y)):
            return x.physical == y.physical && x.width == y.width
                && (x.type == y.type || (isPlainInteger(x.type) && isPlainInteger(y.type)))
        case (.list(let x, _), .list(let y, _)):
            return shapesMatch(x, y)
        case (.map(let kx, let vx, _), .map(let ky, let vy, _)):
            guard shapesMatch(kx, ky) else { return false }
            switch (vx, vy) {
            case (nil, nil): return true
            case (let p?, let q?): return shapesMatch(p, q)
            default: return false
            }
        case (.structure(let x), .structure(let y)):
            return x.count == y.count
                && zip(x, y).allSatisfy {
                    $0.name == $1.name && $0.isRepeated == $1.isRepeated && shapesMatch($0.shape, $1.shape)
                }
        default:
            return false
        }
    }

    private static func isPlainInteger(_ t: CanonicalType) -> Bool {
        if case .integer(_, true) = t { return true }
        return false
    }

    private static func normalizedLogical(_ l: LogicalType?) -> LogicalType? {
        if case .integer(let bits, true)? = l, bits == 32 || bits == 64 { return nil }
        return l
    }

    /// A readable type name for messages (`int64`, `string`, `decimal(10,2)`, `list<string>`).
    public static func typeName(_ f: ParquetField) -> String {
        switch f.kind {
        case .primitive(let p, let len, let l, _):
            switch l {
            case .string?: return "string"
            case .date?: return "date"
            case .timestamp(_, let u)?: return "timestamp(\(u.name.lowercased()))"
            case .decimal(let pr, let s)?: return "decimal(\(pr),\(s))"
            case let other?: return "\(p.name.lowercased()) (\(other.description))"
            case nil:
                switch p {
                case .byteArray: return "binary"
                case .fixedLenByteArray: return "fixed(\(len ?? 0))"
                default: return p.name.lowercased()
                }
            }
        case .group(let c, let l, _):
            if l == .list, let e = c.first?.children.first { return "list<\(typeName(e))>" }
            if l == .map, let kv = c.first?.children, kv.count == 2 {
                return "map<\(typeName(kv[0])),\(typeName(kv[1]))>"
            }
            return "struct<" + c.map { "\($0.name):\(typeName($0))" }.joined(separator: ",") + ">"
        }
    }
}
