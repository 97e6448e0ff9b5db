import PropertyBased
import Testing
@testable import LakeParquet
import LakeTestSupport
import LakeBase

/// Encodes with `write`, decodes with `read`, and returns the decoded value and whether all bytes were consumed.
func thriftRoundTrip<T>(
    _ value: T, write: (T, inout ThriftCompactWriter) -> Void,
    read: (inout ThriftCompactReader) throws(ParquetError) -> T
) throws(ParquetError) -> (T, Bool) {
    var w = ThriftCompactWriter()
    write(value, &w)
    let bytes = w.bytes
    return try withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
        (try read(&r), r.input.isAtEnd)
    }
}

@Suite struct ThriftMetadataTests {
    static func sampleFooter() -> FileMetaData {
        let stats = Statistics(
            max: [9], min: [1], nullCount: 2, distinctCount: 5, maxValue: [0xFF, 0], minValue: [],
            isMaxValueExact: true, isMinValueExact: false)
        let column = ColumnMetaData(
            type: .byteArray, encodings: [.plain, .rle, .rleDictionary], pathInSchema: ["a", "b"], codec: .zstd,
            numValues: 1000, totalUncompressedSize: 5000, totalCompressedSize: 3000,
            keyValueMetadata: [KeyValue(key: "ck", value: nil)], dataPageOffset: 4, indexPageOffset: 90,
            dictionaryPageOffset: 4, statistics: stats,
            encodingStats: [
                PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
                PageEncodingStats(pageType: .dataPage, encoding: .rleDictionary, count: 3),
            ])
        let group = RowGroup(
            columns: [
                ColumnChunk(filePath: nil, fileOffset: 0, metaData: column),
                ColumnChunk(filePath: "other.parquet", fileOffset: 77, metaData: nil),
            ],
            totalByteSize: 5000, numRows: 1000, fileOffset: 4, totalCompressedSize: 3000, ordinal: 0)
        let schema = [
            SchemaElement(name: "schema", numChildren: 2),
            SchemaElement(repetitionType: .optional, name: "a", numChildren: 1),
            SchemaElement(
                type: .byteArray, repetitionType: .required, name: "b", convertedType: .utf8, fieldId: 3,
                logicalType: .string),
            SchemaElement(
                type: .fixedLenByteArray, typeLength: 16, repetitionType: .optional, name: "d",
                convertedType: .decimal, scale: 10, precision: 38, logicalType: .decimal(precision: 38, scale: 10)),
        ]
        return FileMetaData(
            version: 2, schema: schema, numRows: 1000, rowGroups: [group, group],
            keyValueMetadata: [KeyValue(key: "writer", value: "lake"), KeyValue(key: "ü", value: "✓")],
            createdBy: "lake version 0.1", columnOrders: [.typeDefinedOrder, .unknown])
    }

    // MARK: Round trips of every struct

    @Test func footerRoundTrip() throws {
        let meta = Self.sampleFooter()
        let bytes = meta.thriftEncoded()
        let decoded = try bytes.withUnsafeBytes { raw in try FileMetaData(thriftBytes: raw) }
        #expect(decoded == meta)
        #expect(ThriftFieldInjector.fieldIdsAscend(bytes))
    }

    @Test func footerRoundTripProperty() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            let meta = RandomMetadata.fileMetaData(&rng)
            let bytes = meta.thriftEncoded()
            let decoded = try bytes.withUnsafeBytes { raw in try FileMetaData(thriftBytes: raw) }
            #expect(decoded == meta)
            #expect(ThriftFieldInjector.fieldIdsAscend(bytes))
        }
    }

    @Test func pageHeaderRoundTripProperty() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            let first = RandomMetadata.pageHeader(&rng)
            let second = RandomMetadata.pageHeader(&rng)
            var out = ByteWriter()
            first.encode(into: &out)
            let firstLength = out.count
            second.encode(into: &out)
            out.append(contentsOf: [1, 2, 3])  // page data follows the header
            #expect(ThriftFieldInjector.fieldIdsAscend(Array(out.bytes.prefix(firstLength))))
            try out.bytes.withUnsafeBytes { raw throws in
                var reader = ByteReader<ParquetError>(raw)
                #expect(try PageHeader.decode(from: &reader) == first)
                #expect(reader.position == firstLength)
                #expect(try PageHeader.decode(from: &reader) == second)
                #expect(reader.remaining == 3)
            }
        }
    }

    @Test func everyStructRoundTripsOnItsOwn() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            func check<T: Equatable>(
                _ v: T, _ write: (T, inout ThriftCompactWriter) -> Void,
                _ read: (inout ThriftCompactReader) throws(ParquetError) -> T
            ) throws {
                let (decoded, atEnd) = try thriftRoundTrip(v, write: write, read: read)
                #expect(decoded == v)
                #expect(atEnd)
            }
            try check(
                RandomMetadata.statistics(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try Statistics(thrift: &r) })
            try check(
                RandomMetadata.keyValue(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try KeyValue(thrift: &r) })
            try check(
                RandomMetadata.encodingStats(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try PageEncodingStats(thrift: &r) })
            try check(
                RandomMetadata.columnOrder(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try ColumnOrder(thrift: &r) })
            try check(
                RandomMetadata.schemaElement(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try SchemaElement(thrift: &r) })
            try check(
                RandomMetadata.columnMetaData(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try ColumnMetaData(thrift: &r) })
            try check(
                RandomMetadata.columnChunk(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try ColumnChunk(thrift: &r) })
            try check(
                RandomMetadata.rowGroup(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try RowGroup(thrift: &r) })
            try check(
                RandomMetadata.dataPageHeader(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try DataPageHeader(thrift: &r) })
            try check(
                RandomMetadata.dataPageHeaderV2(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try DataPageHeaderV2(thrift: &r) })
            try check(
                RandomMetadata.dictionaryPageHeader(&rng), { $0.writeThrift(to: &$1) },
                { (r) throws(ParquetError) in try DictionaryPageHeader(thrift: &r) })
        }
    }

    @Test(arguments: RandomMetadata.allLogicalTypes)
    func logicalTypeRoundTrip(_ logical: LogicalType) throws {
        let (decoded, atEnd) = try thriftRoundTrip(
            Optional(logical), write: { $0!.writeThrift(to: &$1) },
            read: { (r) throws(ParquetError) in try LogicalType.readThrift(from: &r) })
        #expect(decoded == logical)
        #expect(atEnd)
    }

    @Test func writerFieldIdsAscendInEveryStruct() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<50 {
            #expect(ThriftFieldInjector.fieldIdsAscend(RandomMetadata.fileMetaData(&rng).thriftEncoded()))
        }
    }

    // MARK: Newer writers and unknown values

    @Test func unknownEncodingsInTheInformationalListAreDropped() throws {
        var column = Self.sampleFooter().rowGroups[0].columns[0].metaData!
        column.encodings = [.plain, .rle]
        var w = ThriftCompactWriter()
        column.writeThrift(to: &w)
        // Re-encode the encodings list as [PLAIN, 42, RLE] and add a page encoding stat with encoding 42.
        var bytes = ThriftFieldInjector.rewriteField(w.bytes, id: 2) { w in
            w.writeListHeader(.i32, count: 3)
            w.writeI32(0)
            w.writeI32(42)
            w.writeI32(3)
        }
        bytes = ThriftFieldInjector.rewriteField(bytes, id: 13) { w in
            w.writeListHeader(.struct, count: 2)
            PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 1).writeThrift(to: &w)
            let t = w.beginStruct()
            w.writeI32Field(1, 0)
            w.writeI32Field(2, 42)
            w.writeI32Field(3, 7)
            w.endStruct(t)
        }
        let decoded = try withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            try ColumnMetaData(thrift: &r)
        }
        #expect(decoded.encodings == [.plain, .rle])
        #expect(decoded.encodingStats == [PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 1)])
    }

    @Test func unknownPhysicalTypeOrCodecNamesTheColumn() {
        let column = Self.sampleFooter().rowGroups[0].columns[0].metaData!
        var w = ThriftCompactWriter()
        column.writeThrift(to: &w)
        let badType = ThriftFieldInjector.rewriteField(w.bytes, id: 1) { $0.writeI32(9) }
        let e1 = thriftError(badType) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try ColumnMetaData(thrift: &r)
        }
        #expect(e1?.code == .unsupported)
        #expect(e1?.message.contains("unknown physical type 9 in column a.b") == true)
        let badCodec = ThriftFieldInjector.rewriteField(w.bytes, id: 4) { $0.writeI32(12) }
        let e2 = thriftError(badCodec) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try ColumnMetaData(thrift: &r)
        }
        #expect(e2?.code == .unsupported)
        #expect(e2?.message.contains("unknown compression codec 12 in column a.b") == true)
    }

    @Test func unknownPageEncodingIsUnsupported() {
        let header = PageHeader(
            type: .dataPage, uncompressedPageSize: 1, compressedPageSize: 1,
            dataPageHeader: DataPageHeader(numValues: 1, encoding: .plain))
        var w = ByteWriter()
        header.encode(into: &w)
        // PageHeader bytes: 15 00 15 02 15 02 2C [15 02 15 00 ...]: the data page encoding is at index 10.
        var bytes = w.bytes
        #expect(bytes[9] == 0x15 && bytes[10] == 0x00)
        bytes[10] = 24  // zigzag(12)
        let error = bytes.withUnsafeBytes { raw in
            Result { () throws(ParquetError) in
                var reader = ByteReader<ParquetError>(raw)
                return try PageHeader.decode(from: &reader)
            }
        }
        guard case .failure(let e) = error else { Issue.record("expected an error"); return }
        #expect(e.code == .unsupported)
        #expect(e.message.contains("unknown encoding 12 in data page header"))

        var page = w.bytes
        page[1] = 14  // page type 7
        let typeError = page.withUnsafeBytes { raw in
            Result { () throws(ParquetError) in
                var reader = ByteReader<ParquetError>(raw)
                return try PageHeader.decode(from: &reader)
            }
        }
        guard case .failure(let t) = typeError else { Issue.record("expected an error"); return }
        #expect(t.code == .unsupported)
        #expect(t.message.contains("unknown page type 7"))
    }

    @Test func unknownConvertedAndLogicalTypesAreAbsent() throws {
        var w = ThriftCompactWriter()
        let t = w.beginStruct()
        w.writeI32Field(1, PhysicalType.byteArray.rawValue)
        w.writeI32Field(3, Repetition.optional.rawValue)
        w.writeStringField(4, "geo")
        w.writeI32Field(6, 99)  // converted type from the future
        w.writeFieldHeader(10, .struct)
        let u = w.beginStruct()
        w.writeFieldHeader(17, .struct)  // GEOMETRY { 1: crs }
        let g = w.beginStruct()
        w.writeStringField(1, "OGC:CRS84")
        w.endStruct(g)
        w.endStruct(u)
        w.writeI32Field(11, 4)  // vector_length, not modelled
        w.endStruct(t)
        let e = try withThriftReader(w.bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            try SchemaElement(thrift: &r)
        }
        #expect(e == SchemaElement(type: .byteArray, repetitionType: .optional, name: "geo"))
    }

    @Test func timestampWithUnknownUnitIsAbsent() throws {
        // TIMESTAMP { isAdjustedToUTC = true, unit = TimeUnit { 9: {} } }
        let bytes: [UInt8] = [0x8C, 0x11, 0x1C, 0x9C, 0x00, 0x00, 0x00, 0x00]
        let logical = try withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            try LogicalType.readThrift(from: &r)
        }
        #expect(logical == nil)
    }

    @Test func missingRequiredFieldsAreCorruptAndNamed() {
        // FileMetaData { 1: version = 1 } and nothing else.
        let e1 = [UInt8]([0x15, 0x02, 0x00]).withUnsafeBytes { raw in
            Result { () throws(ParquetError) in try FileMetaData(thriftBytes: raw) }
        }
        guard case .failure(let err) = e1 else { Issue.record("expected an error"); return }
        #expect(err.code == .corrupt)
        #expect(err.message.contains("FileMetaData") && err.message.contains("schema"))

        // DecimalType without precision.
        let e2 = thriftError([0x5C, 0x15, 0x02, 0x00, 0x00]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try LogicalType.readThrift(from: &r)
        }
        #expect(e2?.code == .corrupt)
        #expect(e2?.message.contains("DecimalType") == true && e2?.message.contains("precision") == true)

        // KeyValue without key.
        let e3 = thriftError([0x28, 0x01, 0x61, 0x00]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try KeyValue(thrift: &r)
        }
        #expect(e3?.message.contains("KeyValue is missing required field key") == true)

        // ColumnChunk without file_offset.
        let e4 = thriftError([0x18, 0x00, 0x00]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try ColumnChunk(thrift: &r)
        }
        #expect(e4?.message.contains("ColumnChunk is missing required field file_offset") == true)
    }

    @Test func wrongFieldTypeIsCorruptAndNamed() {
        // FileMetaData { 1: version as a binary }
        let error = thriftError([0x18, 0x01, 0x61, 0x00]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try FileMetaData(thrift: &r)
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("FileMetaData.version") == true)
        #expect(error?.message.contains("expected i32") == true)
    }

    @Test func mutatedFootersNeverCrash() async {
        let bytes = Self.sampleFooter().thriftEncoded()
        await propertyCheck(count: 500, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<mutated.count, using: &rng)
                mutated[i] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { mutated.removeLast(Int.random(in: 0..<mutated.count, using: &rng)) }
            // Either outcome is fine; what matters is a ParquetError or a value, never a trap.
            _ = mutated.withUnsafeBytes { raw in
                Result { () throws(ParquetError) in try FileMetaData(thriftBytes: raw) }
            }
        }
    }
}

// MARK: - Random metadata

enum RandomMetadata {
    static func maybe<T>(_ rng: inout SplitMix, _ make: (inout SplitMix) -> T) -> T? {
        Bool.random(using: &rng) ? make(&rng) : nil
    }

    static func bytes(_ rng: inout SplitMix) -> [UInt8] {
        (0..<Int.random(in: 0...12, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func string(_ rng: inout SplitMix) -> String {
        let alphabet = Array("abcXYZ019_-. éü✓")
        return String((0..<Int.random(in: 0...10, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func i32(_ rng: inout SplitMix) -> Int32 {
        Bool.random(using: &rng)
            ? Int32.random(in: -1000...1000, using: &rng) : Int32.random(in: .min ... .max, using: &rng)
    }

    static func i64(_ rng: inout SplitMix) -> Int64 {
        Bool.random(using: &rng)
            ? Int64.random(in: -1000...1000, using: &rng) : Int64.random(in: .min ... .max, using: &rng)
    }

    static func encoding(_ rng: inout SplitMix) -> Encoding { Encoding.allCases.randomElement(using: &rng)! }

    static func statistics(_ rng: inout SplitMix) -> Statistics {
        Statistics(
            max: maybe(&rng, bytes), min: maybe(&rng, bytes), nullCount: maybe(&rng, i64),
            distinctCount: maybe(&rng, i64), maxValue: maybe(&rng, bytes), minValue: maybe(&rng, bytes),
            isMaxValueExact: maybe(&rng) { Bool.random(using: &$0) },
            isMinValueExact: maybe(&rng) { Bool.random(using: &$0) })
    }

    static func keyValue(_ rng: inout SplitMix) -> KeyValue {
        KeyValue(key: string(&rng), value: maybe(&rng, string))
    }

    static func keyValues(_ rng: inout SplitMix) -> [KeyValue] {
        (0..<Int.random(in: 0...3, using: &rng)).map { _ in keyValue(&rng) }
    }

    static let pageTypes: [PageType] = [.dataPage, .indexPage, .dictionaryPage, .dataPageV2]

    static func encodingStats(_ rng: inout SplitMix) -> PageEncodingStats {
        PageEncodingStats(pageType: pageTypes.randomElement(using: &rng)!, encoding: encoding(&rng), count: i32(&rng))
    }

    static func columnOrder(_ rng: inout SplitMix) -> ColumnOrder {
        Int.random(in: 0..<4, using: &rng) == 0 ? .unknown : .typeDefinedOrder
    }

    static let allLogicalTypes: [LogicalType] = {
        var all: [LogicalType] = [
            .string, .map, .list, .enum, .date, .unknown, .json, .bson, .uuid, .float16,
            .decimal(precision: 38, scale: 10), .decimal(precision: 1, scale: 0),
        ]
        for unit in [TimeUnit.millis, .micros, .nanos] {
            for utc in [true, false] {
                all.append(.time(isAdjustedToUTC: utc, unit: unit))
                all.append(.timestamp(isAdjustedToUTC: utc, unit: unit))
            }
        }
        for bits: Int8 in [8, 16, 32, 64] {
            all.append(.integer(bitWidth: bits, isSigned: true))
            all.append(.integer(bitWidth: bits, isSigned: false))
        }
        return all
    }()

    static func schemaElement(_ rng: inout SplitMix) -> SchemaElement {
        SchemaElement(
            type: maybe(&rng) { PhysicalType.allCases.randomElement(using: &$0)! }, typeLength: maybe(&rng, i32),
            repetitionType: maybe(&rng) { Repetition.allCases.randomElement(using: &$0)! }, name: string(&rng),
            numChildren: maybe(&rng, i32),
            convertedType: maybe(&rng) { ConvertedType.allCases.randomElement(using: &$0)! },
            scale: maybe(&rng, i32), precision: maybe(&rng, i32), fieldId: maybe(&rng, i32),
            logicalType: maybe(&rng) { allLogicalTypes.randomElement(using: &$0)! })
    }

    static func columnMetaData(_ rng: inout SplitMix) -> ColumnMetaData {
        ColumnMetaData(
            type: PhysicalType.allCases.randomElement(using: &rng)!,
            encodings: (0..<Int.random(in: 0...20, using: &rng)).map { _ in encoding(&rng) },
            pathInSchema: (0..<Int.random(in: 0...4, using: &rng)).map { _ in string(&rng) },
            codec: CompressionCodec.allCases.randomElement(using: &rng)!,
            numValues: i64(&rng), totalUncompressedSize: i64(&rng), totalCompressedSize: i64(&rng),
            keyValueMetadata: maybe(&rng, keyValues), dataPageOffset: i64(&rng),
            indexPageOffset: maybe(&rng, i64), dictionaryPageOffset: maybe(&rng, i64),
            statistics: maybe(&rng, statistics),
            encodingStats: maybe(&rng) { r in (0..<Int.random(in: 0...3, using: &r)).map { _ in encodingStats(&r) } })
    }

    static func columnChunk(_ rng: inout SplitMix) -> ColumnChunk {
        ColumnChunk(filePath: maybe(&rng, string), fileOffset: i64(&rng), metaData: maybe(&rng, columnMetaData))
    }

    static func rowGroup(_ rng: inout SplitMix) -> RowGroup {
        RowGroup(
            columns: (0..<Int.random(in: 0...4, using: &rng)).map { _ in columnChunk(&rng) },
            totalByteSize: i64(&rng), numRows: i64(&rng), fileOffset: maybe(&rng, i64),
            totalCompressedSize: maybe(&rng, i64), ordinal: maybe(&rng) { Int16.random(in: .min ... .max, using: &$0) })
    }

    static func fileMetaData(_ rng: inout SplitMix) -> FileMetaData {
        FileMetaData(
            version: i32(&rng), schema: (0..<Int.random(in: 0...16, using: &rng)).map { _ in schemaElement(&rng) },
            numRows: i64(&rng), rowGroups: (0..<Int.random(in: 0...3, using: &rng)).map { _ in rowGroup(&rng) },
            keyValueMetadata: maybe(&rng, keyValues), createdBy: maybe(&rng, string),
            columnOrders: maybe(&rng) { r in (0..<Int.random(in: 0...3, using: &r)).map { _ in columnOrder(&r) } })
    }

    static func dataPageHeader(_ rng: inout SplitMix) -> DataPageHeader {
        DataPageHeader(
            numValues: i32(&rng), encoding: encoding(&rng), definitionLevelEncoding: encoding(&rng),
            repetitionLevelEncoding: encoding(&rng), statistics: maybe(&rng, statistics))
    }

    static func dataPageHeaderV2(_ rng: inout SplitMix) -> DataPageHeaderV2 {
        DataPageHeaderV2(
            numValues: i32(&rng), numNulls: i32(&rng), numRows: i32(&rng), encoding: encoding(&rng),
            definitionLevelsByteLength: i32(&rng), repetitionLevelsByteLength: i32(&rng),
            isCompressed: maybe(&rng) { Bool.random(using: &$0) }, statistics: maybe(&rng, statistics))
    }

    static func dictionaryPageHeader(_ rng: inout SplitMix) -> DictionaryPageHeader {
        DictionaryPageHeader(
            numValues: i32(&rng), encoding: encoding(&rng), isSorted: maybe(&rng) { Bool.random(using: &$0) })
    }

    static func pageHeader(_ rng: inout SplitMix) -> PageHeader {
        PageHeader(
            type: pageTypes.randomElement(using: &rng)!, uncompressedPageSize: i32(&rng), compressedPageSize: i32(&rng),
            crc: maybe(&rng, i32), dataPageHeader: maybe(&rng, dataPageHeader),
            dictionaryPageHeader: maybe(&rng, dictionaryPageHeader), dataPageHeaderV2: maybe(&rng, dataPageHeaderV2))
    }
}

// MARK: - Generic re-encoding of Thrift structs

/// Walks encoded structs generically: injects unknown fields, rewrites a field, checks id order.
enum ThriftFieldInjector {
    /// Re-encodes a struct, adding to every struct (at any depth) unknown fields of nested shapes.
    static func injectUnknownFields(_ bytes: [UInt8]) -> [UInt8] {
        var w = ThriftCompactWriter()
        try! withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            try copyStruct(&r, &w) { w in
                w.writeFieldHeader(900, .struct)
                let t = w.beginStruct()
                w.writeFieldHeader(1, .list)
                w.writeListHeader(.map, count: 1)
                w.writeMapHeader(key: .binary, value: .list, count: 1)
                w.writeString("k")
                w.writeListHeader(.double, count: 2)
                w.writeDouble(1)
                w.writeDouble(2)
                w.writeBoolField(2, true)
                w.endStruct(t)
                w.writeBoolField(901, false)
                w.writeFieldHeader(902, .binary)
                w.writeBinary([0, 0, 0])
            }
        }
        return w.bytes
    }

    /// Re-encodes a struct, replacing the value of top-level field `id` by what `value` writes.
    static func rewriteField(_ bytes: [UInt8], id: Int16, _ value: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var w = ThriftCompactWriter()
        try! withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            let rt = try r.enterStruct()
            let wt = w.beginStruct()
            while let f = try r.readFieldHeader() {
                if f.id == id {
                    w.writeFieldHeader(f.id, f.type)
                    value(&w)
                    try r.skip(f.type)
                } else {
                    try copyField(f, &r, &w, nil)
                }
            }
            r.exitStruct(rt)
            w.endStruct(wt)
        }
        return w.bytes
    }

    /// Whether field ids increase within every struct of the encoded value.
    static func fieldIdsAscend(_ bytes: [UInt8]) -> Bool {
        var ok = true
        var sink = ThriftCompactWriter()
        try! withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            try copyStruct(&r, &sink, nil, check: &ok)
        }
        return ok
    }

    private static func copyStruct(
        _ r: inout ThriftCompactReader, _ w: inout ThriftCompactWriter,
        _ inject: ((inout ThriftCompactWriter) -> Void)?
    ) throws(ParquetError) {
        var ignored = true
        try copyStruct(&r, &w, inject, check: &ignored)
    }

    private static func copyStruct(
        _ r: inout ThriftCompactReader, _ w: inout ThriftCompactWriter,
        _ inject: ((inout ThriftCompactWriter) -> Void)?, check ok: inout Bool
    ) throws(ParquetError) {
        let rt = try r.enterStruct()
        let wt = w.beginStruct()
        var last = Int16.min
        while let f = try r.readFieldHeader() {
            if f.id <= last { ok = false }
            last = f.id
            try copyField(f, &r, &w, inject, check: &ok)
        }
        inject?(&w)
        r.exitStruct(rt)
        w.endStruct(wt)
    }

    private static func copyField(
        _ f: ThriftFieldHeader, _ r: inout ThriftCompactReader, _ w: inout ThriftCompactWriter,
        _ inject: ((inout ThriftCompactWriter) -> Void)?
    ) throws(ParquetError) {
        var ignored = true
        try copyField(f, &r, &w, inject, check: &ignored)
    }

    private static func copyField(
        _ f: ThriftFieldHeader, _ r: inout ThriftCompactReader, _ w: inout ThriftCompactWriter,
        _ inject: ((inout ThriftCompactWriter) -> Void)?, check ok: inout Bool
    ) throws(ParquetError) {
        if f.type == .bool {
            w.writeBoolField(f.id, try r.readBool())
        } else {
            w.writeFieldHeader(f.id, f.type)
            try copyValue(f.type, &r, &w, inject, check: &ok)
        }
    }

    private static func copyValue(
        _ type: ThriftType, _ r: inout ThriftCompactReader, _ w: inout ThriftCompactWriter,
        _ inject: ((inout ThriftCompactWriter) -> Void)?, check ok: inout Bool
    ) throws(ParquetError) {
        switch type {
        case .bool: w.writeBool(try r.readBool())
        case .i8: w.writeI8(try r.readI8())
        case .i16: w.writeI16(try r.readI16())
        case .i32: w.writeI32(try r.readI32())
        case .i64: w.writeI64(try r.readI64())
        case .double: w.writeDouble(try r.readDouble())
        case .binary: w.writeBinary(try r.readBinary())
        case .uuid: w.writeUUID(try r.readUUID())
        case .struct: try copyStruct(&r, &w, inject, check: &ok)
        case .list, .set:
            let h = try r.readListHeader()
            w.writeListHeader(h.elementType, count: h.count)
            for _ in 0..<h.count { try copyValue(h.elementType, &r, &w, inject, check: &ok) }
        case .map:
            let h = try r.readMapHeader()
            w.writeMapHeader(key: h.keyType, value: h.valueType, count: h.count)
            for _ in 0..<h.count {
                try copyValue(h.keyType, &r, &w, inject, check: &ok)
                try copyValue(h.valueType, &r, &w, inject, check: &ok)
            }
        }
    }
}
