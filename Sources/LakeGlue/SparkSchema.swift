import LakeCore
import LakeParquet

/// The Spark SQL schema of a table as JSON (`StructType.json`), which Hudi's hive sync stores in
/// the catalog's `spark.sql.sources.schema.*` table parameters so Spark reads the table as a Hudi
/// data source with the right types: data columns (meta columns first), then the partition
/// columns, as Spark lists a partitioned data source table.
public enum SparkSchema {
    /// Spark's limit on one table-property part (`spark.sql.sources.schemaStringLengthThreshold`).
    public static let partLength = 4000

    /// `{"type":"struct","fields":[…]}` of `fields` in order.
    public static func json(_ fields: [ParquetField]) -> String {
        var out: [UInt8] = []
        JSONWriter.appendValue(structType(fields), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The table parameters: `spark.sql.sources.schema.numParts`, `.part.N` (the JSON cut into
    /// parts of ``partLength`` characters), `.numPartCols` and `.partCol.N`.
    public static func parameters(_ fields: [ParquetField], partitionFields: [String]) -> [String: String] {
        let data = fields.filter { !partitionFields.contains($0.name) }
        let partitions = partitionFields.compactMap { name in fields.first { $0.name == name } }
        let text = Array(json(data + partitions))
        var p: [String: String] = [:]
        var parts = 0
        var start = 0
        while start < text.count || parts == 0 {
            p["spark.sql.sources.schema.part.\(parts)"] = String(text[start..<min(start + partLength, text.count)])
            parts += 1
            start += partLength
        }
        p["spark.sql.sources.schema.numParts"] = String(parts)
        if !partitionFields.isEmpty {
            p["spark.sql.sources.schema.numPartCols"] = String(partitionFields.count)
            for (i, f) in partitionFields.enumerated() { p["spark.sql.sources.schema.partCol.\(i)"] = f }
        }
        return p
    }

    static func structType(_ fields: [ParquetField]) -> JSONValue {
        .object([
            JSONMember("type", .string("struct")),
            JSONMember(
                "fields",
                .array(
                    fields.map { f in
                        .object([
                            JSONMember("name", .string(f.name)), JSONMember("type", type(f)),
                            JSONMember("nullable", .bool(f.repetition != .required)),
                            JSONMember("metadata", .object([])),
                        ])
                    })),
        ])
    }

    /// The Spark type of a field: a name (`long`, `decimal(10,2)`) or a nested type object.
    static func type(_ field: ParquetField) -> JSONValue {
        if field.repetition == .repeated && field.logicalType != .list {
            var element = field
            element.repetition = .required
            return array(type(element), containsNull: false)
        }
        switch field.kind {
        case .primitive:
            return .string(primitive(HiveType.of(field)))
        case .group(let children, let logical, _):
            if logical == .list, let repeated = children.first {
                var element = repeated
                if repeated.children.count == 1 && !repeated.isPrimitive {
                    element = repeated.children[0]
                } else {
                    element.repetition = .required
                }
                return array(type(element), containsNull: element.repetition != .required)
            }
            if logical == .map, let kv = children.first, kv.children.count == 2 {
                return .object([
                    JSONMember("type", .string("map")), JSONMember("keyType", type(kv.children[0])),
                    JSONMember("valueType", type(kv.children[1])),
                    JSONMember("valueContainsNull", .bool(kv.children[1].repetition != .required)),
                ])
            }
            return structType(children)
        }
    }

    static func array(_ element: JSONValue, containsNull: Bool) -> JSONValue {
        .object([
            JSONMember("type", .string("array")), JSONMember("elementType", element),
            JSONMember("containsNull", .bool(containsNull)),
        ])
    }

    /// Spark's name of a primitive Hive type.
    static func primitive(_ hive: String) -> String {
        switch hive {
        case "bigint": "long"
        case "int": "integer"
        case "smallint": "short"
        case "tinyint": "byte"
        default: hive  // string, boolean, float, double, binary, date, timestamp, decimal(p,s)
        }
    }
}
