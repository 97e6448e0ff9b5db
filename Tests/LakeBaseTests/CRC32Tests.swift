import PropertyBased
import Testing
import LakeBase
import LakeTestSupport

@Suite struct CRC32Tests {
    @Test func knownVectors() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([0]) == 0xD202_EF8D)
    }

    @Test func largeInputsMatchTheBytewiseDefinition() {
        var rng = SplitMix(seed: 7)
        let data = (0..<100_003).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var c: UInt32 = 0xFFFF_FFFF
        for b in data {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        #expect(CRC32.checksum(data) == ~c)
    }

    @Test func incrementalEqualsOneShot() async {
        await propertyCheck(count: 200, input: zip(Gen.int(in: 0...255).array(of: 0...200), Gen.int(in: 0...200))) {
            bytes, cut in
            let data = bytes.map { UInt8($0) }
            let k = min(cut, data.count)
            var crc = CRC32()
            crc.update(data[..<k])
            crc.update(data[k...])
            #expect(crc.value == CRC32.checksum(data))
        }
    }
}
