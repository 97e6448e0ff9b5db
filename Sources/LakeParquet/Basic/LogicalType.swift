/// Units of TIME and TIMESTAMP logical types.
public enum TimeUnit: Sendable, Hashable {
    case millis
    case micros
    case nanos

    public var name: String {
        switch self {
        case .millis: "MILLIS"
        case .micros: "MICROS"
        case .nanos: "NANOS"
        }
    }
}

/// Parquet logical type annotations (the Thrift `LogicalType` union).
public enum LogicalType: Sendable, Hashable {
    case string
    case map
    case list
    case `enum`
    case decimal(precision: Int32, scale: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    case unknown
    case json
    case bson
    case uuid
    case float16

    /// A short description as parquet tools print it (`STRING`, `DECIMAL(10,2)`, `TIMESTAMP(MICROS,true)`).
    public var description: String {
        switch self {
        case .string: "STRING"
        case .map: "MAP"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal(let p, let s): "DECIMAL(\(p),\(s))"
        case .date: "DATE"
        case .time(let utc, let unit): "TIME(\(unit.name),\(utc))"
        case .timestamp(let utc, let unit): "TIMESTAMP(\(unit.name),\(utc))"
        case .integer(let bits, let signed): "INTEGER(\(bits),\(signed))"
        case .unknown: "UNKNOWN"
        case .json: "JSON"
        case .bson: "BSON"
        case .uuid: "UUID"
        case .float16: "FLOAT16"
        }
    }
}
