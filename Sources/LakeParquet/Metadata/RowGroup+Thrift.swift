/// Thrift encoding of `RowGroup`: columns=1, total_byte_size=2, num_rows=3,
/// sorting_columns=4 (skipped), file_offset=5, total_compressed_size=6, ordinal=7.
extension RowGroup {
    /// Decodes a `RowGroup` struct at the reader's position.
    ///
    /// - Throws: `.corrupt` for malformed Thrift or a missing required field; errors of its
    ///   column chunks.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let token = try r.enterStruct()
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        var fileOffset: Int64?
        var totalCompressedSize: Int64?
        var ordinal: Int16?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1:
                let n = try r.readListHeader(f, of: .struct, "RowGroup.columns")
                var list: [ColumnChunk] = []
                for _ in 0..<n { list.append(try ColumnChunk(thrift: &r)) }
                columns = list
            case 2: totalByteSize = try r.readI64(f, "RowGroup.total_byte_size")
            case 3: numRows = try r.readI64(f, "RowGroup.num_rows")
            case 5: fileOffset = try r.readI64(f, "RowGroup.file_offset")
            case 6: totalCompressedSize = try r.readI64(f, "RowGroup.total_compressed_size")
            case 7: ordinal = try r.readI16(f, "RowGroup.ordinal")
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let columns else { throw thriftMissing("RowGroup", "columns", 1, at: r.offset) }
        guard let totalByteSize else { throw thriftMissing("RowGroup", "total_byte_size", 2, at: r.offset) }
        guard let numRows else { throw thriftMissing("RowGroup", "num_rows", 3, at: r.offset) }
        self.init(
            columns: columns, totalByteSize: totalByteSize, numRows: numRows, fileOffset: fileOffset,
            totalCompressedSize: totalCompressedSize, ordinal: ordinal)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeFieldHeader(1, .list)
        w.writeListHeader(.struct, count: columns.count)
        for c in columns { c.writeThrift(to: &w) }
        w.writeI64Field(2, totalByteSize)
        w.writeI64Field(3, numRows)
        if let fileOffset { w.writeI64Field(5, fileOffset) }
        if let totalCompressedSize { w.writeI64Field(6, totalCompressedSize) }
        if let ordinal { w.writeI16Field(7, ordinal) }
        w.endStruct(token)
    }
}

/// Thrift encoding of `ColumnChunk`: file_path=1, file_offset=2, meta_data=3. The page index
/// offsets/lengths (4–7) and encryption fields (8, 9) are skipped on decode.
extension ColumnChunk {
    /// Decodes a `ColumnChunk` struct at the reader's position.
    ///
    /// - Throws: `.corrupt` for malformed Thrift or a missing `file_offset`; errors of its metadata.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let token = try r.enterStruct()
        var filePath: String?
        var fileOffset: Int64?
        var metaData: ColumnMetaData?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: filePath = try r.readString(f, "ColumnChunk.file_path")
            case 2: fileOffset = try r.readI64(f, "ColumnChunk.file_offset")
            case 3:
                try r.expectStruct(f, "ColumnChunk.meta_data")
                metaData = try ColumnMetaData(thrift: &r)
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let fileOffset else { throw thriftMissing("ColumnChunk", "file_offset", 2, at: r.offset) }
        self.init(filePath: filePath, fileOffset: fileOffset, metaData: metaData)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        if let filePath { w.writeStringField(1, filePath) }
        w.writeI64Field(2, fileOffset)
        if let metaData {
            w.writeFieldHeader(3, .struct)
            metaData.writeThrift(to: &w)
        }
        w.endStruct(token)
    }
}
