import LakeParquet
import LakeBase

/// Reads a write's input — JSON lines or a Parquet file — into one batch.
///
/// JSON lines are decoded with the table's column types where the table has the column (so dates,
/// timestamps and decimals arrive in their canonical text form); columns the table lacks are
/// inferred from the values: string → STRING, integer → INT64, other numbers → DOUBLE,
/// true/false → BOOLEAN, object → struct, array → list (element types unified; INT64 and
/// DOUBLE unify to DOUBLE). A value that fits no single type (a string in one line and a
/// number in another) is refused with the column, the line and both types.
public enum TableInput {
    /// Decodes JSON lines.
    /// - Parameters:
    ///   - tableSchema: the table's data columns, if it has any yet.
    ///   - extraColumns: control columns to accept besides data (`_hoodie_is_deleted`).
    public static func jsonLines(
        _ bytes: [UInt8], name: String, tableSchema: TableSchema?,
        extraColumns: [ParquetField] = [.boolean(Table.deleteMarkerColumn)]
    ) throws(LakeError) -> RecordBatch {
        // Pass 1: which keys appear, and the inferred types of those the table lacks.
        var inferred: [String: InferredType] = [:]
        var order: [String] = []
        let known = Set((tableSchema?.fields ?? []).map(\.name) + extraColumns.map(\.name))
        try bytes.withRawBytes { raw throws(LakeError) in
            let parser = JSONParser()
            for line in JSONLines(raw) {
                let value: JSONValue
                do throws(LakeError) {
                    value = try parser.parse(UnsafeRawBufferPointer(rebasing: raw[line.range]))
                } catch {
                    throw LakeError(.invalidInput, "\(name):\(line.number): \(error.message)")
                }
                guard case .object(let members) = value else {
                    throw LakeError(.invalidInput, "\(name):\(line.number): expected a JSON object per line")
                }
                for m in members where !known.contains(m.key) {
                    if inferred[m.key] == nil { order.append(m.key); inferred[m.key] = .unknown }
                    do throws(LakeError) {
                        inferred[m.key] = try inferred[m.key]!.merged(with: InferredType(m.value), path: m.key)
                    } catch {
                        throw LakeError(.invalidInput, "\(name):\(line.number): \(error.message)")
                    }
                }
            }
        }
        var fields = tableSchema?.fields ?? []
        for k in order { fields.append(inferred[k]!.field(named: k)) }
        let presentExtras = extraColumns.filter { e in bytes.withUnsafeBytes { Self.mentions($0, key: e.name) } }
        let decoder = RowJSONDecoder(schema: ParquetSchema(fields.map(Self.nullable) + presentExtras))
        try bytes.withRawBytes { raw throws(LakeError) in
            do throws(LakeError) {
                try decoder.appendLines(raw)
            } catch {
                throw LakeError(error.code, "\(name): \(error.message)")
            }
        }
        return decoder.makeBatch()
    }

    /// Reads every row group of a Parquet file.
    public static func parquet(path: String) throws(LakeError) -> RecordBatch {
        let reader = try lakeParquet(path) { () throws(ParquetError) in try ParquetFileReader(path: path) }
        return try parquet(reader, name: path)
    }

    /// Reads every row group of a Parquet file held in `bytes` (an object fetched from S3), named
    /// `name` in messages.
    public static func parquet(bytes: [UInt8], name: String) throws(LakeError) -> RecordBatch {
        let reader = try lakeParquet(name) { () throws(ParquetError) in
            try ParquetFileReader(source: MemorySource(bytes, name: name))
        }
        return try parquet(reader, name: name)
    }

    private static func parquet(_ reader: ParquetFileReader, name path: String) throws(LakeError) -> RecordBatch {
        var batches: [RecordBatch] = []
        for g in 0..<reader.rowGroupCount {
            batches.append(try lakeParquet(path) { () throws(ParquetError) in try reader.readRowGroup(g) })
        }
        guard !batches.isEmpty else {
            return RecordBatch(
                schema: reader.schema, columns: reader.schema.fields.map { BatchConformer.nulls(for: $0, count: 0) },
                rowCount: 0)
        }
        if batches.count == 1 { return batches[0] }
        let cols = reader.schema.fields.indices.map { i in Column.concatenate(batches.map { $0.columns[i] }) }
        return RecordBatch(schema: reader.schema, columns: cols, rowCount: batches.reduce(0) { $0 + $1.rowCount })
    }

    /// Input rows may omit any column: decode every field as nullable; required-ness is checked by the write.
    static func nullable(_ f: ParquetField) -> ParquetField {
        var g = f
        if g.repetition == .required { g.repetition = .optional }
        return g
    }

    /// Whether `"key"` occurs in the text (a cheap pre-check for control columns).
    static func mentions(_ raw: UnsafeRawBufferPointer, key: String) -> Bool {
        let needle = Array("\"\(key)\"".utf8)
        guard raw.count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= raw.count {
            if raw[i] == needle[0] {
                var j = 1
                while j < needle.count && raw[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

/// The type inferred for a JSON column so far.
indirect enum InferredType: Equatable {
    case unknown  // only nulls seen
    case string
    case int64
    case double
    case boolean
    case list(InferredType)
    case structure([(String, InferredType)])

    static func == (a: InferredType, b: InferredType) -> Bool {
        switch (a, b) {
        case (.unknown, .unknown), (.string, .string), (.int64, .int64), (.double, .double), (.boolean, .boolean): true
        case (.list(let x), .list(let y)): x == y
        case (.structure(let x), .structure(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    init(_ v: JSONValue) {
        switch v {
        case .null: self = .unknown
        case .bool: self = .boolean
        case .number(let n): self = n.int64 != nil ? .int64 : .double
        case .string: self = .string
        case .array(let elements):
            var t = InferredType.unknown
            for e in elements { t = (try? t.merged(with: InferredType(e), path: "")) ?? .string }
            self = .list(t)
        case .object(let members):
            var fields: [(String, InferredType)] = []
            for m in members {
                if let i = fields.firstIndex(where: { $0.0 == m.key }) {
                    fields[i].1 = (try? fields[i].1.merged(with: InferredType(m.value), path: "")) ?? .string
                } else {
                    fields.append((m.key, InferredType(m.value)))
                }
            }
            self = .structure(fields)
        }
    }

    var name: String {
        switch self {
        case .unknown: "null"
        case .string: "string"
        case .int64: "integer"
        case .double: "number"
        case .boolean: "boolean"
        case .list(let e): "list<\(e.name)>"
        case .structure: "object"
        }
    }

    func merged(with other: InferredType, path: String) throws(LakeError) -> InferredType {
        switch (self, other) {
        case (.unknown, let t), (let t, .unknown): return t
        case (.int64, .double), (.double, .int64): return .double
        case (.list(let a), .list(let b)): return .list(try a.merged(with: b, path: path + "[]"))
        case (.structure(let a), .structure(let b)):
            var out = a
            for (k, t) in b {
                if let i = out.firstIndex(where: { $0.0 == k }) {
                    out[i].1 = try out[i].1.merged(with: t, path: path + "." + k)
                } else {
                    out.append((k, t))
                }
            }
            return .structure(out)
        default:
            if self == other { return self }
            throw LakeError(.invalidInput, "column '\(path)' holds both \(name) and \(other.name) values")
        }
    }

    func field(named name: String) -> ParquetField {
        switch self {
        case .unknown, .string: .string(name)
        case .int64: .int64(name)
        case .double: .double(name)
        case .boolean: .boolean(name)
        case .list(let e): .list(name, element: e.field(named: "element"))
        case .structure(let fs): .structure(name, fs.map { $0.1.field(named: $0.0) })
        }
    }
}
