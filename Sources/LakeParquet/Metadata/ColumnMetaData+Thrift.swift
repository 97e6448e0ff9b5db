/// Thrift encoding of `ColumnMetaData`: type=1, encodings=2, path_in_schema=3, codec=4,
/// num_values=5, total_uncompressed_size=6, total_compressed_size=7, key_value_metadata=8,
/// data_page_offset=9, index_page_offset=10, dictionary_page_offset=11, statistics=12,
/// encoding_stats=13. Bloom filter offset/length (14, 15), size statistics (16), geospatial
/// statistics (17) and later additions are skipped on decode.
extension ColumnMetaData {
    /// Decodes a `ColumnMetaData` struct at the reader's position.
    ///
    /// The `encodings` list and `encoding_stats` are informational, so entries with encodings
    /// or page types this library does not know are dropped rather than failing the file.
    /// - Throws: `.corrupt` for malformed Thrift or a missing required field, `.unsupported` for
    ///   an unknown physical type or compression codec (naming the column path).
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.offset
        let token = try r.enterStruct()
        var type: Int32?
        var encodings: [Encoding]?
        var path: [String]?
        var codec: Int32?
        var numValues: Int64?
        var uncompressed: Int64?
        var compressed: Int64?
        var keyValues: [KeyValue]?
        var dataPageOffset: Int64?
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
        var encodingStats: [PageEncodingStats]?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: type = try r.readI32(f, "ColumnMetaData.type")
            case 2:
                let n = try r.readListHeader(f, of: .i32, "ColumnMetaData.encodings")
                var list: [Encoding] = []
                for _ in 0..<n {
                    if let e = Encoding(rawValue: try r.readI32()) { list.append(e) }
                }
                encodings = list
            case 3:
                let n = try r.readListHeader(f, of: .binary, "ColumnMetaData.path_in_schema")
                var list: [String] = []
                for _ in 0..<n { list.append(try r.readString()) }
                path = list
            case 4: codec = try r.readI32(f, "ColumnMetaData.codec")
            case 5: numValues = try r.readI64(f, "ColumnMetaData.num_values")
            case 6: uncompressed = try r.readI64(f, "ColumnMetaData.total_uncompressed_size")
            case 7: compressed = try r.readI64(f, "ColumnMetaData.total_compressed_size")
            case 8: keyValues = try KeyValue.readThriftList(&r, f, "ColumnMetaData.key_value_metadata")
            case 9: dataPageOffset = try r.readI64(f, "ColumnMetaData.data_page_offset")
            case 10: indexPageOffset = try r.readI64(f, "ColumnMetaData.index_page_offset")
            case 11: dictionaryPageOffset = try r.readI64(f, "ColumnMetaData.dictionary_page_offset")
            case 12:
                try r.expectStruct(f, "ColumnMetaData.statistics")
                statistics = try Statistics(thrift: &r)
            case 13:
                let n = try r.readListHeader(f, of: .struct, "ColumnMetaData.encoding_stats")
                var list: [PageEncodingStats] = []
                for _ in 0..<n {
                    if let s = try PageEncodingStats.readThriftRaw(&r).stats { list.append(s) }
                }
                encodingStats = list
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let type else { throw thriftMissing("ColumnMetaData", "type", 1, at: r.offset) }
        guard let encodings else { throw thriftMissing("ColumnMetaData", "encodings", 2, at: r.offset) }
        guard let path else { throw thriftMissing("ColumnMetaData", "path_in_schema", 3, at: r.offset) }
        guard let codec else { throw thriftMissing("ColumnMetaData", "codec", 4, at: r.offset) }
        guard let numValues else { throw thriftMissing("ColumnMetaData", "num_values", 5, at: r.offset) }
        guard let uncompressed else {
            throw thriftMissing("ColumnMetaData", "total_uncompressed_size", 6, at: r.offset)
        }
        guard let compressed else { throw thriftMissing("ColumnMetaData", "total_compressed_size", 7, at: r.offset) }
        guard let dataPageOffset else { throw thriftMissing("ColumnMetaData", "data_page_offset", 9, at: r.offset) }
        guard let physical = PhysicalType(rawValue: type) else {
            throw ParquetError(
                .unsupported,
                "unknown physical type \(type) in column \(path.joined(separator: ".")) (column metadata at offset \(start))"
            )
        }
        guard let compression = CompressionCodec(rawValue: codec) else {
            throw ParquetError(
                .unsupported,
                "unknown compression codec \(codec) in column \(path.joined(separator: ".")) (column metadata at offset \(start))"
            )
        }
        self.init(
            type: physical, encodings: encodings, pathInSchema: path, codec: compression, numValues: numValues,
            totalUncompressedSize: uncompressed, totalCompressedSize: compressed, keyValueMetadata: keyValues,
            dataPageOffset: dataPageOffset, indexPageOffset: indexPageOffset,
            dictionaryPageOffset: dictionaryPageOffset, statistics: statistics, encodingStats: encodingStats)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeI32Field(1, type.rawValue)
        w.writeFieldHeader(2, .list)
        w.writeListHeader(.i32, count: encodings.count)
        for e in encodings { w.writeI32(e.rawValue) }
        w.writeFieldHeader(3, .list)
        w.writeListHeader(.binary, count: pathInSchema.count)
        for p in pathInSchema { w.writeString(p) }
        w.writeI32Field(4, codec.rawValue)
        w.writeI64Field(5, numValues)
        w.writeI64Field(6, totalUncompressedSize)
        w.writeI64Field(7, totalCompressedSize)
        if let keyValueMetadata { KeyValue.writeThriftList(&w, 8, keyValueMetadata) }
        w.writeI64Field(9, dataPageOffset)
        if let indexPageOffset { w.writeI64Field(10, indexPageOffset) }
        if let dictionaryPageOffset { w.writeI64Field(11, dictionaryPageOffset) }
        if let statistics {
            w.writeFieldHeader(12, .struct)
            statistics.writeThrift(to: &w)
        }
        if let encodingStats {
            w.writeFieldHeader(13, .list)
            w.writeListHeader(.struct, count: encodingStats.count)
            for s in encodingStats { s.writeThrift(to: &w) }
        }
        w.endStruct(token)
    }
}

/// Thrift encoding of `PageEncodingStats`: page_type=1, encoding=2, count=3.
extension PageEncodingStats {
    /// Decodes a `PageEncodingStats` struct at the reader's position.
    ///
    /// - Throws: `.corrupt` for malformed Thrift or a missing field, `.unsupported` for an unknown
    ///   page type or encoding.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.offset
        let raw = try Self.readThriftRaw(&r)
        guard let stats = raw.stats else {
            if PageType(rawValue: raw.pageType) == nil {
                throw ParquetError(
                    .unsupported, "unknown page type \(raw.pageType) in page encoding stats at offset \(start)")
            }
            throw ParquetError(
                .unsupported, "unknown encoding \(raw.encoding) in page encoding stats at offset \(start)")
        }
        self = stats
    }

    /// Decodes the struct, returning `stats == nil` when its page type or encoding is unknown.
    static func readThriftRaw(
        _ r: inout ThriftCompactReader
    ) throws(ParquetError)
        -> (stats: PageEncodingStats?, pageType: Int32, encoding: Int32)
    {
        let token = try r.enterStruct()
        var pageType: Int32?
        var encoding: Int32?
        var count: Int32?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: pageType = try r.readI32(f, "PageEncodingStats.page_type")
            case 2: encoding = try r.readI32(f, "PageEncodingStats.encoding")
            case 3: count = try r.readI32(f, "PageEncodingStats.count")
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let pageType else { throw thriftMissing("PageEncodingStats", "page_type", 1, at: r.offset) }
        guard let encoding else { throw thriftMissing("PageEncodingStats", "encoding", 2, at: r.offset) }
        guard let count else { throw thriftMissing("PageEncodingStats", "count", 3, at: r.offset) }
        guard let p = PageType(rawValue: pageType), let e = Encoding(rawValue: encoding) else {
            return (nil, pageType, encoding)
        }
        return (PageEncodingStats(pageType: p, encoding: e, count: count), pageType, encoding)
    }

    /// Encodes all three fields.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeI32Field(1, pageType.rawValue)
        w.writeI32Field(2, encoding.rawValue)
        w.writeI32Field(3, count)
        w.endStruct(token)
    }
}
