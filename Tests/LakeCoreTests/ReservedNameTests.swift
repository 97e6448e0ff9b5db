import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// Hudi's `_hoodie_` names are never data at the top level, and any name is fine inside a struct.
@Suite struct ReservedNameTests {
    /// A row input with a `_hoodie_*` column is refused (it used to be dropped, or stored as a
    /// column Hudi readers take for their own), naming the column; the delete marker is the one
    /// `_hoodie_` column an input may carry.
    @Test(arguments: TableSchema.metaColumns + ["_hoodie_operation", "_hoodie_x"])
    func writesRefuseHudiNames(_ name: String) throws {
        let dir = TemporaryDirectory()
        let table = try Table.create(at: dir.sub("t"), config: TableConfig(name: "t", recordKeyFields: ["id"]))
        let fields: [ParquetField] = [.string("id", nullable: false), .string(name)]
        let e = #expect(throws: LakeError.self) {
            try table.write(.from([["id": .string("a"), name: .string("x")]], fields: fields), operation: .upsert)
        }
        #expect(e?.code == .invalidInput && e?.message.contains("'\(name)'") == true, "\(e?.message ?? "")")
        #expect(table.timeline.completedCommits.isEmpty)
        try table.write(
            .from([["id": .string("a")]], fields: [.string("id", nullable: false)], deletes: [false]),
            operation: .upsert)
        #expect(table.timeline.completedCommits.count == 1)
    }

    /// Struct members named like meta columns survive schema evolution (they were dropped from
    /// the table's schema when a later write evolved the struct).
    @Test func structMembersMayHaveAnyName() throws {
        let dir = TemporaryDirectory()
        let table = try Table.create(at: dir.sub("t"), config: TableConfig(name: "t", recordKeyFields: ["id"]))
        for line in [#"{"id":"a","m":{"_hoodie_commit_time":"x"}}"#, #"{"id":"b","m":{"y":"1"}}"#] {
            let batch = try TableInput.jsonLines(Array(line.utf8), name: "in", tableSchema: nil)
            try table.write(batch, operation: .upsert)
        }
        let m = try #require(table.schema?.field(named: "m"))
        #expect(m.children.map(\.name) == ["_hoodie_commit_time", "y"])
        let rows = try table.read().flatMap { $0.modelRows() }
        #expect(rows.count == 2)
    }
}
