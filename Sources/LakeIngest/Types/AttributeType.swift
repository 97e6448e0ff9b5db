/// A DynamoDB attribute type descriptor: the single key of an attribute value object such as
/// `{"S": "text"}` or `{"N": "12.5"}`.
public enum AttributeType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// String.
    case s
    /// Number, carried as a decimal string of up to 38 significant digits.
    case n
    /// Binary, carried as base64 text.
    case b
    /// Boolean.
    case bool
    /// Null (`{"NULL": true}`).
    case null
    /// String set.
    case ss
    /// Number set.
    case ns
    /// Binary set.
    case bs
    /// List of attribute values.
    case l
    /// Map of attribute names to attribute values.
    case m

    /// The descriptor as DynamoDB spells it (`S`, `BOOL`, `SS`, …).
    public var description: String {
        switch self {
        case .s: "S"
        case .n: "N"
        case .b: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .ss: "SS"
        case .ns: "NS"
        case .bs: "BS"
        case .l: "L"
        case .m: "M"
        }
    }

    /// The descriptor with a readable name for messages: `N (number)`.
    public var longDescription: String {
        switch self {
        case .s: "S (string)"
        case .n: "N (number)"
        case .b: "B (binary)"
        case .bool: "BOOL (boolean)"
        case .null: "NULL"
        case .ss: "SS (string set)"
        case .ns: "NS (number set)"
        case .bs: "BS (binary set)"
        case .l: "L (list)"
        case .m: "M (map)"
        }
    }

    /// Parses a descriptor as DynamoDB spells it (case-sensitive, as on the wire).
    public init?(descriptor: String) {
        guard let t = AttributeType.allCases.first(where: { $0.description == descriptor }) else { return nil }
        self = t
    }

    /// The descriptor spelled by `bytes` (the raw key of an attribute value object), or `nil`.
    @inline(__always)
    static func match(_ bytes: UnsafeRawBufferPointer) -> AttributeType? {
        switch bytes.count {
        case 1:
            switch bytes[0] {
            case UInt8(ascii: "S"): return .s
            case UInt8(ascii: "N"): return .n
            case UInt8(ascii: "B"): return .b
            case UInt8(ascii: "L"): return .l
            case UInt8(ascii: "M"): return .m
            default: return nil
            }
        case 2:
            guard bytes[1] == UInt8(ascii: "S") else { return nil }
            switch bytes[0] {
            case UInt8(ascii: "S"): return .ss
            case UInt8(ascii: "N"): return .ns
            case UInt8(ascii: "B"): return .bs
            default: return nil
            }
        case 4:
            let w = bytes.loadUnaligned(as: UInt32.self)
            if w == Self.boolWord { return .bool }
            if w == Self.nullWord { return .null }
            return nil
        default:
            return nil
        }
    }

    private static let boolWord = UInt32(littleEndian: 0x4C4F_4F42)  // "BOOL"
    private static let nullWord = UInt32(littleEndian: 0x4C4C_554E)  // "NULL"

    /// The element type of a set type (`SS` → `S`), or `nil` for other types.
    public var setElement: AttributeType? {
        switch self {
        case .ss: .s
        case .ns: .n
        case .bs: .b
        default: nil
        }
    }

    /// The column type inference gives a value of this type (`N` gives `long`; a non-integer or
    /// out-of-range value later widens it to `double`). `nil` for NULL, L and M, whose type
    /// depends on their contents.
    public var inferredLeafType: ColumnType? {
        switch self {
        case .s: .string
        case .n: .int64
        case .b: .binary
        case .bool: .boolean
        case .ss: .list(.string)
        case .ns: .list(.int64)
        case .bs: .list(.binary)
        case .null, .l, .m: nil
        }
    }
}
