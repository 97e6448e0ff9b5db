/// Thrift encoding of `SchemaElement`: type=1, type_length=2, repetition_type=3, name=4,
/// num_children=5, converted_type=6, scale=7, precision=8, field_id=9, logicalType=10.
/// Other fields (vector_length=11, …) are skipped on decode.
extension SchemaElement {
    /// Decodes a `SchemaElement` struct at the reader's position.
    ///
    /// An unknown converted type or logical type member is treated as absent (newer writers);
    /// an unknown physical type or repetition cannot be read around and is `.unsupported`.
    /// - Throws: `.corrupt` for malformed Thrift or a missing `name`, `.unsupported` as above.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.offset
        let token = try r.enterStruct()
        var type: Int32?
        var typeLength: Int32?
        var repetition: Int32?
        var name: String?
        var numChildren: Int32?
        var converted: Int32?
        var scale: Int32?
        var precision: Int32?
        var fieldId: Int32?
        var logical: LogicalType?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: type = try r.readI32(f, "SchemaElement.type")
            case 2: typeLength = try r.readI32(f, "SchemaElement.type_length")
            case 3: repetition = try r.readI32(f, "SchemaElement.repetition_type")
            case 4: name = try r.readString(f, "SchemaElement.name")
            case 5: numChildren = try r.readI32(f, "SchemaElement.num_children")
            case 6: converted = try r.readI32(f, "SchemaElement.converted_type")
            case 7: scale = try r.readI32(f, "SchemaElement.scale")
            case 8: precision = try r.readI32(f, "SchemaElement.precision")
            case 9: fieldId = try r.readI32(f, "SchemaElement.field_id")
            case 10:
                try r.expectStruct(f, "SchemaElement.logicalType")
                logical = try LogicalType.readThrift(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let name else { throw thriftMissing("SchemaElement", "name", 4, at: r.offset) }
        var physical: PhysicalType?
        if let type {
            guard let p = PhysicalType(rawValue: type) else {
                throw ParquetError(
                    .unsupported, "unknown physical type \(type) in schema element '\(name)' at offset \(start)")
            }
            physical = p
        }
        var rep: Repetition?
        if let repetition {
            guard let p = Repetition(rawValue: repetition) else {
                throw ParquetError(
                    .unsupported, "unknown repetition type \(repetition) in schema element '\(name)' at offset \(start)"
                )
            }
            rep = p
        }
        self.init(
            type: physical, typeLength: typeLength, repetitionType: rep, name: name, numChildren: numChildren,
            convertedType: converted.flatMap { ConvertedType(rawValue: $0) }, scale: scale, precision: precision,
            fieldId: fieldId, logicalType: logical)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        if let type { w.writeI32Field(1, type.rawValue) }
        if let typeLength { w.writeI32Field(2, typeLength) }
        if let repetitionType { w.writeI32Field(3, repetitionType.rawValue) }
        w.writeStringField(4, name)
        if let numChildren { w.writeI32Field(5, numChildren) }
        if let convertedType { w.writeI32Field(6, convertedType.rawValue) }
        if let scale { w.writeI32Field(7, scale) }
        if let precision { w.writeI32Field(8, precision) }
        if let fieldId { w.writeI32Field(9, fieldId) }
        if let logicalType {
            w.writeFieldHeader(10, .struct)
            logicalType.writeThrift(to: &w)
        }
        w.endStruct(token)
    }
}
