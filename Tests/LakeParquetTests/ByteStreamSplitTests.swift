import PropertyBased
import Testing

@testable import LakeParquet
import LakeBase

@Suite struct ByteStreamSplitTests {
    private func encode(_ raw: [UInt8], width: Int) -> [UInt8] {
        var out = ByteWriter()
        raw.withUnsafeBytes { ByteStreamSplit.encode($0, width: width, into: &out) }
        return out.bytes
    }

    private func decode(_ bytes: [UInt8], count: Int, width: Int) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try ByteStreamSplit.decode($0, count: count, width: width) }
    }

    @Test func splitsBytesIntoStreams() throws {
        // Two floats 1.0 (00 00 80 3F) and -2.5 (00 00 20 C0).
        let raw: [UInt8] = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0]
        let split: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x80, 0x20, 0x3F, 0xC0]
        #expect(encode(raw, width: 4) == split)
        #expect(try decode(split, count: 2, width: 4) == raw)
        let floats: [Float] = [1.0, -2.5]
        #expect(floats.withUnsafeBytes { Array($0) } == raw)
    }

    @Test func roundTripsEveryWidth() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...17), Gen.uint8().array(of: 0...400)) {
            width, raw throws in
            let count = raw.count / width
            let values = Array(raw[0..<(count * width)])
            let split = encode(values, width: width)
            #expect(split.count == values.count)
            #expect(try decode(split, count: count, width: width) == values)
        }
    }

    @Test func rejectsWrongSizes() {
        let error = #expect(throws: ParquetError.self) { try decode([1, 2, 3, 4, 5, 6, 7], count: 2, width: 4) }
        #expect(error?.code == .corrupt)
        #expect(throws: ParquetError.self) { try decode([1, 2, 3, 4, 5, 6, 7, 8, 9], count: 2, width: 4) }
        #expect(throws: ParquetError.self) { try decode([], count: 0, width: 0) }
        #expect(throws: ParquetError.self) { try decode([1, 2], count: Int.max, width: 8) }
        #expect(throws: ParquetError.self) { try decode([1, 2], count: -1, width: 8) }
    }
}
