import LakeBase
/// Encodes the Thrift compact protocol into a ``ByteWriter``.
///
/// Struct encoders call ``beginStruct()``, write each present field in ascending id order with
/// the `write…Field` methods (or ``writeFieldHeader(_:_:)`` followed by a value or a nested
/// struct), then ``endStruct(_:)``, which writes the stop byte. Field ids are delta-encoded
/// (short form) when they increase by 1…15 over the previous field of the same struct, and
/// written in long form otherwise.
public struct ThriftCompactWriter: Sendable {
    /// The encoded bytes so far.
    public var output: ByteWriter
    /// The id of the previous field in the current struct.
    private var lastFieldId: Int16 = 0

    /// Creates a writer appending to `output`.
    public init(output: ByteWriter = ByteWriter()) {
        self.output = output
    }

    /// Creates a writer that takes over `writer`'s buffer (leaving `writer` empty), so appends
    /// do not copy it. Hand the buffer back with `writer = thrift.output`.
    public init(taking writer: inout ByteWriter) {
        self.output = ByteWriter()
        swap(&self.output, &writer)
    }

    /// The encoded bytes.
    public var bytes: [UInt8] { output.bytes }

    // MARK: Structs

    /// Starts a struct (or union) value; returns a token for ``endStruct(_:)``.
    @inline(__always)
    public mutating func beginStruct() -> Int16 {
        let saved = lastFieldId
        lastFieldId = 0
        return saved
    }

    /// Ends the struct begun with ``beginStruct()``: writes the stop field.
    @inline(__always)
    public mutating func endStruct(_ token: Int16) {
        output.append(0)
        lastFieldId = token
    }

    /// Writes a field header for a non-bool value that the caller writes next.
    /// Use ``writeBoolField(_:_:)`` for bools, whose value lives in the header.
    @inline(__always)
    public mutating func writeFieldHeader(_ id: Int16, _ type: ThriftType) {
        precondition(type != .bool, "bool fields are written with writeBoolField")
        writeHeader(id, type.rawValue)
    }

    @inline(__always)
    private mutating func writeHeader(_ id: Int16, _ typeId: UInt8) {
        let delta = Int(id) - Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            output.append(UInt8(delta) << 4 | typeId)
        } else {
            output.append(typeId)
            output.appendZigZag(Int64(id))
        }
        lastFieldId = id
    }

    // MARK: Fields

    /// Writes a bool field: the value is the header's type nibble (1 true, 2 false).
    @inline(__always)
    public mutating func writeBoolField(_ id: Int16, _ value: Bool) {
        writeHeader(id, value ? 1 : 2)
    }

    /// Writes an i8 field.
    @inline(__always)
    public mutating func writeI8Field(_ id: Int16, _ value: Int8) {
        writeFieldHeader(id, .i8)
        writeI8(value)
    }

    /// Writes an i16 field.
    @inline(__always)
    public mutating func writeI16Field(_ id: Int16, _ value: Int16) {
        writeFieldHeader(id, .i16)
        writeI16(value)
    }

    /// Writes an i32 (or enum) field.
    @inline(__always)
    public mutating func writeI32Field(_ id: Int16, _ value: Int32) {
        writeFieldHeader(id, .i32)
        writeI32(value)
    }

    /// Writes an i64 field.
    @inline(__always)
    public mutating func writeI64Field(_ id: Int16, _ value: Int64) {
        writeFieldHeader(id, .i64)
        writeI64(value)
    }

    /// Writes a double field.
    @inline(__always)
    public mutating func writeDoubleField(_ id: Int16, _ value: Double) {
        writeFieldHeader(id, .double)
        writeDouble(value)
    }

    /// Writes a binary field.
    @inline(__always)
    public mutating func writeBinaryField(_ id: Int16, _ value: [UInt8]) {
        writeFieldHeader(id, .binary)
        writeBinary(value)
    }

    /// Writes a string field (UTF-8, length-prefixed).
    @inline(__always)
    public mutating func writeStringField(_ id: Int16, _ value: String) {
        writeFieldHeader(id, .binary)
        writeString(value)
    }

    /// Writes an empty struct field (`{}` marker structs such as the logical type annotations).
    @inline(__always)
    public mutating func writeEmptyStructField(_ id: Int16) {
        writeFieldHeader(id, .struct)
        output.append(0)
    }

    // MARK: Values (list/set/map elements, or after writeFieldHeader)

    /// Writes a bool element (one byte: 1 true, 0 false).
    @inline(__always)
    public mutating func writeBool(_ value: Bool) { output.append(value ? 1 : 0) }

    /// Writes an i8 (one byte).
    @inline(__always)
    public mutating func writeI8(_ value: Int8) { output.append(UInt8(bitPattern: value)) }

    /// Writes an i16 as a zigzag varint.
    @inline(__always)
    public mutating func writeI16(_ value: Int16) { output.appendZigZag(Int64(value)) }

    /// Writes an i32 as a zigzag varint.
    @inline(__always)
    public mutating func writeI32(_ value: Int32) { output.appendZigZag(Int64(value)) }

    /// Writes an i64 as a zigzag varint.
    @inline(__always)
    public mutating func writeI64(_ value: Int64) { output.appendZigZag(value) }

    /// Writes a double as 8 little-endian bytes.
    @inline(__always)
    public mutating func writeDouble(_ value: Double) { output.appendLittleEndian(value.bitPattern) }

    /// Writes a 16-byte UUID.
    public mutating func writeUUID(_ value: UnsafeRawBufferPointer) {
        precondition(value.count == 16, "a Thrift uuid is 16 bytes")
        output.append(value)
    }

    /// Writes binary data: a varint length followed by the bytes.
    @inline(__always)
    public mutating func writeBinary(_ value: UnsafeRawBufferPointer) {
        output.appendVarint(UInt64(value.count))
        output.append(value)
    }

    /// Writes binary data: a varint length followed by the bytes.
    @inline(__always)
    public mutating func writeBinary(_ value: [UInt8]) {
        output.appendVarint(UInt64(value.count))
        output.append(contentsOf: value)
    }

    /// Writes a string as UTF-8 binary.
    @inline(__always)
    public mutating func writeString(_ value: String) {
        var s = value
        s.withUTF8 { utf8 in
            output.appendVarint(UInt64(utf8.count))
            output.append(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Writes a list header: short form for fewer than 15 elements, long form otherwise.
    @inline(__always)
    public mutating func writeListHeader(_ elementType: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "Thrift list size \(count) out of range")
        if count < 15 {
            output.append(UInt8(count) << 4 | elementType.elementId)
        } else {
            output.append(0xF0 | elementType.elementId)
            output.appendVarint(UInt64(count))
        }
    }

    /// Writes a set header (encoded like a list header).
    @inline(__always)
    public mutating func writeSetHeader(_ elementType: ThriftType, count: Int) {
        writeListHeader(elementType, count: count)
    }

    /// Writes a map header: a single `0` for an empty map, else the size and the key/value types.
    @inline(__always)
    public mutating func writeMapHeader(key: ThriftType, value: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "Thrift map size \(count) out of range")
        output.appendVarint(UInt64(count))
        if count > 0 { output.append(key.elementId << 4 | value.elementId) }
    }
}
