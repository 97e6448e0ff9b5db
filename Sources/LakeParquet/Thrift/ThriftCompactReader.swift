import LakeBase
/// Decodes the Thrift compact protocol from a bounds-checked ``ByteReader``.
///
/// The reader is a cursor: struct decoders call ``enterStruct()``, loop over
/// ``readFieldHeader()`` until it returns `nil` (the stop field), read or ``skip(_:)`` each
/// value, then call ``exitStruct(_:)``. Field ids are delta-encoded against the previous field
/// of the same struct; `enterStruct`/`exitStruct` save and restore that state so nested structs
/// need no allocation.
///
/// Hostile input cannot crash, hang or over-allocate: every length and element count is
/// checked against the bytes that remain before anything is read, nesting is capped at
/// ``maxDepth``, and every failure is a ``ParquetError`` (`.truncated` or `.corrupt`) naming the
/// byte offset.
public struct ThriftCompactReader {
    /// The default nesting cap for structs, lists, sets and maps.
    public static let defaultMaxDepth = 64

    /// The underlying byte cursor; its position advances as values are read.
    public var input: ByteReader<ParquetError>
    /// The deepest struct/collection nesting accepted before throwing `.corrupt`.
    public let maxDepth: Int
    /// The current struct/collection nesting.
    public private(set) var depth: Int = 0

    /// The id of the previous field in the current struct (field ids are delta-encoded).
    private var lastFieldId: Int16 = 0
    /// A bool field's value, carried in its header's type nibble: 0 none, 1 true, 2 false.
    private var pendingBool: UInt8 = 0

    /// Creates a reader starting at `input`'s current position.
    public init(_ input: ByteReader<ParquetError>, maxDepth: Int = ThriftCompactReader.defaultMaxDepth) {
        self.input = input
        self.maxDepth = maxDepth
    }

    /// Creates a reader over `bytes`; `origin` is the file offset of `bytes[0]`, used in errors.
    public init(_ bytes: UnsafeRawBufferPointer, origin: Int = 0, maxDepth: Int = ThriftCompactReader.defaultMaxDepth) {
        self.init(ByteReader<ParquetError>(bytes, origin: origin), maxDepth: maxDepth)
    }

    /// The file offset of the next byte to read.
    public var offset: Int { input.origin + input.position }

    // MARK: Structs

    /// Starts decoding a struct (or union) at the current position.
    ///
    /// - Returns: a token to pass to ``exitStruct(_:)`` once the stop field was read.
    /// - Throws: `.corrupt` when the nesting exceeds ``maxDepth``.
    @inline(__always)
    public mutating func enterStruct() throws(ParquetError) -> Int16 {
        try descend()
        let saved = lastFieldId
        lastFieldId = 0
        return saved
    }

    /// Finishes a struct begun with ``enterStruct()`` (after ``readFieldHeader()`` returned `nil`).
    @inline(__always)
    public mutating func exitStruct(_ token: Int16) {
        lastFieldId = token
        depth -= 1
    }

    /// Reads the next field header of the current struct.
    ///
    /// - Returns: the header, or `nil` at the stop field that ends the struct.
    /// - Throws: `.truncated` at the end of input, `.corrupt` for an unknown type id or a field id
    ///   outside the i16 range.
    public mutating func readFieldHeader() throws(ParquetError) -> ThriftFieldHeader? {
        let at = offset
        let byte = try input.readByte()
        if byte == 0 { return nil }
        let typeId = byte & 0x0F
        guard let type = ThriftType(compactId: typeId) else {
            throw ParquetError(.corrupt, "unknown Thrift field type \(typeId) at offset \(at)")
        }
        let delta = byte >> 4
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let next = Int(lastFieldId) + Int(delta)
            guard next <= Int(Int16.max) else {
                throw ParquetError(.corrupt, "Thrift field id \(next) out of range at offset \(at)")
            }
            id = Int16(next)
        }
        lastFieldId = id
        pendingBool = type == .bool ? typeId : 0
        return ThriftFieldHeader(id: id, type: type)
    }

    // MARK: Scalars

    /// Reads a bool: a struct field's value from its header, otherwise one element byte
    /// (1 is true; 0 and 2 are false).
    public mutating func readBool() throws(ParquetError) -> Bool {
        if pendingBool != 0 {
            defer { pendingBool = 0 }
            return pendingBool == 1
        }
        let at = offset
        switch try input.readByte() {
        case 1: return true
        case 0, 2: return false
        case let b: throw ParquetError(.corrupt, "invalid Thrift bool byte \(b) at offset \(at)")
        }
    }

    /// Reads an i8 (one byte, not a varint).
    @inline(__always)
    public mutating func readI8() throws(ParquetError) -> Int8 {
        Int8(bitPattern: try input.readByte())
    }

    /// Reads an i16 (zigzag varint), rejecting values outside the i16 range.
    @inline(__always)
    public mutating func readI16() throws(ParquetError) -> Int16 {
        let at = offset
        let v = try input.readZigZag()
        guard let r = Int16(exactly: v) else {
            throw ParquetError(.corrupt, "Thrift i16 value \(v) out of range at offset \(at)")
        }
        return r
    }

    /// Reads an i32 (zigzag varint), rejecting values outside the i32 range.
    @inline(__always)
    public mutating func readI32() throws(ParquetError) -> Int32 {
        let at = offset
        let v = try input.readZigZag()
        guard let r = Int32(exactly: v) else {
            throw ParquetError(.corrupt, "Thrift i32 value \(v) out of range at offset \(at)")
        }
        return r
    }

    /// Reads an i64 (zigzag varint of at most 10 bytes).
    @inline(__always)
    public mutating func readI64() throws(ParquetError) -> Int64 {
        try input.readZigZag()
    }

    /// Reads a double (8 bytes, little-endian IEEE 754).
    @inline(__always)
    public mutating func readDouble() throws(ParquetError) -> Double {
        Double(bitPattern: try input.readLittleEndian(UInt64.self))
    }

    /// Reads a 16-byte UUID.
    public mutating func readUUID() throws(ParquetError) -> UnsafeRawBufferPointer {
        try input.readBytes(16)
    }

    /// Reads binary data without copying: a varint length, checked against the remaining input.
    ///
    /// - Returns: a slice of the input buffer, valid as long as that buffer is.
    public mutating func readBinary() throws(ParquetError) -> UnsafeRawBufferPointer {
        let at = offset
        let length = try input.readVarint()
        guard length <= UInt64(input.remaining) else {
            throw ParquetError(
                .truncated, "Thrift binary length \(length) at offset \(at) exceeds the \(input.remaining) bytes left")
        }
        return try input.readBytes(Int(length))
    }

    /// Reads binary data into a new array.
    public mutating func readBinaryArray() throws(ParquetError) -> [UInt8] {
        Array(try readBinary())
    }

    /// Reads a string; invalid UTF-8 sequences are replaced by U+FFFD.
    public mutating func readString() throws(ParquetError) -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    // MARK: Collections

    /// Reads a list header (short form `ssssTTTT` or long form `1111TTTT` + varint size).
    ///
    /// - Throws: `.corrupt` for an unknown element type, `.truncated` when `count` elements of
    ///   that type cannot fit in the remaining input.
    public mutating func readListHeader() throws(ParquetError) -> ThriftListHeader {
        let at = offset
        let byte = try input.readByte()
        let typeId = byte & 0x0F
        guard let type = ThriftType(compactId: typeId) else {
            throw ParquetError(.corrupt, "unknown Thrift element type \(typeId) in list header at offset \(at)")
        }
        var count = Int(byte >> 4)
        if count == 15 {
            let size = try input.readVarint()
            guard size <= UInt64(Int32.max) else {
                throw ParquetError(.corrupt, "Thrift list size \(size) out of range at offset \(at)")
            }
            count = Int(size)
        }
        guard count <= input.remaining / type.minimumElementSize else {
            throw ParquetError(
                .truncated,
                "Thrift list of \(count) \(type.name) elements at offset \(at) exceeds the \(input.remaining) bytes left"
            )
        }
        return ThriftListHeader(elementType: type, count: count)
    }

    /// Reads a set header (encoded exactly like a list header).
    @inline(__always)
    public mutating func readSetHeader() throws(ParquetError) -> ThriftListHeader {
        try readListHeader()
    }

    /// Reads a map header: `0` for an empty map, else a varint size and a `KKKKVVVV` type byte.
    ///
    /// - Throws: `.corrupt` for unknown key/value types, `.truncated` when `count` pairs cannot fit
    ///   in the remaining input.
    public mutating func readMapHeader() throws(ParquetError) -> ThriftMapHeader {
        let at = offset
        let size = try input.readVarint()
        if size == 0 { return ThriftMapHeader(keyType: .bool, valueType: .bool, count: 0) }
        guard size <= UInt64(Int32.max) else {
            throw ParquetError(.corrupt, "Thrift map size \(size) out of range at offset \(at)")
        }
        let types = try input.readByte()
        guard let k = ThriftType(compactId: types >> 4), let v = ThriftType(compactId: types & 0x0F) else {
            throw ParquetError(
                .corrupt, "unknown Thrift key/value types 0x\(String(types, radix: 16)) in map header at offset \(at)")
        }
        let count = Int(size)
        guard count <= input.remaining / (k.minimumElementSize + v.minimumElementSize) else {
            throw ParquetError(
                .truncated, "Thrift map of \(count) entries at offset \(at) exceeds the \(input.remaining) bytes left")
        }
        return ThriftMapHeader(keyType: k, valueType: v, count: count)
    }

    // MARK: Skipping

    /// Skips one value of `type`, recursing into structs, lists, sets and maps.
    ///
    /// Used for fields a decoder does not know, so newer writers' additions are ignored.
    /// - Throws: `.corrupt`/`.truncated` for malformed values or nesting beyond ``maxDepth``.
    public mutating func skip(_ type: ThriftType) throws(ParquetError) {
        switch type {
        case .bool: _ = try readBool()
        case .i8: try input.skip(1)
        case .i16, .i32, .i64: _ = try input.readVarint()
        case .double: try input.skip(8)
        case .uuid: try input.skip(16)
        case .binary: _ = try readBinary()
        case .struct:
            let token = try enterStruct()
            while let field = try readFieldHeader() { try skip(field.type) }
            exitStruct(token)
        case .list, .set:
            let header = try readListHeader()
            try descend()
            for _ in 0..<header.count { try skip(header.elementType) }
            depth -= 1
        case .map:
            let header = try readMapHeader()
            try descend()
            for _ in 0..<header.count {
                try skip(header.keyType)
                try skip(header.valueType)
            }
            depth -= 1
        }
    }

    @inline(__always)
    private mutating func descend() throws(ParquetError) {
        guard depth < maxDepth else {
            throw ParquetError(.corrupt, "Thrift nesting deeper than \(maxDepth) at offset \(offset)")
        }
        depth += 1
    }
}
