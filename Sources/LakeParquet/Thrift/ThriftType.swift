/// The value types of the Thrift compact protocol.
///
/// Raw values are the compact protocol's type ids as they appear in field headers and in
/// list/set/map headers. Booleans are special on the wire: a field header carries the value
/// itself in its type nibble (1 = true, 2 = false), while list, set and map elements of type
/// bool are one byte each. Both ids 1 and 2 decode to ``bool``.
public enum ThriftType: UInt8, Sendable, Hashable, CaseIterable {
    /// A boolean (BOOLEAN_TRUE = 1 / BOOLEAN_FALSE = 2 in field headers, BOOL = 2 as element type).
    case bool = 1
    /// A signed byte, written as one raw byte.
    case i8 = 3
    /// A 16-bit signed integer, written as a zigzag varint.
    case i16 = 4
    /// A 32-bit signed integer (also enums), written as a zigzag varint.
    case i32 = 5
    /// A 64-bit signed integer, written as a zigzag varint.
    case i64 = 6
    /// An IEEE 754 double, written as 8 little-endian bytes.
    case double = 7
    /// Binary data and UTF-8 strings: a varint length followed by the bytes.
    case binary = 8
    /// A list: a size/element-type header followed by the elements.
    case list = 9
    /// A set, encoded exactly like a list.
    case set = 10
    /// A map: a size and key/value-type header followed by the pairs.
    case map = 11
    /// Structs and unions: fields followed by a stop byte.
    case `struct` = 12
    /// A 16-byte UUID without length prefix.
    case uuid = 13

    /// Decodes a 4-bit compact type id; `nil` for STOP (0) and ids the protocol does not define.
    @inline(__always)
    public init?(compactId: UInt8) {
        switch compactId {
        case 1, 2: self = .bool
        case 3...13: self.init(rawValue: compactId)
        default: return nil
        }
    }

    /// The id written as the element type of a list, set or map (BOOL is 2 per the spec).
    @inline(__always)
    public var elementId: UInt8 { self == .bool ? 2 : rawValue }

    /// The fewest bytes one value of this type occupies as a collection element; used to reject
    /// element counts that cannot fit in the remaining input before anything is allocated.
    @inline(__always)
    public var minimumElementSize: Int {
        switch self {
        case .double: 8
        case .uuid: 16
        default: 1
        }
    }

    /// The lowercase IDL name (`i32`, `binary`, `struct`), used in error messages.
    public var name: String {
        switch self {
        case .bool: "bool"
        case .i8: "i8"
        case .i16: "i16"
        case .i32: "i32"
        case .i64: "i64"
        case .double: "double"
        case .binary: "binary"
        case .list: "list"
        case .set: "set"
        case .map: "map"
        case .struct: "struct"
        case .uuid: "uuid"
        }
    }
}

/// A decoded struct field header: the field id and the wire type of its value.
public struct ThriftFieldHeader: Sendable, Hashable {
    /// The field id from the IDL (`1: required i32 version` has id 1).
    public var id: Int16
    /// The wire type of the value that follows.
    public var type: ThriftType

    /// Creates a header for field `id` holding a value of `type`.
    public init(id: Int16, type: ThriftType) {
        self.id = id
        self.type = type
    }
}

/// A decoded list or set header.
public struct ThriftListHeader: Sendable, Hashable {
    /// The type of every element.
    public var elementType: ThriftType
    /// The number of elements, already checked against the bytes remaining.
    public var count: Int
}

/// A decoded map header.
public struct ThriftMapHeader: Sendable, Hashable {
    /// The type of every key; meaningless when `count` is 0.
    public var keyType: ThriftType
    /// The type of every value; meaningless when `count` is 0.
    public var valueType: ThriftType
    /// The number of key-value pairs, already checked against the bytes remaining.
    public var count: Int
}
