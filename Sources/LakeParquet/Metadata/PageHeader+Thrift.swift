import LakeBase
/// Thrift encoding of page headers (parquet.thrift):
///
/// - `PageHeader`: type=1, uncompressed_page_size=2, compressed_page_size=3, crc=4,
///   data_page_header=5, index_page_header=6 (skipped), dictionary_page_header=7, data_page_header_v2=8.
/// - `DataPageHeader`: num_values=1, encoding=2, definition_level_encoding=3,
///   repetition_level_encoding=4, statistics=5.
/// - `DictionaryPageHeader`: num_values=1, encoding=2, is_sorted=3.
/// - `DataPageHeaderV2`: num_values=1, num_nulls=2, num_rows=3, encoding=4,
///   definition_levels_byte_length=5, repetition_levels_byte_length=6, is_compressed=7, statistics=8.
extension PageHeader {
    /// Decodes one page header at the reader's position and advances past it.
    ///
    /// - Throws: `.truncated`/`.corrupt` for malformed Thrift or a missing required field,
    ///   `.unsupported` for a page type or encoding this library does not know. Messages name
    ///   the byte offset (relative to the reader's `origin`).
    public static func decode(from reader: inout ByteReader<ParquetError>) throws(ParquetError) -> PageHeader {
        var r = ThriftCompactReader(reader)
        let header = try PageHeader(thrift: &r)
        reader.position = r.input.position
        return header
    }

    /// Appends this header's Thrift encoding to `writer`.
    public func encode(into writer: inout ByteWriter) {
        var w = ThriftCompactWriter(taking: &writer)
        writeThrift(to: &w)
        writer = w.output
    }

    /// Decodes a `PageHeader` struct at the reader's position.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.offset
        let token = try r.enterStruct()
        var type: Int32?
        var uncompressed: Int32?
        var compressed: Int32?
        var crc: Int32?
        var data: DataPageHeader?
        var dictionary: DictionaryPageHeader?
        var dataV2: DataPageHeaderV2?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: type = try r.readI32(f, "PageHeader.type")
            case 2: uncompressed = try r.readI32(f, "PageHeader.uncompressed_page_size")
            case 3: compressed = try r.readI32(f, "PageHeader.compressed_page_size")
            case 4: crc = try r.readI32(f, "PageHeader.crc")
            case 5:
                try r.expectStruct(f, "PageHeader.data_page_header")
                data = try DataPageHeader(thrift: &r)
            case 7:
                try r.expectStruct(f, "PageHeader.dictionary_page_header")
                dictionary = try DictionaryPageHeader(thrift: &r)
            case 8:
                try r.expectStruct(f, "PageHeader.data_page_header_v2")
                dataV2 = try DataPageHeaderV2(thrift: &r)
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let type else { throw thriftMissing("PageHeader", "type", 1, at: r.offset) }
        guard let uncompressed else { throw thriftMissing("PageHeader", "uncompressed_page_size", 2, at: r.offset) }
        guard let compressed else { throw thriftMissing("PageHeader", "compressed_page_size", 3, at: r.offset) }
        guard let pageType = PageType(rawValue: type) else {
            throw ParquetError(.unsupported, "unknown page type \(type) in page header at offset \(start)")
        }
        self.init(
            type: pageType, uncompressedPageSize: uncompressed, compressedPageSize: compressed, crc: crc,
            dataPageHeader: data, dictionaryPageHeader: dictionary, dataPageHeaderV2: dataV2)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeI32Field(1, type.rawValue)
        w.writeI32Field(2, uncompressedPageSize)
        w.writeI32Field(3, compressedPageSize)
        if let crc { w.writeI32Field(4, crc) }
        if let dataPageHeader {
            w.writeFieldHeader(5, .struct)
            dataPageHeader.writeThrift(to: &w)
        }
        if let dictionaryPageHeader {
            w.writeFieldHeader(7, .struct)
            dictionaryPageHeader.writeThrift(to: &w)
        }
        if let dataPageHeaderV2 {
            w.writeFieldHeader(8, .struct)
            dataPageHeaderV2.writeThrift(to: &w)
        }
        w.endStruct(token)
    }
}

/// Converts a Thrift `Encoding` number, throwing `.unsupported` naming `what` for unknown values.
@inline(__always)
func thriftEncoding(_ raw: Int32, _ what: @autoclosure () -> String) throws(ParquetError) -> Encoding {
    guard let e = Encoding(rawValue: raw) else {
        throw ParquetError(.unsupported, "unknown encoding \(raw) in \(what())")
    }
    return e
}

extension DataPageHeader {
    /// Decodes a `DataPageHeader` struct at the reader's position.
    ///
    /// - Throws: `.corrupt` for malformed Thrift or a missing required field, `.unsupported` for
    ///   an unknown encoding.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.offset
        let token = try r.enterStruct()
        var numValues: Int32?
        var encoding: Int32?
        var defEncoding: Int32?
        var repEncoding: Int32?
        var statistics: Statistics?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: numValues = try r.readI32(f, "DataPageHeader.num_values")
            case 2: encoding = try r.readI32(f, "DataPageHeader.encoding")
            case 3: defEncoding = try r.readI32(f, "DataPageHeader.definition_level_encoding")
            case 4: repEncoding = try r.readI32(f, "DataPageHeader.repetition_level_encoding")
            case 5:
                try r.expectStruct(f, "DataPageHeader.statistics")
                statistics = try Statistics(thrift: &r)
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let numValues else { throw thriftMissing("DataPageHeader", "num_values", 1, at: r.offset) }
        guard let encoding else { throw thriftMissing("DataPageHeader", "encoding", 2, at: r.offset) }
        guard let defEncoding else {
            throw thriftMissing("DataPageHeader", "definition_level_encoding", 3, at: r.offset)
        }
        guard let repEncoding else {
            throw thriftMissing("DataPageHeader", "repetition_level_encoding", 4, at: r.offset)
        }
        self.init(
            numValues: numValues,
            encoding: try thriftEncoding(encoding, "data page header at offset \(start)"),
            definitionLevelEncoding: try thriftEncoding(
                defEncoding, "data page header (definition levels) at offset \(start)"),
            repetitionLevelEncoding: try thriftEncoding(
                repEncoding, "data page header (repetition levels) at offset \(start)"),
            statistics: statistics)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeI32Field(1, numValues)
        w.writeI32Field(2, encoding.rawValue)
        w.writeI32Field(3, definitionLevelEncoding.rawValue)
        w.writeI32Field(4, repetitionLevelEncoding.rawValue)
        if let statistics {
            w.writeFieldHeader(5, .struct)
            statistics.writeThrift(to: &w)
        }
        w.endStruct(token)
    }
}

extension DictionaryPageHeader {
    /// Decodes a `DictionaryPageHeader` struct at the reader's position.
    ///
    /// - Throws: `.corrupt` for malformed Thrift or a missing required field, `.unsupported` for
    ///   an unknown encoding.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.offset
        let token = try r.enterStruct()
        var numValues: Int32?
        var encoding: Int32?
        var isSorted: Bool?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: numValues = try r.readI32(f, "DictionaryPageHeader.num_values")
            case 2: encoding = try r.readI32(f, "DictionaryPageHeader.encoding")
            case 3: isSorted = try r.readBool(f, "DictionaryPageHeader.is_sorted")
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let numValues else { throw thriftMissing("DictionaryPageHeader", "num_values", 1, at: r.offset) }
        guard let encoding else { throw thriftMissing("DictionaryPageHeader", "encoding", 2, at: r.offset) }
        self.init(
            numValues: numValues,
            encoding: try thriftEncoding(encoding, "dictionary page header at offset \(start)"),
            isSorted: isSorted)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeI32Field(1, numValues)
        w.writeI32Field(2, encoding.rawValue)
        if let isSorted { w.writeBoolField(3, isSorted) }
        w.endStruct(token)
    }
}

extension DataPageHeaderV2 {
    /// Decodes a `DataPageHeaderV2` struct at the reader's position.
    ///
    /// - Throws: `.corrupt` for malformed Thrift or a missing required field, `.unsupported` for
    ///   an unknown encoding.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.offset
        let token = try r.enterStruct()
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Int32?
        var defLength: Int32?
        var repLength: Int32?
        var isCompressed: Bool?
        var statistics: Statistics?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: numValues = try r.readI32(f, "DataPageHeaderV2.num_values")
            case 2: numNulls = try r.readI32(f, "DataPageHeaderV2.num_nulls")
            case 3: numRows = try r.readI32(f, "DataPageHeaderV2.num_rows")
            case 4: encoding = try r.readI32(f, "DataPageHeaderV2.encoding")
            case 5: defLength = try r.readI32(f, "DataPageHeaderV2.definition_levels_byte_length")
            case 6: repLength = try r.readI32(f, "DataPageHeaderV2.repetition_levels_byte_length")
            case 7: isCompressed = try r.readBool(f, "DataPageHeaderV2.is_compressed")
            case 8:
                try r.expectStruct(f, "DataPageHeaderV2.statistics")
                statistics = try Statistics(thrift: &r)
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let numValues else { throw thriftMissing("DataPageHeaderV2", "num_values", 1, at: r.offset) }
        guard let numNulls else { throw thriftMissing("DataPageHeaderV2", "num_nulls", 2, at: r.offset) }
        guard let numRows else { throw thriftMissing("DataPageHeaderV2", "num_rows", 3, at: r.offset) }
        guard let encoding else { throw thriftMissing("DataPageHeaderV2", "encoding", 4, at: r.offset) }
        guard let defLength else {
            throw thriftMissing("DataPageHeaderV2", "definition_levels_byte_length", 5, at: r.offset)
        }
        guard let repLength else {
            throw thriftMissing("DataPageHeaderV2", "repetition_levels_byte_length", 6, at: r.offset)
        }
        self.init(
            numValues: numValues, numNulls: numNulls, numRows: numRows,
            encoding: try thriftEncoding(encoding, "data page v2 header at offset \(start)"),
            definitionLevelsByteLength: defLength, repetitionLevelsByteLength: repLength,
            isCompressed: isCompressed, statistics: statistics)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        w.writeI32Field(1, numValues)
        w.writeI32Field(2, numNulls)
        w.writeI32Field(3, numRows)
        w.writeI32Field(4, encoding.rawValue)
        w.writeI32Field(5, definitionLevelsByteLength)
        w.writeI32Field(6, repetitionLevelsByteLength)
        if let isCompressed { w.writeBoolField(7, isCompressed) }
        if let statistics {
            w.writeFieldHeader(8, .struct)
            statistics.writeThrift(to: &w)
        }
        w.endStruct(token)
    }
}
