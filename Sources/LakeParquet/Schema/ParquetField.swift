/// A node of a Parquet schema: a primitive leaf or a group, with its repetition.
///
/// Nested shapes follow the spec's standard three-level forms: a LIST is
/// `<rep> group name (LIST) { repeated group list { <rep> element } }` and a MAP is
/// `<rep> group name (MAP) { repeated group key_value { required key; <rep> value } }`.
/// Use the static constructors (``list(_:element:nullable:)``, ``map(_:key:value:nullable:)``)
/// to build them.
public struct ParquetField: Sendable, Hashable {
    public var name: String
    public var repetition: Repetition
    public var kind: Kind
    public var fieldId: Int32?

    /// What a node holds.
    public indirect enum Kind: Sendable, Hashable {
        /// A leaf of a physical type. `typeLength` is the width of FIXED_LEN_BYTE_ARRAY.
        case primitive(PhysicalType, typeLength: Int32?, logical: LogicalType?, converted: ConvertedType?)
        /// A group with children; `logical` is `.list`, `.map` or `nil` (a struct).
        case group([ParquetField], logical: LogicalType?, converted: ConvertedType?)
    }

    public init(name: String, repetition: Repetition, kind: Kind, fieldId: Int32? = nil) {
        self.name = name
        self.repetition = repetition
        self.kind = kind
        self.fieldId = fieldId
    }

    public var isPrimitive: Bool {
        if case .primitive = kind { return true }
        return false
    }

    public var children: [ParquetField] {
        if case .group(let c, _, _) = kind { return c }
        return []
    }

    public var isNullable: Bool { repetition == .optional }

    public var logicalType: LogicalType? {
        switch kind {
        case .primitive(_, _, let l, _): l
        case .group(_, let l, _): l
        }
    }

    public var convertedType: ConvertedType? {
        switch kind {
        case .primitive(_, _, _, let c): c
        case .group(_, _, let c): c
        }
    }

    public var physicalType: PhysicalType? {
        if case .primitive(let p, _, _, _) = kind { return p }
        return nil
    }
}

extension ParquetField {
    private static func rep(_ nullable: Bool) -> Repetition { nullable ? .optional : .required }

    /// A leaf with an explicit physical and logical type; the converted type is derived.
    public static func primitive(
        _ name: String, _ type: PhysicalType, logical: LogicalType? = nil,
        typeLength: Int32? = nil, nullable: Bool = true
    ) -> ParquetField {
        ParquetField(
            name: name, repetition: rep(nullable),
            kind: .primitive(
                type, typeLength: typeLength, logical: logical,
                converted: logical.flatMap { ConvertedType(logical: $0) }))
    }

    public static func boolean(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .boolean, nullable: nullable)
    }
    public static func int32(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .int32, nullable: nullable)
    }
    public static func int64(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .int64, nullable: nullable)
    }
    public static func float(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .float, nullable: nullable)
    }
    public static func double(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .double, nullable: nullable)
    }
    /// A UTF-8 string (BYTE_ARRAY annotated STRING / UTF8).
    public static func string(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .byteArray, logical: .string, nullable: nullable)
    }
    /// Raw bytes (BYTE_ARRAY without annotation).
    public static func binary(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .byteArray, nullable: nullable)
    }
    public static func fixedBinary(_ name: String, width: Int32, nullable: Bool = true) -> ParquetField {
        primitive(name, .fixedLenByteArray, typeLength: width, nullable: nullable)
    }
    /// Days since 1970-01-01 (INT32 annotated DATE).
    public static func date(_ name: String, nullable: Bool = true) -> ParquetField {
        primitive(name, .int32, logical: .date, nullable: nullable)
    }
    /// A UTC instant (INT64 annotated TIMESTAMP(unit, true)).
    public static func timestamp(_ name: String, unit: TimeUnit = .micros, nullable: Bool = true) -> ParquetField {
        primitive(name, .int64, logical: .timestamp(isAdjustedToUTC: true, unit: unit), nullable: nullable)
    }
    /// A decimal stored in the narrowest physical type that holds `precision` digits
    /// (INT32 up to 9, INT64 up to 18, FIXED_LEN_BYTE_ARRAY beyond), unless `physical` says otherwise.
    public static func decimal(
        _ name: String, precision: Int32, scale: Int32, physical: PhysicalType? = nil,
        nullable: Bool = true
    ) -> ParquetField {
        let p = physical ?? (precision <= 9 ? .int32 : precision <= 18 ? .int64 : .fixedLenByteArray)
        let width: Int32? = p == .fixedLenByteArray ? Int32(decimalByteWidth(precision: Int(precision))) : nil
        return primitive(
            name, p, logical: .decimal(precision: precision, scale: scale), typeLength: width, nullable: nullable)
    }

    /// A struct: a group without annotation.
    public static func structure(_ name: String, _ fields: [ParquetField], nullable: Bool = true) -> ParquetField {
        ParquetField(name: name, repetition: rep(nullable), kind: .group(fields, logical: nil, converted: nil))
    }

    /// A standard three-level LIST. The element keeps its own nullability; its name is replaced by `element`.
    public static func list(_ name: String, element: ParquetField, nullable: Bool = true) -> ParquetField {
        var e = element
        e.name = "element"
        let repeated = ParquetField(
            name: "list", repetition: .repeated, kind: .group([e], logical: nil, converted: nil))
        return ParquetField(
            name: name, repetition: rep(nullable), kind: .group([repeated], logical: .list, converted: .list))
    }

    /// A standard MAP. The key is made required and named `key`; the value is named `value`.
    public static func map(
        _ name: String, key: ParquetField, value: ParquetField, nullable: Bool = true
    ) -> ParquetField {
        var k = key
        k.name = "key"
        k.repetition = .required
        var v = value
        v.name = "value"
        let kv = ParquetField(
            name: "key_value", repetition: .repeated, kind: .group([k, v], logical: nil, converted: nil))
        return ParquetField(name: name, repetition: rep(nullable), kind: .group([kv], logical: .map, converted: .map))
    }

    /// Bytes needed for a two's-complement FIXED_LEN_BYTE_ARRAY decimal of `precision` digits.
    public static func decimalByteWidth(precision: Int) -> Int {
        // Smallest n with 2^(8n-1) > 10^precision - 1.
        var n = 1
        while Double(8 * n - 1) * 0.30102999566398120 < Double(precision) { n += 1 }
        return n
    }
}

extension ConvertedType {
    /// The converted type older readers expect for a logical type, if any.
    public init?(logical: LogicalType) {
        switch logical {
        case .string: self = .utf8
        case .map: self = .map
        case .list: self = .list
        case .enum: self = .enum
        case .decimal: self = .decimal
        case .date: self = .date
        case .time(_, .millis): self = .timeMillis
        case .time(_, .micros): self = .timeMicros
        case .timestamp(_, .millis): self = .timestampMillis
        case .timestamp(_, .micros): self = .timestampMicros
        case .integer(8, true): self = .int8
        case .integer(16, true): self = .int16
        case .integer(32, true): self = .int32
        case .integer(64, true): self = .int64
        case .integer(8, false): self = .uint8
        case .integer(16, false): self = .uint16
        case .integer(32, false): self = .uint32
        case .integer(64, false): self = .uint64
        case .json: self = .json
        case .bson: self = .bson
        default: return nil
        }
    }
}
