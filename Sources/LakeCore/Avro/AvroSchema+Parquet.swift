/// Conversion between the Parquet schema of a table's data columns and the Avro record schema
/// Hudi stores in `extraMetadata.schema`.
///
/// Parquet → Avro follows what Java Hudi writes (Spark's `SchemaConverters` plus Hudi's
/// null-first unions with `"default": null`), so lake's commits carry the same schema text a
/// Java writer would:
/// * The record is `<table>_record` in namespace `hoodie.<table>` (characters outside
///   `[A-Za-z0-9_]` in the table name become `_`).
/// * A nested record is named after its field, in the namespace `<parent namespace>.<parent
///   name>`; the element record of a list and the value record of a map take the list's or map's
///   field name and the same namespace; a decimal's `fixed` is named `fixed` in namespace
///   `<namespace>.<field name>`.
/// * A nullable (OPTIONAL) field is `["null", T]` with `"default": null`; nullable list elements
///   and map values are `["null", T]`. REQUIRED fields are plain `T` without default.
///
/// | Parquet (physical / logical) | Avro |
/// |---|---|
/// | BOOLEAN | `boolean` |
/// | INT32, INT(8/16/32, signed), INT(8/16, unsigned) | `int` |
/// | INT32 INT(32, unsigned) | `long` |
/// | INT32 DATE | `{"type":"int","logicalType":"date"}` |
/// | INT32 TIME(MILLIS) | `int` `time-millis` |
/// | INT64, INT(64, signed) | `long` |
/// | INT64 TIMESTAMP(MILLIS/MICROS/NANOS, UTC) | `long` `timestamp-millis` / `-micros` / `-nanos` |
/// | INT64 TIMESTAMP(…, not UTC) | `long` `local-timestamp-millis` / `-micros` / `-nanos` |
/// | INT64 TIME(MICROS) | `long` `time-micros` |
/// | FLOAT / DOUBLE | `float` / `double` |
/// | BYTE_ARRAY STRING / ENUM / JSON | `string` |
/// | BYTE_ARRAY (none) / BSON | `bytes` |
/// | BYTE_ARRAY DECIMAL(p,s) | `{"type":"bytes","logicalType":"decimal",…}` |
/// | FIXED_LEN_BYTE_ARRAY(n) DECIMAL(p,s) | `{"type":"fixed","name":"fixed","size":n,"logicalType":"decimal",…}` |
/// | INT32 / INT64 DECIMAL(p,s) | `fixed` decimal of the minimal size for p (as Spark) |
/// | FIXED_LEN_BYTE_ARRAY(n) (none, UUID) | `{"type":"fixed","name":"fixed","size":n}` |
/// | group (no annotation) | `record` |
/// | LIST (3-level or legacy 2-level) | `{"type":"array","items":…}` |
/// | MAP with a string key | `{"type":"map","values":…}` |
///
/// Not convertible (`.unsupported`): INT96, FLOAT16, INT(64, unsigned), TIME(NANOS), MAP keys that
/// are not strings, and a schema whose JSON text nests deeper than ``AvroSchema/maxReadableDepth``
/// (hudi-rs cannot parse it). Field names must be valid Avro names (`[A-Za-z_][A-Za-z0-9_]*`)
/// and unique per record (`.invalidArgument`). Writes apply the type rules first
/// (``TableSchema/storedField(_:)``), which turn INT96, FLOAT16, unsigned integers and local
/// timestamps into types that convert.
///
/// Avro → Parquet (for tables whose schema Java wrote; every reference table's commit and
/// create schema converts) is the inverse: `[T, "null"]` / `["null", T]` → OPTIONAL T, plain T →
/// REQUIRED, `int` → INT32, `long` → INT64, logical types as in the table, `string` (and `uuid`) →
/// BYTE_ARRAY STRING, `enum` → BYTE_ARRAY ENUM, `bytes` → BYTE_ARRAY, `fixed` →
/// FIXED_LEN_BYTE_ARRAY(size), arrays → standard 3-level LIST (`list.element`), maps → MAP
/// (`key_value.key` REQUIRED STRING, `key_value.value`), records → groups. Unions of more than one
/// non-null type, a bare `null`, and recursive records are `.unsupported`. Note that Java's
/// parquet-avro writes lists in the legacy 2-level form (`repeated group array`); the Parquet
/// reader has to map those to the 3-level form this returns.
extension AvroSchema {
    /// The Avro record name and namespace Java Hudi uses for a table:
    /// (`<table>_record`, `hoodie.<table>`), sanitized to valid Avro names.
    public static func recordNameAndNamespace(forTable table: String) -> (name: String, namespace: String) {
        let t = AvroNames.sanitized(table)
        return (t + "_record", "hoodie." + t)
    }

    /// The table schema for `extraMetadata.schema` from the data columns (meta columns excluded)
    /// of a Parquet schema.
    /// - Throws: `.unsupported` or `.invalidArgument` per the type's documentation, naming the column.
    /// - Throws: `.unsupported` or `.invalidArgument` per the type's documentation, naming the
    ///   column; `.unsupported` naming the column when the schema's JSON text would nest deeper
    ///   than ``maxReadableDepth`` levels.
    public static func tableSchema(
        fromParquet fields: [ParquetField], tableName: String
    ) throws(LakeError) -> AvroSchema {
        let (name, ns) = recordNameAndNamespace(forTable: tableName)
        let record = try ParquetToAvro.record(fields, name: name, namespace: ns, path: "")
        let schema = AvroSchema.record(record)
        let depth = schema.jsonDepth
        if depth > maxReadableDepth {
            // Name the column that nests deepest (each field alone in a record of its own).
            var deepest = (name: fields.first?.name ?? "", depth: 0)
            for f in record.fields {
                let d = AvroSchema.record(AvroRecord(name: name, namespace: ns, fields: [f])).jsonDepth
                if d > deepest.depth { deepest = (f.name, d) }
            }
            throw LakeError(
                .unsupported,
                "column '\(deepest.name)' is nested too deeply for Hudi readers: the table's "
                    + "Avro schema would be \(deepest.depth) JSON levels deep and hudi-rs parses at most "
                    + "\(maxReadableDepth) (about 30 levels of nullable structs); flatten it or "
                    + "store it as JSON text")
        }
        return schema
    }

    /// The deepest JSON nesting (objects and arrays) of a table schema's text that every Hudi
    /// reader parses: hudi-rs reads the schema with serde_json, whose recursion limit is 128
    /// (a schema 128 levels deep fails to parse; measured with hudi 0.5.0).
    public static let maxReadableDepth = 127

    /// The nesting depth of ``jsonString`` (objects and arrays; a bare string is 0).
    public var jsonDepth: Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for b in jsonString.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if b == 0x5C {
                    escaped = true
                } else if b == 0x22 {
                    inString = false
                }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1; deepest = max(deepest, depth)
            case 0x7D, 0x5D: depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// The Parquet fields of a record schema's fields.
    /// - Throws: `.invalidArgument` if this is not a record; `.unsupported` for types Parquet
    ///   cannot hold as lake maps them (see the type's documentation), naming the field path.
    public func parquetFields() throws(LakeError) -> [ParquetField] {
        guard case .record(let r) = self else {
            throw LakeError(.invalidArgument, "Avro schema is not a record; a table schema must be one")
        }
        var converter = AvroToParquet()
        converter.register(self)
        return try converter.fields(of: r, path: "")
    }

    /// The Parquet schema of a record schema (root named `schema`).
    public func parquetSchema() throws(LakeError) -> ParquetSchema {
        ParquetSchema(try parquetFields())
    }
}

// MARK: - Parquet → Avro

private enum ParquetToAvro {
    static func record(
        _ fields: [ParquetField], name: String, namespace: String, path: String
    ) throws(LakeError) -> AvroRecord {
        let childNamespace = namespace.isEmpty ? name : namespace + "." + name
        var seen = Set<String>()
        var out: [AvroField] = []
        for f in fields {
            let p = path.isEmpty ? f.name : path + "." + f.name
            guard AvroNames.isValid(f.name) else {
                throw LakeError(
                    .invalidArgument,
                    "column '\(p)' is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*); Hudi table schemas need one")
            }
            guard seen.insert(f.name).inserted else {
                throw LakeError(.invalidArgument, "column name '\(p)' occurs twice")
            }
            let (type, nullable) = try convert(f, recordName: f.name, namespace: childNamespace, path: p)
            out.append(nullable ? .nullable(f.name, type) : AvroField(name: f.name, type: type))
        }
        return AvroRecord(name: name, namespace: namespace, fields: out)
    }

    /// The Avro type of a field and whether it is nullable (OPTIONAL). A REPEATED field outside a
    /// LIST is a required array of required elements.
    static func convert(
        _ f: ParquetField, recordName: String, namespace: String, path: String
    ) throws(LakeError) -> (AvroSchema, Bool) {
        if f.repetition == .repeated {
            var element = f
            element.repetition = .required
            let (t, _) = try convert(element, recordName: recordName, namespace: namespace, path: path)
            return (.array(items: t), false)
        }
        let nullable = f.repetition == .optional
        switch f.kind {
        case .primitive(let physical, let length, let logical, let converted):
            return (
                try primitive(
                    physical, length: length, logical: logical ?? converted.flatMap(logicalFromConverted),
                    recordName: recordName, namespace: namespace, path: path), nullable
            )
        case .group(let children, let logical, let converted):
            if logical == .list || converted == .list {
                return (
                    .array(
                        items: try listElement(f, children, recordName: recordName, namespace: namespace, path: path)),
                    nullable
                )
            }
            if logical == .map || converted == .map || converted == .mapKeyValue {
                return (
                    .map(values: try mapValue(f, children, recordName: recordName, namespace: namespace, path: path)),
                    nullable
                )
            }
            return (.record(try record(children, name: recordName, namespace: namespace, path: path)), nullable)
        }
    }

    static func listElement(
        _ f: ParquetField, _ children: [ParquetField], recordName: String, namespace: String, path: String
    ) throws(LakeError) -> AvroSchema {
        guard children.count == 1, children[0].repetition == .repeated else {
            throw LakeError(.unsupported, "column '\(path)': LIST group must have exactly one repeated child")
        }
        let repeated = children[0]
        var element: ParquetField
        switch repeated.kind {
        case .primitive:
            element = repeated  // legacy: repeated primitive is the element
            element.repetition = .required
        case .group(let inner, _, _):
            if inner.count != 1 || repeated.name == "array" || repeated.name == f.name + "_tuple" {
                element = repeated  // legacy 2-level: the repeated group is the element record
                element.repetition = .required
            } else {
                element = inner[0]
            }
        }
        let (t, nullable) = try convert(element, recordName: recordName, namespace: namespace, path: path + ".element")
        return nullable ? .nullable(t) : t
    }

    static func mapValue(
        _ f: ParquetField, _ children: [ParquetField], recordName: String, namespace: String, path: String
    ) throws(LakeError) -> AvroSchema {
        guard children.count == 1, children[0].repetition == .repeated, case .group(let kv, _, _) = children[0].kind,
            kv.count == 2
        else {
            throw LakeError(
                .unsupported,
                "column '\(path)': MAP group must have one repeated key_value group with a key and a value")
        }
        let key = kv[0]
        let isString: Bool = {
            guard case .primitive(.byteArray, _, let l, let c) = key.kind else { return false }
            return l == .string || l == .enum || c == .utf8 || c == .enum
        }()
        guard isString else {
            throw LakeError(
                .unsupported,
                "column '\(path)' is a MAP whose keys are not strings, which lake refuses: "
                    + "Hudi table schemas are Avro, whose maps have string keys "
                    + "(store it as a list of key/value structs)")
        }
        let (t, nullable) = try convert(kv[1], recordName: recordName, namespace: namespace, path: path + ".value")
        return nullable ? .nullable(t) : t
    }

    static func logicalFromConverted(_ c: ConvertedType) -> LogicalType? {
        switch c {
        case .utf8: .string
        case .enum: .enum
        case .json: .json
        case .bson: .bson
        case .date: .date
        case .timeMillis: .time(isAdjustedToUTC: true, unit: .millis)
        case .timeMicros: .time(isAdjustedToUTC: true, unit: .micros)
        case .timestampMillis: .timestamp(isAdjustedToUTC: true, unit: .millis)
        case .timestampMicros: .timestamp(isAdjustedToUTC: true, unit: .micros)
        case .int8: .integer(bitWidth: 8, isSigned: true)
        case .int16: .integer(bitWidth: 16, isSigned: true)
        case .int32: .integer(bitWidth: 32, isSigned: true)
        case .int64: .integer(bitWidth: 64, isSigned: true)
        case .uint8: .integer(bitWidth: 8, isSigned: false)
        case .uint16: .integer(bitWidth: 16, isSigned: false)
        case .uint32: .integer(bitWidth: 32, isSigned: false)
        case .uint64: .integer(bitWidth: 64, isSigned: false)
        // A DECIMAL converted type carries its precision and scale in the schema element,
        // which ParquetField does not keep without a logical type.
        case .decimal, .map, .mapKeyValue, .list, .interval: nil
        }
    }

    static func primitive(
        _ physical: PhysicalType, length: Int32?, logical: LogicalType?, recordName: String,
        namespace: String, path: String
    ) throws(LakeError) -> AvroSchema {
        func unsupported(_ what: String) -> LakeError {
            LakeError(
                .unsupported,
                "column '\(path)' has type \(what), which lake refuses: "
                    + "Hudi table schemas are Avro, which has no equivalent type (see the type rules in docs/tables.md)"
            )
        }
        func fixed(size: Int, logical: AvroLogicalType?) -> AvroSchema {
            .fixed(
                AvroFixed(
                    name: "fixed", namespace: namespace.isEmpty ? recordName : namespace + "." + recordName,
                    size: size, logical: logical))
        }
        if case .decimal(let p, let s)? = logical {
            let d = AvroLogicalType.decimal(precision: Int(p), scale: Int(s))
            switch physical {
            case .byteArray: return .primitive(.bytes, logical: d)
            case .fixedLenByteArray: return fixed(size: Int(length ?? 0), logical: d)
            case .int32, .int64: return fixed(size: ParquetField.decimalByteWidth(precision: Int(p)), logical: d)
            default: throw unsupported("DECIMAL on \(physical.name)")
            }
        }
        switch physical {
        case .boolean:
            return .boolean
        case .int32:
            switch logical {
            case nil, .integer(8, _), .integer(16, _), .integer(32, true): return .int
            case .integer(32, false): return .long
            case .date: return .primitive(.int, logical: .date)
            case .time(_, .millis): return .primitive(.int, logical: .timeMillis)
            default: throw unsupported("INT32 \(logical!.description)")
            }
        case .int64:
            switch logical {
            case nil, .integer(64, true): return .long
            case .timestamp(let utc, .millis):
                return .primitive(.long, logical: utc ? .timestampMillis : .localTimestampMillis)
            case .timestamp(let utc, .micros):
                return .primitive(.long, logical: utc ? .timestampMicros : .localTimestampMicros)
            case .timestamp(let utc, .nanos):
                return .primitive(.long, logical: utc ? .timestampNanos : .localTimestampNanos)
            case .time(_, .micros): return .primitive(.long, logical: .timeMicros)
            default: throw unsupported("INT64 \(logical!.description)")
            }
        case .int96:
            throw unsupported("INT96")
        case .float:
            return .float
        case .double:
            return .double
        case .byteArray:
            switch logical {
            case .string?, .enum?, .json?: return .string
            case nil, .bson?: return .bytes
            default: throw unsupported("BYTE_ARRAY \(logical!.description)")
            }
        case .fixedLenByteArray:
            switch logical {
            case nil, .uuid?: return fixed(size: Int(length ?? 0), logical: nil)
            default: throw unsupported("FIXED_LEN_BYTE_ARRAY \(logical!.description)")
            }
        }
    }
}

// MARK: - Avro → Parquet

private struct AvroToParquet {
    /// Named types by full name, for resolving references.
    var named: [String: AvroSchema] = [:]
    /// Records being converted, to detect recursion.
    var inProgress: Set<String> = []

    mutating func register(_ s: AvroSchema) {
        switch s {
        case .record(let r):
            if named[r.fullName] == nil {
                named[r.fullName] = s
                for f in r.fields { register(f.type) }
            }
        case .enumeration(let e): named[e.fullName] = s
        case .fixed(let f): named[f.fullName] = s
        case .array(let items): register(items)
        case .map(let values): register(values)
        case .union(let branches): for b in branches { register(b) }
        case .primitive, .reference: break
        }
    }

    mutating func fields(of r: AvroRecord, path: String) throws(LakeError) -> [ParquetField] {
        guard inProgress.insert(r.fullName).inserted else {
            throw LakeError(.unsupported, "field '\(path)': recursive record \(r.fullName) cannot be stored in Parquet")
        }
        defer { inProgress.remove(r.fullName) }
        var out: [ParquetField] = []
        for f in r.fields {
            out.append(try field(f.name, f.type, path: path.isEmpty ? f.name : path + "." + f.name))
        }
        return out
    }

    /// The Parquet field for an Avro type; nullability from a `null` union branch.
    mutating func field(_ name: String, _ type: AvroSchema, path: String) throws(LakeError) -> ParquetField {
        var t = type
        var nullable = false
        if case .union(let branches) = type {
            let nonNull = branches.filter { $0 != .null }
            guard nonNull.count == 1 else {
                throw LakeError(
                    .unsupported,
                    "field '\(path)': a union of \(nonNull.isEmpty ? "only null" : "\(nonNull.count) non-null types") cannot be stored in Parquet"
                )
            }
            nullable = nonNull.count < branches.count
            t = nonNull[0]
        }
        if case .reference(let full) = t {
            guard let resolved = named[full] else {
                throw LakeError(.invalidInput, "field '\(path)': unknown Avro type \(full)")
            }
            t = resolved
        }
        switch t {
        case .primitive(let p, let logical):
            return try primitive(name, p, logical, nullable: nullable, path: path)
        case .record(let r):
            return .structure(name, try fields(of: r, path: path), nullable: nullable)
        case .enumeration:
            return .primitive(name, .byteArray, logical: .enum, nullable: nullable)
        case .array(let items):
            return .list(name, element: try field("element", items, path: path + ".element"), nullable: nullable)
        case .map(let values):
            return .map(
                name, key: .string("key", nullable: false), value: try field("value", values, path: path + ".value"),
                nullable: nullable)
        case .fixed(let f):
            if case .decimal(let p, let s)? = f.logical {
                return .primitive(
                    name, .fixedLenByteArray, logical: .decimal(precision: Int32(p), scale: Int32(s)),
                    typeLength: Int32(f.size), nullable: nullable)
            }
            return .fixedBinary(name, width: Int32(f.size), nullable: nullable)
        case .union:
            throw LakeError(.unsupported, "field '\(path)': nested unions cannot be stored in Parquet")
        case .reference(let full):
            throw LakeError(.invalidInput, "field '\(path)': unresolved Avro type \(full)")
        }
    }

    func primitive(
        _ name: String, _ p: AvroPrimitive, _ logical: AvroLogicalType?, nullable: Bool, path: String
    ) throws(LakeError) -> ParquetField {
        switch (p, logical) {
        case (.null, _):
            throw LakeError(.unsupported, "field '\(path)': a field of type null cannot be stored in Parquet")
        case (.boolean, _): return .boolean(name, nullable: nullable)
        case (.int, .date?): return .date(name, nullable: nullable)
        case (.int, .timeMillis?):
            return .primitive(name, .int32, logical: .time(isAdjustedToUTC: true, unit: .millis), nullable: nullable)
        case (.int, _): return .int32(name, nullable: nullable)
        case (.long, .timestampMillis?): return .timestamp(name, unit: .millis, nullable: nullable)
        case (.long, .timestampMicros?): return .timestamp(name, unit: .micros, nullable: nullable)
        case (.long, .timestampNanos?): return .timestamp(name, unit: .nanos, nullable: nullable)
        case (.long, .localTimestampMillis?):
            return .primitive(
                name, .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .millis), nullable: nullable)
        case (.long, .localTimestampMicros?):
            return .primitive(
                name, .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .micros), nullable: nullable)
        case (.long, .localTimestampNanos?):
            return .primitive(
                name, .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .nanos), nullable: nullable)
        case (.long, .timeMicros?):
            return .primitive(name, .int64, logical: .time(isAdjustedToUTC: true, unit: .micros), nullable: nullable)
        case (.long, _): return .int64(name, nullable: nullable)
        case (.float, _): return .float(name, nullable: nullable)
        case (.double, _): return .double(name, nullable: nullable)
        case (.bytes, .decimal(let pr, let sc)?):
            return .primitive(
                name, .byteArray, logical: .decimal(precision: Int32(pr), scale: Int32(sc)), nullable: nullable)
        case (.bytes, _): return .binary(name, nullable: nullable)
        case (.string, _): return .string(name, nullable: nullable)
        }
    }
}
