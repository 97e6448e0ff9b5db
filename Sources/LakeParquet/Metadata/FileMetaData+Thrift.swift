import LakeBase
/// Thrift encoding of the footer `FileMetaData`: version=1, schema=2, num_rows=3, row_groups=4,
/// key_value_metadata=5, created_by=6, column_orders=7. The encryption fields (8, 9) and later
/// additions are skipped on decode.
extension FileMetaData {
    /// Decodes a footer (the Thrift bytes between the data and the 4-byte length + "PAR1").
    ///
    /// Bytes after the struct's stop field are ignored. Error offsets are relative to the start
    /// of `thriftBytes`; callers can add context with ``ParquetError/located(_:)``.
    /// - Throws: `.truncated`/`.corrupt` for malformed Thrift or a missing required field,
    ///   `.unsupported` for a physical type, codec or repetition this library cannot read.
    public init(thriftBytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var r = ThriftCompactReader(thriftBytes)
        try self.init(thrift: &r)
    }

    /// Encodes the footer as Thrift compact bytes (without the length and magic).
    public func thriftEncoded() -> [UInt8] {
        var w = ThriftCompactWriter(output: ByteWriter(capacity: 1024))
        writeThrift(to: &w)
        return w.output.bytes
    }

    /// Decodes a `FileMetaData` struct at the reader's position.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let token = try r.enterStruct()
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        var keyValues: [KeyValue]?
        var createdBy: String?
        var columnOrders: [ColumnOrder]?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: version = try r.readI32(f, "FileMetaData.version")
            case 2:
                let n = try r.readListHeader(f, of: .struct, "FileMetaData.schema")
                var list: [SchemaElement] = []
                for _ in 0..<n { list.append(try SchemaElement(thrift: &r)) }
                schema = list
            case 3: numRows = try r.readI64(f, "FileMetaData.num_rows")
            case 4:
                let n = try r.readListHeader(f, of: .struct, "FileMetaData.row_groups")
                var list: [RowGroup] = []
                for _ in 0..<n { list.append(try RowGroup(thrift: &r)) }
                rowGroups = list
            case 5: keyValues = try KeyValue.readThriftList(&r, f, "FileMetaData.key_value_metadata")
            case 6: createdBy = try r.readString(f, "FileMetaData.created_by")
            case 7:
                let n = try r.readListHeader(f, of: .struct, "FileMetaData.column_orders")
                var list: [ColumnOrder] = []
                for _ in 0..<n { list.append(try ColumnOrder(thrift: &r)) }
                columnOrders = list
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let version else { throw thriftMissing("FileMetaData", "version", 1, at: r.offset) }
        guard let schema else { throw thriftMissing("FileMetaData", "schema", 2, at: r.offset) }
        guard let numRows else { throw thriftMissing("FileMetaData", "num_rows", 3, at: r.offset) }
        guard let rowGroups else { throw thriftMissing("FileMetaData", "row_groups", 4, at: r.offset) }
        self.init(
            version: version, schema: schema, numRows: numRows, rowGroups: rowGroups,
            keyValueMetadata: keyValues, createdBy: createdBy, columnOrders: columnOrders)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeI32Field(1, version)
        w.writeFieldHeader(2, .list)
        w.writeListHeader(.struct, count: schema.count)
        for e in schema { e.writeThrift(to: &w) }
        w.writeI64Field(3, numRows)
        w.writeFieldHeader(4, .list)
        w.writeListHeader(.struct, count: rowGroups.count)
        for g in rowGroups { g.writeThrift(to: &w) }
        if let keyValueMetadata { KeyValue.writeThriftList(&w, 5, keyValueMetadata) }
        if let createdBy { w.writeStringField(6, createdBy) }
        if let columnOrders {
            w.writeFieldHeader(7, .list)
            w.writeListHeader(.struct, count: columnOrders.count)
            for o in columnOrders { o.writeThrift(to: &w) }
        }
        w.endStruct(token)
    }
}

/// Thrift encoding of `KeyValue`: key=1, value=2.
extension KeyValue {
    /// Decodes a `KeyValue` struct at the reader's position.
    ///
    /// - Throws: `.corrupt` for malformed Thrift or a missing key.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let token = try r.enterStruct()
        var key: String?
        var value: String?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: key = try r.readString(f, "KeyValue.key")
            case 2: value = try r.readString(f, "KeyValue.value")
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let key else { throw thriftMissing("KeyValue", "key", 1, at: r.offset) }
        self.init(key: key, value: value)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeStringField(1, key)
        if let value { w.writeStringField(2, value) }
        w.endStruct(token)
    }

    /// Reads a `list<KeyValue>` field's value.
    static func readThriftList(
        _ r: inout ThriftCompactReader, _ f: ThriftFieldHeader,
        _ name: StaticString
    ) throws(ParquetError) -> [KeyValue] {
        let n = try r.readListHeader(f, of: .struct, name)
        var list: [KeyValue] = []
        for _ in 0..<n { list.append(try KeyValue(thrift: &r)) }
        return list
    }

    /// Writes a `list<KeyValue>` field with id `id`.
    static func writeThriftList(_ w: inout ThriftCompactWriter, _ id: Int16, _ list: [KeyValue]) {
        w.writeFieldHeader(id, .list)
        w.writeListHeader(.struct, count: list.count)
        for kv in list { kv.writeThrift(to: &w) }
    }
}

/// Thrift encoding of the `ColumnOrder` union: TYPE_ORDER=1 (an empty struct). Any other member
/// (IEEE_754_TOTAL_ORDER=2, …) decodes as ``ColumnOrder/unknown``, and ``ColumnOrder/unknown``
/// encodes as an empty union, which readers treat as an unknown order (ignore min/max).
extension ColumnOrder {
    /// Decodes a `ColumnOrder` union at the reader's position.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let token = try r.enterStruct()
        var order = ColumnOrder.unknown
        while let f = try r.readFieldHeader() {
            if f.id == 1 {
                try r.expectStruct(f, "ColumnOrder.TYPE_ORDER")
                order = .typeDefinedOrder
            }
            try r.skip(f.type)
        }
        r.exitStruct(token)
        self = order
    }

    /// Encodes the union (`TYPE_ORDER` for ``typeDefinedOrder``, no member for ``unknown``).
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        if self == .typeDefinedOrder { w.writeEmptyStructField(1) }
        w.endStruct(token)
    }
}
