import Foundation
import LakeBase
import LakeParquet
import Testing

@testable import LakeCore

/// The Avro binary decoder against records an independent writer encoded (fastavro, by
/// `scripts/gen-avro-fixtures.py` into `Tests/fixtures/avro`), plus hand-made bytes for what
/// fastavro never writes (blocks with negative counts) and for damage.
@Suite struct AvroBinaryDecoderTests {
    static let directory = HudiFixtures.packageRoot.appendingPathComponent("Tests/fixtures/avro")

    /// Decodes `<name>.bin` (length-prefixed records) with the schema in `<name>.avsc`.
    static func decode(_ name: String) throws -> RecordBatch {
        let schema = try String(contentsOf: directory.appendingPathComponent(name + ".avsc"), encoding: .utf8)
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name + ".bin")))
        var decoder = try AvroBinaryDecoder(schema: AvroSchema(json: schema))
        var at = 0
        while at < bytes.count {
            let n = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            at += 4
            try bytes.withUnsafeBytes { raw in
                try decoder.append(
                    record: UnsafeRawBufferPointer(rebasing: raw[at..<(at + n)]), origin: at, source: name)
            }
            at += n
        }
        return decoder.finish()
    }

    static func strings(_ c: Column) -> [String?] {
        guard case .byteArray(let v) = c.data else { return [] }
        return (0..<c.count).map { c.isNull($0) ? nil : v.string(at: $0) }
    }

    @Test func primitivesDecodeAsFastavroWroteThem() throws {
        let b = try Self.decode("primitives")
        #expect(b.rowCount == 4)
        #expect(b.schema.fields.map(\.name) == ["b", "i", "l", "f", "d", "s", "by", "e", "fx"])
        #expect(b.columns[0].data == .boolean([true, false, true, false]))
        #expect(b.columns[1].data == .int32([0, Int32.min, Int32.max, -1]))
        #expect(b.columns[2].data == .int64([0, Int64.min, Int64.max, 64]))
        guard case .float(let f) = b.columns[3].data, case .double(let d) = b.columns[4].data else {
            Issue.record("float/double columns")
            return
        }
        #expect(f[0] == 1.5 && f[1] == 0 && f[1].sign == .minus && f[2] == 3.0e38 && f[3] == Float(0.1))
        #expect(d == [3.25, .infinity, -1e-300, 2.5])
        #expect(Self.strings(b.columns[5]) == ["alpha", nil, "ünï €", ""])
        guard case .byteArray(let by) = b.columns[6].data else { return }
        #expect(b.columns[6].isNull(1) && !b.columns[6].isNull(2))
        #expect(Array(by[0]) == [0, 1] && by[2].isEmpty && Array(by[3]) == [UInt8](repeating: 0x78, count: 300))
        #expect(Self.strings(b.columns[7]) == ["RED", "BLUE", "GREEN", "RED"])
        #expect(
            b.columns[8].data
                == .fixedByteArray(
                    FixedByteArrayValues(
                        width: 4, bytes: Array("abcd".utf8) + [0, 0, 0, 0, 0xFF, 0xFE, 0xFD, 0xFC] + Array("wxyz".utf8))
                ))
        // The fields are the Avro → Parquet mapping's.
        #expect(
            b.schema.fields
                == (try AvroSchema(
                    json: String(contentsOf: Self.directory.appendingPathComponent("primitives.avsc"), encoding: .utf8)
                ).parquetFields()))
    }

    @Test func logicalTypesKeepTheirUnderlyingValues() throws {
        let b = try Self.decode("logical")
        #expect(b.rowCount == 2)
        guard case .byteArray(let dec) = b.columns[0].data else {
            Issue.record("decimal bytes")
            return
        }
        // 12345.67890 at scale 5 = 1234567890 = 0x499602D2; -0.00001 = -1 = 0xFF.
        #expect(Array(dec[0]) == [0x49, 0x96, 0x02, 0xD2] && Array(dec[1]) == [0xFF])
        guard case .fixedByteArray(let fx) = b.columns[1].data else { return }
        // -1.25 at scale 2 = -125; 99999999.99 = 9999999999 = 0x02540BE3FF, both in 5 bytes.
        #expect(Array(fx[0]) == [0xFF, 0xFF, 0xFF, 0xFF, 0x83] && Array(fx[1]) == [0x02, 0x54, 0x0B, 0xE3, 0xFF])
        #expect(b.columns[2].data == .int32([19448, 0]) && b.columns[2].isNull(1))
        #expect(b.columns[3].data == .int64([1_680_350_460_000, -1]))
        #expect(b.columns[4].data == .int64([1_680_350_460_123_456, 0]) && b.columns[4].isNull(1))
        #expect(b.schema.fields[2].logicalType == .date)
    }

    @Test func nestedRecordsArraysAndMapsBuildNestedColumns() throws {
        let b = try Self.decode("nested")
        #expect(b.rowCount == 3)
        #expect(b.columns[0].data == .int32([1, 2, 3]))
        guard case .list(let offsets, let items) = b.columns[1].data, case .structure(let f) = items.data else {
            Issue.record("array of records")
            return
        }
        #expect(offsets == [0, 2, 2, 2] && b.columns[1].isNull(1) && !b.columns[1].isNull(2))
        #expect(Self.strings(f[0]) == ["red", nil] && f[1].data == .int32([100, 200]))
        guard case .map(let mo, let keys, let values) = b.columns[2].data, case .structure(let v) = values.data else {
            Issue.record("map of records")
            return
        }
        #expect(mo == [0, 1, 1, 3] && Self.strings(keys) == ["k1", "a", "b"])
        #expect(values.isNull(1) && !values.isNull(2) && v[0].data == .double([1.5, 0, -2.0]))
        guard case .structure(let st) = b.columns[3].data, case .structure(let child) = st[1].data else {
            Issue.record("nested struct")
            return
        }
        #expect(b.columns[3].isNull(1) && Self.strings(st[0]) == ["Alice", nil, ""])
        #expect(
            child[0].data == .double([123.456, 0, 0]) && child[0].isNull(2)
                && child[1].data == .boolean([true, false, false]))
        // A reference to a named record defined earlier ("item").
        guard case .structure(let again) = b.columns[4].data else { return }
        #expect(Self.strings(again[0]) == ["z", nil, nil] && b.columns[4].isNull(1))
        guard case .list(let io, let ints) = b.columns[5].data else { return }
        #expect(io == [0, 3, 3, 73] && ints.data == .int64([1, -2, 3] + (0..<70).map(Int64.init)))
    }

    /// Java's blocking encoder writes array and map blocks with a negative count followed by
    /// the block's byte size; several blocks end with a zero count.
    @Test func blocksWithNegativeCountsAndSizes() throws {
        let schema = try AvroSchema(
            json:
                #"{"type":"record","name":"r","fields":[{"name":"a","type":{"type":"array","items":"int"}},{"name":"m","type":{"type":"map","values":"long"}}]}"#
        )
        var w = ByteWriter()
        w.appendZigZag(-2)  // two items, then the block's size in bytes
        w.appendZigZag(2)
        w.appendZigZag(5)
        w.appendZigZag(-7)
        w.appendZigZag(1)  // one more item in a plain block
        w.appendZigZag(9)
        w.appendZigZag(0)
        w.appendZigZag(-1)  // map: one entry with a size
        w.appendZigZag(3)
        w.appendZigZag(1)
        w.bytes.append(0x6B)  // "k"
        w.appendZigZag(300)
        w.appendZigZag(0)
        var decoder = try AvroBinaryDecoder(schema: schema)
        try w.bytes.withUnsafeBytes { try decoder.append(record: $0, origin: 0, source: "hand-made") }
        let b = decoder.finish()
        #expect(b.columns[0].data == .list(offsets: [0, 3], element: Column(.int32([5, -7, 9]))))
        guard case .map(_, let keys, let values) = b.columns[1].data else { return }
        #expect(Self.strings(keys) == ["k"] && values.data == .int64([300]))
    }

    @Test func damageNamesTheFieldAndOffsetAndLeavesTheColumnsUnchanged() throws {
        let schema = try AvroSchema(
            json:
                #"{"type":"record","name":"r","fields":[{"name":"id","type":"long"},{"name":"name","type":["null","string"]}]}"#
        )
        var decoder = try AvroBinaryDecoder(schema: schema)
        var good = ByteWriter()
        good.appendZigZag(7)
        good.appendZigZag(1)
        good.appendZigZag(2)
        good.bytes += Array("ab".utf8)
        try good.bytes.withUnsafeBytes { try decoder.append(record: $0, origin: 100, source: "block") }
        // A string longer than the record, a union branch that does not exist, trailing bytes.
        let bad: [[UInt8]] = [[0x0E, 0x02, 0x40, 0x61], [0x0E, 0x04], [0x0E, 0x00, 0x00]]
        let messages = ["field 'name'", "union branch 2", "1 more bytes follow"]
        for (bytes, message) in zip(bad, messages) {
            let e = #expect(throws: LakeError.self) {
                try bytes.withUnsafeBytes { try decoder.append(record: $0, origin: 200, source: "block") }
            }
            #expect(e?.code == .corruptTable && e?.message.contains(message) == true, "\(e?.message ?? "")")
            #expect(e?.message.contains("block: Avro record 1") == true && e?.message.contains("offset 20") == true)
        }
        let b = decoder.finish()
        #expect(b.rowCount == 1 && b.columns[0].data == .int64([7]) && Self.strings(b.columns[1]) == ["ab"])
    }

    @Test func unionsOfSeveralTypesAreRefused() {
        let e = #expect(throws: LakeError.self) {
            try AvroBinaryDecoder(
                schema: AvroSchema(
                    json: #"{"type":"record","name":"r","fields":[{"name":"u","type":["int","string"]}]}"#))
        }
        #expect(e?.code == .unsupported && e?.message.contains("'u'") == true)
    }
}
