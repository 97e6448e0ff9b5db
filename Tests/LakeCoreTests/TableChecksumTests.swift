import Testing
@testable import LakeCore
import LakeBase

/// `hoodie.table.checksum`: CRC-32 of `<database>.<table>`, as Java's `HoodieTableConfig` computes it.
@Suite struct TableChecksumTests {
    @Test func hudiTableChecksum() {
        #expect(CRC32.checksum(Array("default.v6_complexkeygen_hivestyle".utf8)) == 281_415_413)
        #expect(HoodieProperties.tableChecksum(database: "default", table: "v6_complexkeygen_hivestyle") == 281_415_413)
        #expect(HoodieProperties.tableChecksum(database: nil, table: "t") == Int64(CRC32.checksum(Array(".t".utf8))))
    }

    @Test(arguments: HudiFixtures.tableNames)
    func referenceTableChecksumsMatch(table: String) throws {
        let p = try HoodieProperties(bytes: HudiFixtures.read(table, HoodieProperties.path))
        let expected = try #require(p[HoodieProperties.checksumKey].flatMap { Int64($0) })
        #expect(
            HoodieProperties.tableChecksum(database: p["hoodie.database.name"], table: p["hoodie.table.name"]!)
                == expected)
    }

}
