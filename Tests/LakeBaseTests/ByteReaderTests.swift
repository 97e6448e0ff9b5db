import PropertyBased
import Testing
import LakeBase

/// A stand-in for a module's error type, as LakeParquet's `ParquetError` conforms.
private struct DecodeFailure: ByteDecodingFailure, Equatable {
    var kind: String
    var message: String
    static func truncated(_ message: String) -> DecodeFailure { DecodeFailure(kind: "truncated", message: message) }
    static func corrupt(_ message: String) -> DecodeFailure { DecodeFailure(kind: "corrupt", message: message) }
}

@Suite struct ByteReaderTests {
    @Test func varintsAndZigZagsRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int64(in: Int64.min...Int64.max).array(of: 0...40)) { values in
            var w = ByteWriter()
            for v in values {
                w.appendZigZag(v)
                w.appendVarint(UInt64(bitPattern: v))
                w.appendLittleEndian(v)
            }
            let decoded: [Int64]? = try? w.bytes.withRawBytes { raw throws(DecodeFailure) in
                var r = ByteReader<DecodeFailure>(raw)
                var out: [Int64] = []
                while !r.isAtEnd {
                    let z = try r.readZigZag()
                    #expect(try r.readVarint() == UInt64(bitPattern: z))
                    #expect(try r.readLittleEndian(Int64.self) == z)
                    out.append(z)
                }
                return out
            }
            #expect(decoded == values)
        }
    }

    @Test func knownVarintEncodings() {
        var w = ByteWriter()
        w.appendVarint(300)
        w.appendZigZag(-1)
        w.appendZigZag(1)
        #expect(w.bytes == [0xAC, 0x02, 0x01, 0x02])
    }

    @Test func truncatedInputNamesTheOffset() {
        let bytes: [UInt8] = [0x80, 0x80]
        #expect(throws: DecodeFailure(kind: "truncated", message: "unexpected end of data at offset 12")) {
            try bytes.withRawBytes { raw throws(DecodeFailure) in
                var r = ByteReader<DecodeFailure>(raw, origin: 10)
                _ = try r.readVarint()
            }
        }
        #expect(throws: DecodeFailure(kind: "truncated", message: "need 4 bytes at offset 0, have 2")) {
            try bytes.withRawBytes { raw throws(DecodeFailure) in
                var r = ByteReader<DecodeFailure>(raw)
                _ = try r.readLittleEndian(UInt32.self)
            }
        }
    }

    @Test func overlongAndNegativeLengthsAreCorrupt() {
        let eleven = [UInt8](repeating: 0xFF, count: 11)
        #expect(throws: DecodeFailure.self) {
            try eleven.withRawBytes { raw throws(DecodeFailure) in
                var r = ByteReader<DecodeFailure>(raw)
                _ = try r.readVarint()
            }
        }
        let overflow: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]
        #expect(throws: DecodeFailure(kind: "corrupt", message: "varint overflows 64 bits at offset 9")) {
            try overflow.withRawBytes { raw throws(DecodeFailure) in
                var r = ByteReader<DecodeFailure>(raw)
                _ = try r.readVarint()
            }
        }
        #expect(throws: DecodeFailure(kind: "corrupt", message: "negative length -1 at offset 0")) {
            try overflow.withRawBytes { raw throws(DecodeFailure) in
                var r = ByteReader<DecodeFailure>(raw)
                _ = try r.readBytes(-1)
            }
        }
    }
}
