import LakeCore

/// The type of a column lake builds from change records: what a mapping's `targetType` names
/// and what inference derives from DynamoDB attribute types.
///
/// Every type has one Parquet representation (``field(named:nullable:)``): `json` is stored as
/// a STRING holding JSON text (every reader understands it), `timestamp` as a UTC-adjusted
/// TIMESTAMP, `decimal` in the narrowest physical type for its precision.
public indirect enum ColumnType: Sendable, Hashable, CustomStringConvertible {
    case boolean
    case int32
    case int64
    case float
    case double
    case string
    case binary
    /// JSON text in a STRING column (DynamoDB `M`/`L` values written as plain JSON).
    case json
    case decimal(precision: Int, scale: Int)
    /// Days since 1970-01-01.
    case date
    /// An instant, adjusted to UTC, in the given unit.
    case timestamp(TimeUnit)
    case list(ColumnType)
    /// A struct with named children, in order.
    case structure([StructMember])

    /// One child of a ``ColumnType/structure(_:)``.
    public struct StructMember: Sendable, Hashable {
        /// The member name.
        public var name: String
        /// The member type.
        public var type: ColumnType
        public init(_ name: String, _ type: ColumnType) {
            self.name = name
            self.type = type
        }
    }

    /// The name lake uses in mapping files and messages: `string`, `long`, `decimal(10,2)`,
    /// `array<string>`, `struct<a:string,b:long>`. ``init(parsing:)`` reads it back.
    public var description: String {
        switch self {
        case .boolean: "boolean"
        case .int32: "int"
        case .int64: "long"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .binary: "binary"
        case .json: "json"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        case .date: "date"
        case .timestamp(.millis): "timestamp_millis"
        case .timestamp(.nanos): "timestamp_nanos"
        case .timestamp: "timestamp"
        case .list(let e): "array<\(e)>"
        case .structure(let m): "struct<" + m.map { "\($0.name):\($0.type)" }.joined(separator: ",") + ">"
        }
    }

    /// Whether the type is numeric (integers, floating point, decimal).
    public var isNumeric: Bool {
        switch self {
        case .int32, .int64, .float, .double, .decimal: true
        default: false
        }
    }

    /// The Parquet field of a column of this type. Every field lake creates is nullable.
    public func field(named name: String, nullable: Bool = true) -> ParquetField {
        switch self {
        case .boolean: .boolean(name, nullable: nullable)
        case .int32: .int32(name, nullable: nullable)
        case .int64: .int64(name, nullable: nullable)
        case .float: .float(name, nullable: nullable)
        case .double: .double(name, nullable: nullable)
        case .string, .json: .string(name, nullable: nullable)
        case .binary: .binary(name, nullable: nullable)
        case .decimal(let p, let s): .decimal(name, precision: Int32(p), scale: Int32(s), nullable: nullable)
        case .date: .date(name, nullable: nullable)
        case .timestamp(let unit): .timestamp(name, unit: unit, nullable: nullable)
        case .list(let e): .list(name, element: e.field(named: "element"), nullable: nullable)
        case .structure(let members):
            .structure(name, members.map { $0.type.field(named: $0.name) }, nullable: nullable)
        }
    }

    /// The column type of an existing Parquet field (a table's schema), or `nil` when lake
    /// cannot build values of it from change records (maps, unsigned integers, fixed binary, …).
    public init?(field: ParquetField) {
        switch field.kind {
        case .primitive(let physical, _, let logical, _):
            switch (physical, logical) {
            case (.boolean, nil): self = .boolean
            case (.int32, nil), (.int32, .integer(32, true)?), (.int32, .integer(16, true)?),
                (.int32, .integer(8, true)?):
                self = .int32
            case (.int64, nil), (.int64, .integer(64, true)?): self = .int64
            case (.float, nil): self = .float
            case (.double, nil): self = .double
            case (.byteArray, .string?), (.byteArray, .json?), (.byteArray, .enum?): self = .string
            case (.byteArray, nil): self = .binary
            case (.int32, .date?): self = .date
            case (.int64, .timestamp(_, let unit)?): self = .timestamp(unit)
            case (_, .decimal(let p, let s)?): self = .decimal(precision: Int(p), scale: Int(s))
            default: return nil
            }
        case .group(let children, let logical, _):
            if logical == .list {
                guard let repeated = children.first, repeated.repetition == .repeated else { return nil }
                let element =
                    repeated.isPrimitive ? repeated : (repeated.children.count == 1 ? repeated.children[0] : nil)
                guard let e = element, let et = ColumnType(field: e) else { return nil }
                self = .list(et)
            } else if logical == nil {
                var members: [StructMember] = []
                for c in children {
                    guard c.repetition != .repeated, let t = ColumnType(field: c) else { return nil }
                    members.append(StructMember(c.name, t))
                }
                self = .structure(members)
            } else {
                return nil
            }
        }
    }
}
