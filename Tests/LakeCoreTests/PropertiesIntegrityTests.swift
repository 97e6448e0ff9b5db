import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// `hoodie.properties` is checked as Java Hudi checks it (`HoodieTableConfig.validateChecksum`),
/// and a table that lost it is reported as damaged — never mistaken for an empty directory that
/// `create` may take over.
@Suite struct PropertiesIntegrityTests {
    @Test func theChecksumIsJavasCRC32OfDatabaseDotTable() throws {
        var p = HoodieProperties()
        p["hoodie.table.name"] = "v6_complexkeygen_hivestyle"
        p["hoodie.database.name"] = "default"
        p["hoodie.table.checksum"] = "281415413"  // the value Java wrote in the reference table
        try p.validateChecksum()
        p["hoodie.database.name"] = nil  // database "" → CRC-32 of ".v6_complexkeygen_hivestyle"
        let e = #expect(throws: LakeError.self) { try p.validateChecksum() }
        let computed = HoodieProperties.tableChecksum(database: nil, table: "v6_complexkeygen_hivestyle")
        #expect(e?.code == .corruptTable)
        #expect(
            e?.message.contains("281415413") == true && e?.message.contains("\(computed)") == true,
            "\(e?.message ?? "")")
        p["hoodie.table.checksum"] = nil  // absent: accepted, as Java accepts it
        try p.validateChecksum()
    }

    @Test func aWrongChecksumFailsOpenAndCheckReportsIt() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 5, ts: 1)
        let path = HoodieProperties.path
        let text = String(decoding: try f.table.storage.read(path), as: UTF8.self)
        try f.table.storage.write(
            path, Array(text.replacingAll("hoodie.table.name=failures", with: "hoodie.table.name=failurez").utf8))
        let e = #expect(throws: LakeError.self) { _ = try Table.open(f.table.path) }
        #expect(
            e?.code == .corruptTable && e?.message.contains("hoodie.table.checksum=") == true, "\(e?.message ?? "")")
        let report = try Table.check(at: f.table.path)
        #expect(report.problems.map(\.kind) == [.propertiesChecksum], "\(report.problems)")
    }

    @Test func createRefusesATableThatLostItsPropertiesAndOpenSaysHowToRecover() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 5, ts: 1)
        let storage = f.table.storage
        let saved = try storage.read(HoodieProperties.path)
        #expect(try storage.delete(HoodieProperties.path))

        let open = #expect(throws: LakeError.self) { _ = try Table.open(f.table.path) }
        #expect(open?.code == .corruptTable, "\(open?.message ?? "")")
        #expect(open?.message.contains("latest commit \(f.history[0].instant)") == true, "\(open?.message ?? "")")
        #expect(open?.message.contains("lake create") == true)
        let config = TableConfig(name: "other", recordKeyFields: ["id"])
        let create = #expect(throws: LakeError.self) { _ = try Table.create(at: f.table.path, config: config) }
        #expect(create?.code == .corruptTable)
        #expect(create?.message.contains("refusing to create a new table over it") == true, "\(create?.message ?? "")")
        #expect(try !storage.exists(HoodieProperties.path))

        // With Hudi's backup present, the message says to copy it back; doing so recovers the table.
        try storage.write(HoodieProperties.backupPath, saved)
        let withBackup = #expect(throws: LakeError.self) { _ = try Table.open(f.table.path) }
        #expect(
            withBackup?.message.contains("cp \(f.table.path)/\(HoodieProperties.backupPath)") == true,
            "\(withBackup?.message ?? "")")
        try storage.write(HoodieProperties.path, saved)
        try f.check()
    }

    @Test func createStillWorksInAnEmptyOrHalfCreatedDirectory() throws {
        let dir = TemporaryDirectory()
        let config = TableConfig(name: "t", recordKeyFields: ["id"])
        _ = try Table.create(at: dir.sub("fresh"), config: config)
        try FileManager.default.createDirectory(atPath: dir.sub("half/.hoodie"), withIntermediateDirectories: true)
        _ = try Table.create(at: dir.sub("half"), config: config)
    }
}
