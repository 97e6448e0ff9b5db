import PropertyBased
import Testing

@testable import LakeParquet
import LakeBase

@Suite struct DeltaLengthByteArrayTests {
    private func encode(_ values: ByteArrayValues) -> [UInt8] {
        var out = ByteWriter()
        DeltaLengthByteArray.encode(values, into: &out)
        return out.bytes
    }

    private func decode(_ bytes: [UInt8], count: Int) throws -> ByteArrayValues {
        var values = ByteArrayValues()
        try bytes.withUnsafeBytes { try DeltaLengthByteArray.decode($0, count: count, into: &values) }
        return values
    }

    @Test func specExample() throws {
        // Encodings.md: "Hello", "World", "Foobar", "ABCDEF" → DeltaEncoding(5, 5, 6, 6) "HelloWorldFoobarABCDEF".
        // Lengths: first 5 (zigzag 10); deltas 0 1 0, min 0, width 1: one 4-byte miniblock 0x02.
        let lengths: [UInt8] = [0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 1, 0, 0, 0, 0x02, 0, 0, 0]
        let expected = lengths + Array("HelloWorldFoobarABCDEF".utf8)
        let values = ByteArrayValues(strings: ["Hello", "World", "Foobar", "ABCDEF"])
        #expect(encode(values) == expected)
        #expect(try decode(expected, count: 4) == values)
    }

    @Test func roundTrips() async {
        let strings = Gen.letterOrNumber.string(of: 0...40).array(of: 0...300)
        await propertyCheck(count: 200, input: strings) { strings throws in
            let values = ByteArrayValues(strings: strings)
            #expect(try decode(encode(values), count: values.count) == values)
        }
    }

    @Test func emptyStringsAndEmptyPages() throws {
        let empties = ByteArrayValues(strings: ["", "", ""])
        #expect(try decode(encode(empties), count: 3) == empties)
        #expect(try decode(encode(ByteArrayValues()), count: 0) == ByteArrayValues())
    }

    @Test func appendsAfterExistingValues() throws {
        var values = ByteArrayValues(strings: ["abc"])
        try encode(ByteArrayValues(strings: ["de", "f"])).withUnsafeBytes {
            try DeltaLengthByteArray.decode($0, count: 2, into: &values)
        }
        #expect(values == ByteArrayValues(strings: ["abc", "de", "f"]))
    }

    @Test func rejectsBadLengths() {
        // Lengths 5, -1: first zigzag 10, delta -6 (zigzag 11), width 0.
        let negative: [UInt8] = [0x80, 0x01, 0x04, 0x02, 0x0A, 0x0B, 0, 0, 0, 0] + Array("Hello".utf8)
        let error = #expect(throws: ParquetError.self) { try decode(negative, count: 2) }
        #expect(error?.code == .corrupt)
        // Lengths that need more bytes than follow.
        var short = encode(ByteArrayValues(strings: ["Hello", "World"]))
        short.removeLast()
        let truncated = #expect(throws: ParquetError.self) { try decode(short, count: 2) }
        #expect(truncated?.code == .truncated)
        // A length block whose count differs from the page's.
        #expect(throws: ParquetError.self) { try decode(encode(ByteArrayValues(strings: ["a", "b"])), count: 3) }
        #expect(throws: ParquetError.self) { try decode(encode(ByteArrayValues(strings: ["a", "b"])), count: 1) }
    }

    @Test func hostileCountThrows() {
        #expect(throws: ParquetError.self) { try decode([0x80, 0x01, 0x04, 0x02, 0x0A], count: Int.max) }
        #expect(throws: ParquetError.self) { try decode([], count: 1 << 50) }
    }
}
