extension AvroSchema {
    /// Parses Avro schema JSON (as found in `extraMetadata.schema` or, unescaped,
    /// `hoodie.table.create.schema`).
    ///
    /// Names are resolved per the specification: a dotted `name` carries its namespace, an
    /// absent `namespace` inherits the enclosing one, and a type name that is not a primitive is
    /// a ``reference(_:)`` to a named type by full name. Unknown or malformed logical types are
    /// ignored (the underlying type is used), as the specification requires.
    /// - Throws: `.invalidInput` for invalid JSON or a structure that is not an Avro schema
    ///   (unknown type name, missing `fields`/`items`/`values`/`size`, a reference to an undefined
    ///   name), naming the JSON location.
    public init(json text: String) throws(LakeError) {
        let root = try JSONValue.parse(Array(text.utf8), what: "Avro schema")
        var parser = AvroSchemaParser()
        self = try parser.parse(root, namespace: nil, at: "$")
    }

    /// Compact JSON as Java's `Schema.toString()` writes it: no spaces, keys in Avro's order
    /// (`type`, `name`, `namespace`, `doc`, then `fields`/`symbols`/`items`/`values`/`size`, then
    /// `logicalType`, `precision`, `scale`), `namespace` only where it differs from the enclosing one.
    public var jsonString: String {
        render(namespace: nil).compactText
    }

    private func render(namespace enclosing: String?) -> JSONValue {
        switch self {
        case .primitive(let p, let logical):
            guard let logical else { return .string(p.rawValue) }
            var pairs: [(String, JSONValue)] = [("type", .string(p.rawValue)), ("logicalType", .string(logical.name))]
            if case .decimal(let precision, let scale) = logical {
                pairs.append(("precision", .int(Int64(precision))))
                pairs.append(("scale", .int(Int64(scale))))
            }
            return .object(pairs: pairs)
        case .record(let r):
            var pairs: [(String, JSONValue)] = [("type", .string("record"))]
            Self.writeName(r.name, r.namespace, enclosing: enclosing, into: &pairs)
            if let doc = r.doc { pairs.append(("doc", .string(doc))) }
            pairs.append(
                (
                    "fields",
                    .array(
                        r.fields.map { f in
                            var fp: [(String, JSONValue)] = [
                                ("name", .string(f.name)), ("type", f.type.render(namespace: r.namespace)),
                            ]
                            if let doc = f.doc { fp.append(("doc", .string(doc))) }
                            switch f.defaultValue {
                            case nil: break
                            case .null: fp.append(("default", .null))
                            case .json(let text):
                                // Compact text parsed here: re-rendered compactly, it is the same text.
                                fp.append(("default", (try? JSONParser().parse(Array(text.utf8))) ?? .string(text)))
                            }
                            return .object(pairs: fp)
                        })
                ))
            return .object(pairs: pairs)
        case .enumeration(let e):
            var pairs: [(String, JSONValue)] = [("type", .string("enum"))]
            Self.writeName(e.name, e.namespace, enclosing: enclosing, into: &pairs)
            if let doc = e.doc { pairs.append(("doc", .string(doc))) }
            pairs.append(("symbols", .array(e.symbols.map(JSONValue.string))))
            if let d = e.defaultSymbol { pairs.append(("default", .string(d))) }
            return .object(pairs: pairs)
        case .array(let items):
            return .object(pairs: [("type", .string("array")), ("items", items.render(namespace: enclosing))])
        case .map(let values):
            return .object(pairs: [("type", .string("map")), ("values", values.render(namespace: enclosing))])
        case .union(let branches):
            return .array(branches.map { $0.render(namespace: enclosing) })
        case .fixed(let f):
            var pairs: [(String, JSONValue)] = [("type", .string("fixed"))]
            Self.writeName(f.name, f.namespace, enclosing: enclosing, into: &pairs)
            pairs.append(("size", .int(Int64(f.size))))
            if let logical = f.logical {
                pairs.append(("logicalType", .string(logical.name)))
                if case .decimal(let precision, let scale) = logical {
                    pairs.append(("precision", .int(Int64(precision))))
                    pairs.append(("scale", .int(Int64(scale))))
                }
            }
            return .object(pairs: pairs)
        case .reference(let fullName):
            // Short name when the namespace is the enclosing one, as Java writes references.
            if let enclosing, !enclosing.isEmpty, fullName.hasPrefix(enclosing + "."),
                !fullName.dropFirst(enclosing.count + 1).contains(".")
            {
                return .string(String(fullName.dropFirst(enclosing.count + 1)))
            }
            return .string(fullName)
        }
    }

    /// Java `Schema.Name.writeName`: `namespace` only if it differs from the enclosing one, and
    /// `""` for a null namespace inside a non-null one.
    private static func writeName(
        _ name: String, _ ns: String?, enclosing: String?, into pairs: inout [(String, JSONValue)]
    ) {
        pairs.append(("name", .string(name)))
        let space = ns.flatMap { $0.isEmpty ? nil : $0 }
        let outer = enclosing.flatMap { $0.isEmpty ? nil : $0 }
        if let space {
            if space != outer { pairs.append(("namespace", .string(space))) }
        } else if outer != nil {
            pairs.append(("namespace", .string("")))
        }
    }
}

/// Recursive-descent parser over parsed JSON, tracking defined names.
struct AvroSchemaParser {
    private var defined: Set<String> = []

    private func fail(_ at: String, _ what: String) -> LakeError {
        LakeError(.invalidInput, "Avro schema \(at): \(what)")
    }

    mutating func parse(_ json: JSONValue, namespace: String?, at: String) throws(LakeError) -> AvroSchema {
        switch json {
        case .string(let name):
            if let p = AvroPrimitive(rawValue: name) { return .primitive(p, logical: nil) }
            let full = name.contains(".") ? name : AvroNames.fullName(name, namespace)
            guard defined.contains(full) else { throw fail(at, "unknown type '\(name)'") }
            return .reference(full)
        case .array(let branches):
            var out: [AvroSchema] = []
            for (i, b) in branches.enumerated() { out.append(try parse(b, namespace: namespace, at: "\(at)[\(i)]")) }
            return .union(out)
        case .object:
            return try parseObject(json, namespace: namespace, at: at)
        default:
            throw fail(at, "expected a type name, an array (union) or an object, found \(json.typeName)")
        }
    }

    private mutating func parseObject(_ json: JSONValue, namespace: String?, at: String) throws(LakeError) -> AvroSchema
    {
        guard case .string(let type)? = json["type"] else {
            // {"type": {...}} nests a full schema.
            if let inner = json["type"] { return try parse(inner, namespace: namespace, at: at + ".type") }
            throw fail(at, "object without \"type\"")
        }
        switch type {
        case "record", "error":
            let (name, ns) = try names(json, namespace, at)
            let full = AvroNames.fullName(name, ns)
            defined.insert(full)
            guard case .array(let rawFields)? = json["fields"] else {
                throw fail(at, "record \(full) has no \"fields\" array")
            }
            var fields: [AvroField] = []
            for (i, f) in rawFields.enumerated() {
                let loc = "\(at).fields[\(i)]"
                guard case .string(let fname)? = f["name"] else { throw fail(loc, "field without a name") }
                guard let ftype = f["type"] else { throw fail(loc, "field \(fname) has no type") }
                var def: AvroDefault? = nil
                if let d = f["default"] { def = d.isNull ? .null : .json(d.compactText) }
                fields.append(
                    AvroField(
                        name: fname, type: try parse(ftype, namespace: ns, at: "\(loc).type"),
                        doc: Self.string(f["doc"]), defaultValue: def))
            }
            return .record(AvroRecord(name: name, namespace: ns, doc: Self.string(json["doc"]), fields: fields))
        case "enum":
            let (name, ns) = try names(json, namespace, at)
            defined.insert(AvroNames.fullName(name, ns))
            guard case .array(let raw)? = json["symbols"] else {
                throw fail(at, "enum \(name) has no \"symbols\" array")
            }
            var symbols: [String] = []
            for s in raw {
                guard case .string(let v) = s else { throw fail(at, "enum \(name) has a non-string symbol") }
                symbols.append(v)
            }
            return .enumeration(
                AvroEnum(
                    name: name, namespace: ns, doc: Self.string(json["doc"]), symbols: symbols,
                    defaultSymbol: Self.string(json["default"])))
        case "array":
            guard let items = json["items"] else { throw fail(at, "array without \"items\"") }
            return .array(items: try parse(items, namespace: namespace, at: at + ".items"))
        case "map":
            guard let values = json["values"] else { throw fail(at, "map without \"values\"") }
            return .map(values: try parse(values, namespace: namespace, at: at + ".values"))
        case "fixed":
            let (name, ns) = try names(json, namespace, at)
            defined.insert(AvroNames.fullName(name, ns))
            guard let size = json["size"]?.int64Value, size >= 0, size <= Int32.max else {
                throw fail(at, "fixed \(name) has no valid \"size\"")
            }
            var logical: AvroLogicalType? = nil
            if Self.string(json["logicalType"]) == "decimal", let d = Self.decimal(json, maxBytes: Int(size)) {
                logical = d
            }
            return .fixed(AvroFixed(name: name, namespace: ns, size: Int(size), logical: logical))
        default:
            guard let p = AvroPrimitive(rawValue: type) else {
                // A named type used in object form.
                return try parse(.string(type), namespace: namespace, at: at)
            }
            return .primitive(p, logical: Self.logical(json, on: p))
        }
    }

    /// Name and resolved namespace of a named type.
    private func names(_ json: JSONValue, _ enclosing: String?, _ at: String) throws(LakeError) -> (String, String?) {
        guard case .string(let raw)? = json["name"], !raw.isEmpty else { throw fail(at, "named type without a name") }
        if let dot = raw.lastIndex(of: ".") {
            return (String(raw[raw.index(after: dot)...]), String(raw[..<dot]))
        }
        if case .string(let ns)? = json["namespace"] { return (raw, ns.isEmpty ? nil : ns) }
        return (raw, enclosing)
    }

    private static func string(_ v: JSONValue?) -> String? {
        if case .string(let s)? = v { return s }
        return nil
    }

    private static func logical(_ json: JSONValue, on p: AvroPrimitive) -> AvroLogicalType? {
        guard let name = string(json["logicalType"]) else { return nil }
        let candidates: [AvroLogicalType] = [
            .uuid, .date, .timeMillis, .timeMicros, .timestampMillis, .timestampMicros,
            .timestampNanos, .localTimestampMillis, .localTimestampMicros, .localTimestampNanos,
        ]
        if name == "decimal" { return p == .bytes ? decimal(json, maxBytes: nil) : nil }
        guard let l = candidates.first(where: { $0.name == name }), l.primitive == p else { return nil }
        return l
    }

    /// A valid decimal annotation (precision ≥ 1, 0 ≤ scale ≤ precision, fits `maxBytes`), else `nil`.
    private static func decimal(_ json: JSONValue, maxBytes: Int?) -> AvroLogicalType? {
        guard let precision = json["precision"]?.int64Value, precision >= 1, precision <= 1000 else { return nil }
        var scale: Int64 = 0
        if let s = json["scale"] {
            guard let v = s.int64Value else { return nil }
            scale = v
        }
        guard scale >= 0, scale <= precision else { return nil }
        if let maxBytes, ParquetField.decimalByteWidth(precision: Int(precision)) > maxBytes { return nil }
        return .decimal(precision: Int(precision), scale: Int(scale))
    }
}
