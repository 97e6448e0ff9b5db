import LakeParquet

/// The Hive type of a Parquet column, as the Glue Data Catalog stores it for Athena, Hive and
/// Spark (`bigint`, `decimal(10,2)`, `array<string>`, `struct<a:int,b:map<string,double>>`).
///
/// Follows Hudi's hive sync (`HiveSchemaUtil`): INT32 is `int` (`tinyint`/`smallint` for 8 and 16
/// bit integers, `date` for DATE), INT64 `bigint`, UTF8/ENUM/JSON byte arrays `string`, other byte
/// arrays `binary`, DECIMAL `decimal(p,s)`, LIST `array<…>`, MAP `map<…,…>`, groups `struct<…>`.
/// Timestamps (INT64 TIMESTAMP, INT96) are `timestamp`, as Hudi writes them with
/// `hoodie.datasource.hive_sync.support_timestamp=true` — what Athena needs to show them as
/// times rather than numbers.
public enum HiveType {
    /// The Hive type of `field` (its nullability is not part of a Hive type).
    public static func of(_ field: ParquetField) -> String {
        if field.repetition == .repeated && field.logicalType != .list {
            // A legacy repeated field outside a LIST annotation is a list of its values.
            var element = field
            element.repetition = .required
            return "array<\(of(element))>"
        }
        switch field.kind {
        case .primitive(let physical, _, let logical, let converted):
            return primitive(physical, logical: logical, converted: converted)
        case .group(let children, let logical, _):
            if logical == .list, let repeated = children.first {
                // The standard 3-level form (repeated group list { element }) or a 2-level form.
                let element =
                    repeated.children.count == 1 && !repeated.isPrimitive ? repeated.children[0] : unrepeated(repeated)
                return "array<\(of(element))>"
            }
            if logical == .map, let keyValue = children.first, keyValue.children.count == 2 {
                return "map<\(of(keyValue.children[0])),\(of(keyValue.children[1]))>"
            }
            return "struct<" + children.map { "\($0.name):\(of($0))" }.joined(separator: ",") + ">"
        }
    }

    private static func unrepeated(_ field: ParquetField) -> ParquetField {
        var f = field
        f.repetition = .required
        return f
    }

    private static func primitive(_ physical: PhysicalType, logical: LogicalType?, converted: ConvertedType?) -> String
    {
        switch logical {
        case .decimal(let p, let s)?: return "decimal(\(p),\(s))"
        case .date?: return "date"
        case .timestamp?: return "timestamp"
        case .string?, .enum?, .json?: return "string"
        case .integer(let bits, let signed)?:
            switch (bits, signed) {
            case (8, true): return "tinyint"
            case (16, true): return "smallint"
            case (8, false), (16, false), (32, true): return "int"
            default: return "bigint"
            }
        case .float16?: return "float"
        default: break
        }
        switch physical {
        case .boolean: return "boolean"
        case .int32: return "int"
        case .int64: return "bigint"
        case .int96: return "timestamp"
        case .float: return "float"
        case .double: return "double"
        case .byteArray, .fixedLenByteArray: return converted == .utf8 ? "string" : "binary"
        }
    }
}
