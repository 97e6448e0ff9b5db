/// How a Parquet leaf's values look in lake's canonical JSON form (see the CLI contract).
///
/// Derived from the leaf's physical type, logical type and converted type, in that order of
/// preference: a logical type that does not fit its physical type is ignored, and a leaf
/// without a usable annotation falls back to its physical type (INT32/INT64 → signed integer,
/// BYTE_ARRAY/FIXED_LEN_BYTE_ARRAY → base64 binary, INT96 → a nanosecond UTC timestamp).
public enum CanonicalType: Sendable, Hashable {
    /// `true` / `false`.
    case boolean
    /// A JSON integer; `bits` is the declared width (8, 16, 32, 64), `signed` false for UINT types
    /// (stored as the same-width bit pattern in INT32/INT64).
    case integer(bits: Int, signed: Bool)
    /// A JSON number (shortest round-trip form of a `Float`), `"NaN"`, `"Infinity"`, `"-Infinity"`.
    case float
    /// As ``float`` for a `Double`.
    case double
    /// As ``float`` for an IEEE half float stored little-endian in FIXED_LEN_BYTE_ARRAY(2).
    case float16
    /// A JSON string (STRING, ENUM, JSON annotations).
    case string
    /// A standard base64 string with padding (raw BYTE_ARRAY, FIXED without DECIMAL, UUID, BSON).
    case binary
    /// `"YYYY-MM-DD"` from INT32 days since 1970-01-01.
    case date
    /// `"HH:MM:SS.fff"` with 3, 6 or 9 fraction digits by unit.
    case time(TimeUnit)
    /// `"YYYY-MM-DDTHH:MM:SS.fff[Z]"`, 3/6/9 fraction digits; `Z` only when adjusted to UTC.
    /// INT96 leaves are `.timestamp(.nanos, adjustedToUTC: true)`.
    case timestamp(TimeUnit, adjustedToUTC: Bool)
    /// A JSON string of the exact value with exactly `scale` fraction digits.
    case decimal(precision: Int, scale: Int)

    /// The canonical type of a primitive field (for a group, `.binary`; callers resolve groups
    /// through their shape first).
    public init(_ field: ParquetField) {
        guard case .primitive(let physical, let width, let logical, let converted) = field.kind else {
            self = .binary
            return
        }
        self = Self.resolve(physical: physical, width: Int(width ?? 0), logical: logical, converted: converted)
    }

    /// The canonical type for a leaf's physical, logical and converted types.
    public static func resolve(
        physical: PhysicalType, width: Int, logical: LogicalType?,
        converted: ConvertedType?
    ) -> CanonicalType {
        if let logical, let t = fromLogical(logical, physical: physical, width: width) { return t }
        if let converted, let t = fromConverted(converted, physical: physical) { return t }
        switch physical {
        case .boolean: return .boolean
        case .int32: return .integer(bits: 32, signed: true)
        case .int64: return .integer(bits: 64, signed: true)
        case .int96: return .timestamp(.nanos, adjustedToUTC: true)
        case .float: return .float
        case .double: return .double
        case .byteArray, .fixedLenByteArray: return .binary
        }
    }

    private static func fromLogical(_ l: LogicalType, physical p: PhysicalType, width: Int) -> CanonicalType? {
        switch l {
        case .string, .enum, .json:
            return p == .byteArray ? .string : nil
        case .decimal(let precision, let scale):
            switch p {
            case .int32, .int64, .byteArray, .fixedLenByteArray:
                return .decimal(precision: Int(precision), scale: Int(scale))
            default: return nil
            }
        case .date:
            return p == .int32 ? .date : nil
        case .time(_, let unit):
            if unit == .millis { return p == .int32 ? .time(.millis) : nil }
            return p == .int64 ? .time(unit) : nil
        case .timestamp(let utc, let unit):
            return p == .int64 ? .timestamp(unit, adjustedToUTC: utc) : nil
        case .integer(let bits, let signed):
            guard p == .int32 || p == .int64 else { return nil }
            let b = Int(bits)
            guard [8, 16, 32, 64].contains(b) else { return nil }
            guard (b == 64) == (p == .int64) else { return nil }
            return .integer(bits: b, signed: signed)
        case .uuid, .bson:
            return p == .byteArray || p == .fixedLenByteArray ? .binary : nil
        case .float16:
            return p == .fixedLenByteArray && width == 2 ? .float16 : nil
        case .map, .list, .unknown:
            return nil
        }
    }

    private static func fromConverted(_ c: ConvertedType, physical p: PhysicalType) -> CanonicalType? {
        switch c {
        case .utf8, .enum, .json: return p == .byteArray ? .string : nil
        case .date: return p == .int32 ? .date : nil
        case .timeMillis: return p == .int32 ? .time(.millis) : nil
        case .timeMicros: return p == .int64 ? .time(.micros) : nil
        case .timestampMillis: return p == .int64 ? .timestamp(.millis, adjustedToUTC: true) : nil
        case .timestampMicros: return p == .int64 ? .timestamp(.micros, adjustedToUTC: true) : nil
        case .uint8: return p == .int32 ? .integer(bits: 8, signed: false) : nil
        case .uint16: return p == .int32 ? .integer(bits: 16, signed: false) : nil
        case .uint32: return p == .int32 ? .integer(bits: 32, signed: false) : nil
        case .uint64: return p == .int64 ? .integer(bits: 64, signed: false) : nil
        case .int8: return p == .int32 ? .integer(bits: 8, signed: true) : nil
        case .int16: return p == .int32 ? .integer(bits: 16, signed: true) : nil
        case .int32: return p == .int32 ? .integer(bits: 32, signed: true) : nil
        case .int64: return p == .int64 ? .integer(bits: 64, signed: true) : nil
        case .bson, .interval: return .binary
        case .decimal, .map, .mapKeyValue, .list: return nil
        }
    }

    /// Whether values are numbers (right-aligned in tables).
    public var isNumeric: Bool {
        switch self {
        case .integer, .float, .double, .float16, .decimal: true
        default: false
        }
    }
}
