import PropertyBased
import Testing
@testable import LakeCore

@Suite struct CRC32Tests {
    @Test func knownVectors() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([0]) == 0xD202_EF8D)
    }

    @Test func hudiTableChecksum() {
        #expect(CRC32.checksum(Array("default.v6_complexkeygen_hivestyle".utf8)) == 281_415_413)
        #expect(HoodieProperties.tableChecksum(database: "default", table: "v6_complexkeygen_hivestyle") == 281_415_413)
        #expect(HoodieProperties.tableChecksum(database: nil, table: "t") == Int64(CRC32.checksum(Array(".t".utf8))))
    }

    @Test(arguments: HudiFixtures.tableNames)
    func referenceTableChecksumsMatch(table: String) throws {
        let p = try HoodieProperties(bytes: HudiFixtures.read(table, HoodieProperties.path))
        let expected = try #require(p[HoodieProperties.checksumKey].flatMap { Int64($0) })
        #expect(HoodieProperties.tableChecksum(database: p["hoodie.database.name"], table: p["hoodie.table.name"]!) == expected)
    }

    @Test func incrementalEqualsOneShot() async {
        await propertyCheck(count: 200, input: zip(Gen.int(in: 0...255).array(of: 0...200), Gen.int(in: 0...200))) { bytes, cut in
            let data = bytes.map { UInt8($0) }
            let k = min(cut, data.count)
            var crc = CRC32()
            crc.update(data[..<k])
            crc.update(data[k...])
            #expect(crc.value == CRC32.checksum(data))
        }
    }
}
