import PropertyBased
import Testing
@testable import LakeParquet
import LakeTestSupport
import LakeBase

/// Runs `body` with a compact reader over `bytes`.
func withThriftReader<T>(
    _ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws(ParquetError) -> T
) throws(ParquetError) -> T {
    var result: Result<T, ParquetError>!
    bytes.withUnsafeBytes { raw in
        var r = ThriftCompactReader(raw)
        do throws(ParquetError) { result = .success(try body(&r)) } catch { result = .failure(error) }
    }
    return try result.get()
}

/// Returns the error `body` throws, or `nil` if it succeeds.
func thriftError(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws(ParquetError) -> Void) -> ParquetError? {
    do throws(ParquetError) {
        try withThriftReader(bytes, body)
        return nil
    } catch {
        return error
    }
}

/// Skips one struct and returns how many bytes it consumed.
func skipStruct(_ r: inout ThriftCompactReader) throws(ParquetError) -> Int {
    try r.skip(.struct)
    return r.input.position
}

@Suite struct ThriftCompactProtocolTests {
    // MARK: Known vectors, derived by hand from the compact protocol spec

    @Test func i32FieldIsDeltaHeaderAndZigZagVarint() throws {
        var w = ThriftCompactWriter()
        let t = w.beginStruct()
        w.writeI32Field(1, 5)
        w.endStruct(t)
        #expect(w.bytes == [0x15, 0x0A, 0x00])

        let value = try withThriftReader([0x15, 0x0A, 0x00]) {
            (r: inout ThriftCompactReader) throws(ParquetError) -> Int32? in
            let token = try r.enterStruct()
            var v: Int32?
            while let f = try r.readFieldHeader() {
                #expect(f == ThriftFieldHeader(id: 1, type: .i32))
                v = try r.readI32()
            }
            r.exitStruct(token)
            return v
        }
        #expect(value == 5)
    }

    @Test func boolFieldsLiveInTheTypeNibble() throws {
        var w = ThriftCompactWriter()
        let t = w.beginStruct()
        w.writeBoolField(1, true)
        w.writeBoolField(2, false)
        w.endStruct(t)
        #expect(w.bytes == [0x11, 0x12, 0x00])

        let values = try withThriftReader(w.bytes) { (r: inout ThriftCompactReader) throws(ParquetError) -> [Bool] in
            let token = try r.enterStruct()
            var out: [Bool] = []
            while let f = try r.readFieldHeader() {
                #expect(f.type == .bool)
                out.append(try r.readBool())
            }
            r.exitStruct(token)
            return out
        }
        #expect(values == [true, false])
    }

    @Test func longFormFieldIdWhenDeltaExceeds15OrDecreases() throws {
        var w = ThriftCompactWriter()
        let t = w.beginStruct()
        w.writeI32Field(1, 1)
        w.writeI64Field(20, -1)  // delta 19: long form, id zigzag(20) = 40
        w.writeI16Field(3, 2)  // id decreases: long form
        w.endStruct(t)
        #expect(w.bytes == [0x15, 0x02, 0x06, 0x28, 0x01, 0x04, 0x06, 0x04, 0x00])

        let headers = try withThriftReader(w.bytes) {
            (r: inout ThriftCompactReader) throws(ParquetError) -> [ThriftFieldHeader] in
            let token = try r.enterStruct()
            var out: [ThriftFieldHeader] = []
            while let f = try r.readFieldHeader() {
                out.append(f)
                try r.skip(f.type)
            }
            r.exitStruct(token)
            return out
        }
        #expect(
            headers == [
                ThriftFieldHeader(id: 1, type: .i32), ThriftFieldHeader(id: 20, type: .i64),
                ThriftFieldHeader(id: 3, type: .i16),
            ])
    }

    @Test func specVarintExample() throws {
        // The spec encodes 50399 as DF 89 03; 50399 is zigzag(-25200).
        var w = ThriftCompactWriter()
        w.writeI32(-25200)
        #expect(w.bytes == [0xDF, 0x89, 0x03])
        #expect(
            try withThriftReader([0xDF, 0x89, 0x03]) { (r: inout ThriftCompactReader) throws(ParquetError) in
                try r.readI32()
            } == -25200)
    }

    @Test func scalarsAndBinary() throws {
        var w = ThriftCompactWriter()
        let t = w.beginStruct()
        w.writeStringField(1, "abc")
        w.writeDoubleField(2, 1.0)
        w.writeI8Field(3, -2)
        w.endStruct(t)
        #expect(
            w.bytes == [
                0x18, 0x03, 0x61, 0x62, 0x63,
                0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,
                0x13, 0xFE, 0x00,
            ])
        try withThriftReader(w.bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            let token = try r.enterStruct()
            _ = try r.readFieldHeader()
            #expect(try r.readString() == "abc")
            _ = try r.readFieldHeader()
            #expect(try r.readDouble() == 1.0)
            _ = try r.readFieldHeader()
            #expect(try r.readI8() == -2)
            #expect(try r.readFieldHeader() == nil)
            r.exitStruct(token)
        }
    }

    @Test func listHeadersShortAndLongForm() throws {
        var w = ThriftCompactWriter()
        w.writeListHeader(.i32, count: 3)
        for v: Int32 in [1, 2, 3] { w.writeI32(v) }
        #expect(w.bytes == [0x35, 0x02, 0x04, 0x06])

        var long = ThriftCompactWriter()
        long.writeListHeader(.i8, count: 15)
        for i in 0..<15 { long.writeI8(Int8(i)) }
        #expect(Array(long.bytes.prefix(2)) == [0xF3, 0x0F])
        #expect(long.bytes.count == 17)
        let header = try withThriftReader(long.bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            try r.readListHeader()
        }
        #expect(header == ThriftListHeader(elementType: .i8, count: 15))

        var bools = ThriftCompactWriter()
        bools.writeListHeader(.bool, count: 2)
        bools.writeBool(true)
        bools.writeBool(false)
        #expect(bools.bytes == [0x22, 0x01, 0x00])
        // Element type 1 (as the Java library writes) also means bool; element value 2 is false.
        let decoded = try withThriftReader([0x21, 0x01, 0x02]) {
            (r: inout ThriftCompactReader) throws(ParquetError) -> [Bool] in
            let h = try r.readListHeader()
            #expect(h.elementType == .bool)
            return [try r.readBool(), try r.readBool()]
        }
        #expect(decoded == [true, false])
    }

    @Test func nestedStructRestoresTheFieldIdDelta() {
        var w = ThriftCompactWriter()
        let t = w.beginStruct()
        w.writeFieldHeader(1, .struct)
        let inner = w.beginStruct()
        w.writeI32Field(1, 1)
        w.endStruct(inner)
        w.writeI32Field(2, 2)
        w.endStruct(t)
        #expect(w.bytes == [0x1C, 0x15, 0x02, 0x00, 0x15, 0x04, 0x00])
    }

    @Test func mapHeaders() throws {
        var w = ThriftCompactWriter()
        w.writeMapHeader(key: .i32, value: .binary, count: 1)
        w.writeI32(1)
        w.writeString("a")
        w.writeMapHeader(key: .i32, value: .binary, count: 0)
        #expect(w.bytes == [0x01, 0x58, 0x02, 0x01, 0x61, 0x00])
        try withThriftReader(w.bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            let h = try r.readMapHeader()
            #expect(h.count == 1 && h.keyType == .i32 && h.valueType == .binary)
            #expect(try r.readI32() == 1)
            #expect(try r.readString() == "a")
            #expect(try r.readMapHeader().count == 0)
            #expect(r.input.isAtEnd)
        }
    }

    @Test func pageHeaderKnownBytes() throws {
        let header = PageHeader(
            type: .dataPage, uncompressedPageSize: 100, compressedPageSize: 50,
            dataPageHeader: DataPageHeader(numValues: 10, encoding: .plain))
        var out = ByteWriter()
        out.append(0xAA)  // encode appends after existing content
        header.encode(into: &out)
        let expected: [UInt8] = [
            0xAA,
            0x15, 0x00, 0x15, 0xC8, 0x01, 0x15, 0x64,
            0x2C, 0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00,
            0x00,
        ]
        #expect(out.bytes == expected)
    }

    @Test func logicalTypeKnownBytes() {
        var w = ThriftCompactWriter()
        LogicalType.timestamp(isAdjustedToUTC: true, unit: .micros).writeThrift(to: &w)
        #expect(w.bytes == [0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00])
        var s = ThriftCompactWriter()
        LogicalType.string.writeThrift(to: &s)
        #expect(s.bytes == [0x1C, 0x00, 0x00])
    }

    // MARK: Skipping

    /// Writes one unknown field of every type (ids 3…16), with known fields of `KeyValue` around them.
    static func keyValueWithUnknownFields() -> [UInt8] {
        var w = ThriftCompactWriter()
        let t = w.beginStruct()
        w.writeStringField(1, "k")
        w.writeBoolField(3, true)
        w.writeBoolField(4, false)
        w.writeI8Field(5, 7)
        w.writeI16Field(6, -300)
        w.writeI32Field(7, 1 << 20)
        w.writeI64Field(8, .min)
        w.writeDoubleField(9, -0.5)
        w.writeBinaryField(10, [1, 2, 3, 0])
        w.writeFieldHeader(11, .list)
        w.writeListHeader(.struct, count: 16)
        for i in 0..<16 {
            let s = w.beginStruct()
            w.writeI32Field(1, Int32(i))
            w.writeFieldHeader(2, .list)
            w.writeListHeader(.bool, count: 2)
            w.writeBool(true)
            w.writeBool(false)
            w.endStruct(s)
        }
        w.writeFieldHeader(12, .set)
        w.writeSetHeader(.binary, count: 2)
        w.writeString("x")
        w.writeString("yz")
        w.writeFieldHeader(13, .map)
        w.writeMapHeader(key: .binary, value: .struct, count: 2)
        for k in ["a", "b"] {
            w.writeString(k)
            let s = w.beginStruct()
            w.writeFieldHeader(1, .map)
            w.writeMapHeader(key: .i64, value: .double, count: 1)
            w.writeI64(1)
            w.writeDouble(2)
            w.writeFieldHeader(2, .map)
            w.writeMapHeader(key: .i32, value: .i32, count: 0)
            w.endStruct(s)
        }
        w.writeFieldHeader(14, .struct)
        let nested = w.beginStruct()
        w.writeFieldHeader(1, .struct)
        let deeper = w.beginStruct()
        w.writeBoolField(300, true)
        w.endStruct(deeper)
        w.writeFieldHeader(2, .uuid)
        [UInt8](repeating: 9, count: 16).withUnsafeBytes { w.writeUUID($0) }
        w.endStruct(nested)
        w.writeFieldHeader(15, .uuid)
        [UInt8](repeating: 1, count: 16).withUnsafeBytes { w.writeUUID($0) }
        w.writeI32Field(-7, 3)  // negative id, long form
        w.writeStringField(2, "v")  // the known field after the unknown ones: long form
        w.writeBoolField(16, false)
        w.endStruct(t)
        return w.bytes
    }

    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        let bytes = Self.keyValueWithUnknownFields()
        let (kv, consumed) = try withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            (try KeyValue(thrift: &r), r.input.position)
        }
        #expect(kv == KeyValue(key: "k", value: "v"))
        #expect(consumed == bytes.count)
        #expect(
            try withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in try skipStruct(&r) }
                == bytes.count)
    }

    @Test func unknownFieldsInsideEveryMetadataStructAreSkipped() throws {
        // Append an unknown field of a nested, awkward shape to each struct of a footer and check
        // the decoded value is unchanged.
        let meta = ThriftMetadataTests.sampleFooter()
        let plain = meta.thriftEncoded()
        let noisy = ThriftFieldInjector.injectUnknownFields(plain)
        #expect(noisy.count > plain.count)
        let decoded = try noisy.withUnsafeBytes { raw in try FileMetaData(thriftBytes: raw) }
        #expect(decoded == meta)
    }

    @Test func skipConsumesExactlyRandomValues() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            var w = ThriftCompactWriter()
            RandomThrift.writeStruct(&w, depth: 0, &rng)
            let bytes = w.bytes + [0xEE]  // a trailing byte that must not be consumed
            let consumed = try withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
                try skipStruct(&r)
            }
            #expect(consumed == bytes.count - 1)
        }
    }

    // MARK: Hostile input

    @Test func hugeListLengthIsRejectedBeforeAllocating() {
        // FileMetaData { 1: version = 1, 2: schema = list<struct> of 2^31-1 elements }
        let bytes: [UInt8] = [0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00]
        let e = bytes.withUnsafeBytes { raw in
            Result { () throws(ParquetError) in try FileMetaData(thriftBytes: raw) }
        }
        guard case .failure(let error) = e else { Issue.record("expected an error"); return }
        #expect(error.code == .truncated)
        #expect(error.message.contains("2147483647"))
        #expect(error.message.contains("offset 3"))
    }

    @Test func listSizeBeyondInt32IsCorrupt() {
        let error = thriftError([0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) {
            (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try r.readListHeader()
        }
        #expect(error?.code == .corrupt)
    }

    @Test func listOfDoublesMustFitTheRemainingBytes() {
        // 3 doubles need 24 bytes; only 16 follow.
        let bytes: [UInt8] = [0x37] + [UInt8](repeating: 0, count: 16)
        let error = thriftError(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try r.readListHeader()
        }
        #expect(error?.code == .truncated)
    }

    @Test func hugeMapIsRejected() {
        let error = thriftError([0xFF, 0xFF, 0x03, 0x55, 0x00]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            try r.skip(.map)
        }
        #expect(error?.code == .truncated)
    }

    @Test func hugeBinaryLengthIsRejected() {
        // KeyValue { 1: key = binary of length 2^35 }
        let bytes: [UInt8] = [0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x61]
        let error = thriftError(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try KeyValue(thrift: &r)
        }
        #expect(error?.code == .truncated)
        #expect(error?.message.contains("offset 1") == true)
    }

    @Test func truncatedVarintIsTruncated() {
        let error = thriftError([0x15, 0x80, 0x80]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try skipStruct(&r)
        }
        #expect(error?.code == .truncated)
        #expect(error?.message.contains("offset 3") == true)
    }

    @Test func overlongVarintIsCorrupt() {
        let bytes: [UInt8] = [0x16] + [UInt8](repeating: 0x80, count: 10) + [0x01, 0x00]
        let error = thriftError(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in _ = try skipStruct(&r) }
        #expect(error?.code == .corrupt)
    }

    @Test func i32OutOfRangeIsCorrupt() {
        // zigzag varint of 2^33
        let error = thriftError([0x80, 0x80, 0x80, 0x80, 0x40]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try r.readI32()
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("i32") == true)
    }

    @Test func deepStructNestingIsCapped() {
        // Unknown field 3 of KeyValue: 200 nested structs.
        let bytes: [UInt8] = [0x3C] + [UInt8](repeating: 0x1C, count: 200) + [UInt8](repeating: 0, count: 202)
        let error = thriftError(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try KeyValue(thrift: &r)
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("deeper than 64") == true)
    }

    @Test func deepListNestingIsCapped() {
        // Unknown field 3: list<list<list<…>>> 200 deep.
        let bytes: [UInt8] = [0x39] + [UInt8](repeating: 0x19, count: 200) + [0x00, 0x00]
        let error = thriftError(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try KeyValue(thrift: &r)
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("deeper than") == true)
    }

    @Test func nestingUpToTheCapIsAccepted() throws {
        let depth = 63  // plus the outer struct = 64
        let bytes: [UInt8] =
            [0x1C] + [UInt8](repeating: 0x1C, count: depth - 1) + [UInt8](repeating: 0, count: depth + 1)
        #expect(
            try withThriftReader(bytes) { (r: inout ThriftCompactReader) throws(ParquetError) in try skipStruct(&r) }
                == bytes.count)
    }

    @Test func unknownTypeIdsAreCorrupt() {
        for id: UInt8 in [14, 15] {
            let error = thriftError([0x10 | id, 0x00]) { (r: inout ThriftCompactReader) throws(ParquetError) in
                _ = try skipStruct(&r)
            }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("type \(id)") == true)
        }
        let list = thriftError([0x1E]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try r.readListHeader()
        }
        #expect(list?.code == .corrupt)
        let stopElements = thriftError([0x10]) { (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try r.readListHeader()
        }
        #expect(stopElements?.code == .corrupt)
    }

    @Test func invalidBoolElementIsCorrupt() {
        let error = thriftError([0x11, 0x07]) { (r: inout ThriftCompactReader) throws(ParquetError) in try r.skip(.list)
        }
        #expect(error?.code == .corrupt)
    }

    @Test func fieldIdOverflowIsCorrupt() {
        // long-form id 32767, then a delta of 1
        let error = thriftError([0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15, 0x00, 0x00]) {
            (r: inout ThriftCompactReader) throws(ParquetError) in
            _ = try skipStruct(&r)
        }
        #expect(error?.code == .corrupt)
    }

    @Test func emptyInputIsTruncated() {
        let error = [UInt8]().withUnsafeBytes { raw in
            Result { () throws(ParquetError) in try FileMetaData(thriftBytes: raw) }
        }
        guard case .failure(let e) = error else { Issue.record("expected an error"); return }
        #expect(e.code == .truncated)
    }
}

/// Random Thrift values of every type, nested up to a few levels.
enum RandomThrift {
    static let types: [ThriftType] = ThriftType.allCases

    static func writeStruct(_ w: inout ThriftCompactWriter, depth: Int, _ rng: inout SplitMix) {
        let t = w.beginStruct()
        var id = Int16(Int.random(in: -5...3, using: &rng))
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            id += Int16(Int.random(in: 1...20, using: &rng))
            if Int.random(in: 0..<8, using: &rng) == 0 { id = Int16.random(in: -100...200, using: &rng) }
            let type = types.randomElement(using: &rng)!
            if type == .bool {
                w.writeBoolField(id, Bool.random(using: &rng))
            } else {
                w.writeFieldHeader(id, type)
                writeValue(&w, type, depth: depth, &rng)
            }
        }
        w.endStruct(t)
    }

    static func leafType(_ rng: inout SplitMix) -> ThriftType {
        [ThriftType.bool, .i8, .i16, .i32, .i64, .double, .binary, .uuid].randomElement(using: &rng)!
    }

    static func writeValue(_ w: inout ThriftCompactWriter, _ type: ThriftType, depth: Int, _ rng: inout SplitMix) {
        let deep = depth >= 4
        switch type {
        case .bool: w.writeBool(Bool.random(using: &rng))
        case .i8: w.writeI8(Int8.random(in: .min ... .max, using: &rng))
        case .i16: w.writeI16(Int16.random(in: .min ... .max, using: &rng))
        case .i32: w.writeI32(Int32.random(in: .min ... .max, using: &rng))
        case .i64: w.writeI64(Int64.random(in: .min ... .max, using: &rng))
        case .double: w.writeDouble(Double.random(in: -1e9...1e9, using: &rng))
        case .binary:
            w.writeBinary((0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case .uuid: [UInt8](repeating: 7, count: 16).withUnsafeBytes { w.writeUUID($0) }
        case .struct:
            if deep {
                let t = w.beginStruct()  // an empty struct keeps the nesting bounded
                w.endStruct(t)
            } else {
                writeStruct(&w, depth: depth + 1, &rng)
            }
        case .list, .set:
            let element = deep ? leafType(&rng) : types.randomElement(using: &rng)!
            let n = Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 20), using: &rng)
            w.writeListHeader(element, count: n)
            for _ in 0..<n { writeValue(&w, element, depth: depth + 1, &rng) }
        case .map:
            let k = leafType(&rng)
            let v = deep ? leafType(&rng) : types.randomElement(using: &rng)!
            let n = Int.random(in: 0...4, using: &rng)
            w.writeMapHeader(key: k, value: v, count: n)
            for _ in 0..<n {
                writeValue(&w, k, depth: depth + 1, &rng)
                writeValue(&w, v, depth: depth + 1, &rng)
            }
        }
    }
}
