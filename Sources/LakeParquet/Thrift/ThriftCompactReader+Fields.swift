/// Typed reads of struct field values that first check the field's wire type.
///
/// Decoders of known structs use these so that a field carrying an unexpected type is reported
/// as `.corrupt` naming the struct field (`"FileMetaData.num_rows"`) instead of being
/// misinterpreted.
extension ThriftCompactReader {
    /// Throws `.corrupt` unless `field` has wire type `type`.
    @inline(__always)
    public func expect(_ field: ThriftFieldHeader, _ type: ThriftType, _ name: StaticString) throws(ParquetError) {
        guard field.type == type else {
            throw ParquetError(
                .corrupt,
                "Thrift field \(name) (id \(field.id)) has type \(field.type.name), expected \(type.name), at offset \(offset)"
            )
        }
    }

    /// Reads a bool field's value.
    @inline(__always)
    public mutating func readBool(_ field: ThriftFieldHeader, _ name: StaticString) throws(ParquetError) -> Bool {
        try expect(field, .bool, name)
        return try readBool()
    }

    /// Reads an i8 field's value.
    @inline(__always)
    public mutating func readI8(_ field: ThriftFieldHeader, _ name: StaticString) throws(ParquetError) -> Int8 {
        try expect(field, .i8, name)
        return try readI8()
    }

    /// Reads an i16 field's value.
    @inline(__always)
    public mutating func readI16(_ field: ThriftFieldHeader, _ name: StaticString) throws(ParquetError) -> Int16 {
        try expect(field, .i16, name)
        return try readI16()
    }

    /// Reads an i32 (or enum) field's value.
    @inline(__always)
    public mutating func readI32(_ field: ThriftFieldHeader, _ name: StaticString) throws(ParquetError) -> Int32 {
        try expect(field, .i32, name)
        return try readI32()
    }

    /// Reads an i64 field's value.
    @inline(__always)
    public mutating func readI64(_ field: ThriftFieldHeader, _ name: StaticString) throws(ParquetError) -> Int64 {
        try expect(field, .i64, name)
        return try readI64()
    }

    /// Reads a binary field's value into a new array.
    @inline(__always)
    public mutating func readBinaryArray(
        _ field: ThriftFieldHeader, _ name: StaticString
    ) throws(ParquetError) -> [UInt8] {
        try expect(field, .binary, name)
        return try readBinaryArray()
    }

    /// Reads a string field's value.
    @inline(__always)
    public mutating func readString(_ field: ThriftFieldHeader, _ name: StaticString) throws(ParquetError) -> String {
        try expect(field, .binary, name)
        return try readString()
    }

    /// Reads the header of a list field whose elements must be of `elementType`.
    ///
    /// - Returns: the element count, checked against the remaining input.
    @inline(__always)
    public mutating func readListHeader(
        _ field: ThriftFieldHeader, of elementType: ThriftType,
        _ name: StaticString
    ) throws(ParquetError) -> Int {
        if field.type != .set { try expect(field, .list, name) }
        let at = offset
        let header = try readListHeader()
        guard header.elementType == elementType || header.count == 0 else {
            throw ParquetError(
                .corrupt,
                "Thrift field \(name) (id \(field.id)) is a list of \(header.elementType.name), expected \(elementType.name), at offset \(at)"
            )
        }
        return header.count
    }

    /// Checks that a field holds a struct (or union), ready for ``enterStruct()``.
    @inline(__always)
    public func expectStruct(_ field: ThriftFieldHeader, _ name: StaticString) throws(ParquetError) {
        try expect(field, .struct, name)
    }
}

/// Throws the `.corrupt` error for a required Thrift field that was absent.
@inline(never)
func thriftMissing(_ structName: StaticString, _ field: StaticString, _ id: Int16, at offset: Int) -> ParquetError {
    ParquetError(
        .corrupt,
        "Thrift struct \(structName) is missing required field \(field) (id \(id)), ending at offset \(offset)")
}
