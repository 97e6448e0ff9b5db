import LakeCore

extension IngestMapping {
    /// Reads a mapping file (JSON):
    ///
    /// ```json
    /// {
    ///   "table": {"name": "customer", "recordKey": "id", "precombine": null,
    ///             "partitionFields": ["partitionkey", "partitionkey2"], "hiveStyle": true,
    ///             "cleanerCommitsRetained": 2, "properties": {"hoodie.parquet.max.file.size": "64MiB"}},
    ///   "columns": [
    ///     {"source": "dynamodb.NewImage.id.S", "sourceType": "S", "target": "id", "targetType": "string"},
    ///     ["dynamodb.NewImage.email.S", "string", "email", "string"]
    ///   ],
    ///   "derived": [{"target": "partitionkey", "expression": "substr(id, -1, 1)", "targetType": "string"}],
    ///   "unmappedAttributes": "ignore"
    /// }
    /// ```
    ///
    /// A column is an object or a Glue `ApplyMapping` tuple `[source, sourceType, target, targetType]`
    /// (`"mappings"` is accepted for `"columns"`). `sourceType` is a DynamoDB type (`S`, `N`, …)
    /// or its name (`string`, `number`, `binary`, `boolean`, `null`, `string_set`, `number_set`,
    /// `binary_set`, `list`, `map`); for non-attribute sources any Glue type name is accepted and
    /// ignored. `targetType` may be omitted (or `"auto"`) to infer. Unknown keys are errors.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` naming the entry and the problem.
    public init(json bytes: [UInt8]) throws(LakeError) {
        let root = try JSONParser().parse(bytes)
        guard case .object(let members) = root else { throw Self.error("the mapping must be a JSON object") }
        var columns: [MappedColumn] = []
        var derived: [DerivedColumn] = []
        var table = TableSettings()
        var unmapped = UnmappedPolicy.ignore
        for m in members {
            switch m.key {
            case "columns", "mappings":
                guard case .array(let items) = m.value else { throw Self.error("'\(m.key)' must be an array") }
                for (i, item) in items.enumerated() { columns.append(try Self.column(item, index: i)) }
            case "derived":
                guard case .array(let items) = m.value else { throw Self.error("'derived' must be an array") }
                for (i, item) in items.enumerated() { derived.append(try Self.derived(item, index: i)) }
            case "table":
                table = try Self.table(m.value)
            case "unmappedAttributes":
                guard let s = m.value.stringValue, let p = UnmappedPolicy(rawValue: s) else {
                    throw Self.error("'unmappedAttributes' must be \"ignore\" or \"infer\"")
                }
                unmapped = p
            case "description", "comment", "$schema":
                continue
            default:
                throw Self.error("unknown key '\(m.key)' (known: table, columns, derived, unmappedAttributes)")
            }
        }
        self.init(columns: columns, derived: derived, table: table, unmappedAttributes: unmapped)
        try validate()
    }

    /// Reads a mapping file from disk.
    public static func load(path: String) throws(LakeError) -> IngestMapping {
        let bytes = try FileBytes.read(path)
        do throws(LakeError) {
            return try IngestMapping(json: bytes)
        } catch {
            throw LakeError(error.code, "\(path): \(error.message)")
        }
    }

    static func error(_ message: String) -> LakeError { LakeError(.invalidArgument, "mapping: " + message) }

    static func column(_ v: JSONValue, index: Int) throws(LakeError) -> MappedColumn {
        var source: String?
        var sourceType: String?
        var target: String?
        var targetType: String?
        switch v {
        case .array(let parts):
            guard parts.count == 4 || parts.count == 3 else {
                throw error("column \(index + 1): a tuple is [source, sourceType, target, targetType]")
            }
            source = parts[0].stringValue
            sourceType = parts[1].stringValue
            target = parts[2].stringValue
            targetType = parts.count == 4 ? parts[3].stringValue : nil
        case .object(let members):
            for m in members {
                guard let s = m.value.stringValue ?? (m.value.isNull ? "" : nil) else {
                    throw error("column \(index + 1): '\(m.key)' must be a string")
                }
                switch m.key {
                case "source", "path": source = s
                case "sourceType": sourceType = s.isEmpty ? nil : s
                case "target", "name": target = s
                case "targetType", "type": targetType = s.isEmpty ? nil : s
                default:
                    throw error(
                        "column \(index + 1): unknown key '\(m.key)' (known: source, sourceType, target, targetType)")
                }
            }
        default:
            throw error("column \(index + 1) must be an object or a tuple")
        }
        guard let src = source, !src.isEmpty else { throw error("column \(index + 1) has no source") }
        let path = try SourcePath(parsing: src)
        // Without a target, the column is named after the attribute, as inference names it.
        let name =
            target
            ?? {
                if case .image(_, let steps) = path {
                    return AttributeNaming.columnName(forAttribute: steps.last!.name)
                }
                return nil
            }()
        guard let t = name, !t.isEmpty else { throw error("column \(index + 1) (\(src)) has no target") }
        var attrType: AttributeType?
        if let st = sourceType, case .image = path {
            guard let a = attributeType(named: st) else {
                throw error(
                    "column '\(t)': unknown source type '\(st)' (use S, N, B, BOOL, NULL, SS, NS, BS, L, M or their names)"
                )
            }
            if let p = path.requiredAttributeType, p != a, a != .null {
                throw error("column '\(t)': source type \(st) contradicts the path's type \(p)")
            }
            attrType = a
        }
        var tt: ColumnType?
        if let s = targetType, s.lowercased() != "auto" {
            do throws(LakeError) {
                tt = try ColumnType(parsing: s)
            } catch {
                throw Self.error("column '\(t)': \(error.message)")
            }
        }
        return MappedColumn(source: path, sourceType: attrType, target: t, targetType: tt)
    }

    /// A DynamoDB type from its descriptor or a name.
    static func attributeType(named s: String) -> AttributeType? {
        if let t = AttributeType(descriptor: s) { return t }
        switch s.lowercased() {
        case "string": return .s
        case "number", "long", "bigint", "int", "integer", "double", "decimal": return .n
        case "binary": return .b
        case "boolean", "bool": return .bool
        case "null": return .null
        case "string_set", "stringset": return .ss
        case "number_set", "numberset": return .ns
        case "binary_set", "binaryset": return .bs
        case "list", "array": return .l
        case "map", "struct": return .m
        default: return nil
        }
    }

    static func derived(_ v: JSONValue, index: Int) throws(LakeError) -> DerivedColumn {
        guard case .object(let members) = v else { throw error("derived column \(index + 1) must be an object") }
        var target: String?
        var expression: String?
        var targetType: String?
        for m in members {
            guard let s = m.value.stringValue ?? (m.value.isNull ? "" : nil) else {
                throw error("derived column \(index + 1): '\(m.key)' must be a string")
            }
            switch m.key {
            case "target", "name": target = s
            case "expression", "expr": expression = s
            case "targetType", "type": targetType = s.isEmpty ? nil : s
            default:
                throw error(
                    "derived column \(index + 1): unknown key '\(m.key)' (known: target, expression, targetType)")
            }
        }
        guard let t = target, !t.isEmpty else { throw error("derived column \(index + 1) has no target") }
        guard let e = expression, !e.isEmpty else { throw error("derived column '\(t)' has no expression") }
        do throws(LakeError) {
            let expr = try Expression(parsing: e)
            var tt: ColumnType?
            if let s = targetType, s.lowercased() != "auto" { tt = try ColumnType(parsing: s) }
            return DerivedColumn(target: t, expression: expr, targetType: tt)
        } catch {
            throw Self.error("derived column '\(t)': \(error.message)")
        }
    }

    static func table(_ v: JSONValue) throws(LakeError) -> TableSettings {
        guard case .object(let members) = v else { throw error("'table' must be an object") }
        var t = TableSettings()
        func names(_ v: JSONValue, _ key: String) throws(LakeError) -> [String] {
            if let s = v.stringValue {
                return s.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
            }
            guard case .array(let items) = v else {
                throw error("table.\(key) must be a string or an array of strings")
            }
            var out: [String] = []
            for i in items {
                guard let s = i.stringValue else { throw error("table.\(key) must be a string or an array of strings") }
                out.append(s)
            }
            return out
        }
        for m in members {
            switch m.key {
            case "name":
                guard let s = m.value.stringValue else { throw error("table.name must be a string") }
                t.name = s
            case "recordKey", "recordKeyFields", "key":
                t.recordKey = try names(m.value, m.key)
            case "precombine", "precombineField", "ordering":
                if m.value.isNull { t.precombine = nil; continue }
                guard let s = m.value.stringValue else { throw error("table.precombine must be a string or null") }
                t.precombine = s
            case "partitionFields", "partitionBy":
                t.partitionFields = try names(m.value, m.key)
            case "hiveStyle", "hiveStylePartitioning":
                guard let b = m.value.boolValue else { throw error("table.hiveStyle must be true or false") }
                t.hiveStyle = b
            case "cleanerCommitsRetained":
                guard let n = m.value.numberValue?.int64, n >= 1 else {
                    throw error("table.cleanerCommitsRetained must be a positive integer")
                }
                t.cleanerCommitsRetained = Int(n)
            case "properties":
                guard case .object(let props) = m.value else { throw error("table.properties must be an object") }
                for p in props {
                    guard
                        let s = p.value.stringValue ?? p.value.numberValue?.text
                            ?? p.value.boolValue.map({ $0 ? "true" : "false" })
                    else {
                        throw error("table.properties.\(p.key) must be a string, number or boolean")
                    }
                    t.properties[p.key] = s
                }
            default:
                throw error(
                    "unknown key 'table.\(m.key)' (known: name, recordKey, precombine, partitionFields, hiveStyle, cleanerCommitsRetained, properties)"
                )
            }
        }
        return t
    }
}

extension String {
    /// Without leading and trailing whitespace.
    var trimmed: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
