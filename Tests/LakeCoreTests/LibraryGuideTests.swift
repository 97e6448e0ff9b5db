import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// The code of docs/library.md, run as written (paths moved to a temporary directory), so the
/// guide cannot drift from the API.
@Suite struct LibraryGuideTests {
    @Test func theGuideRuns() throws {
        let dir = TemporaryDirectory()
        var config = TableConfig(
            name: "customers", recordKeyFields: ["id"],
            partitionFields: ["partitionkey", "partitionkey2"], precombineField: "ts")
        try config.set(.cleanerCommitsRetained, to: 2)
        let table = try Table.create(at: dir.sub("customers"), config: config)
        let schema = ParquetSchema([
            .string("id", nullable: false), .int64("ts"), .string("email"),
            .string("partitionkey"), .string("partitionkey2"),
        ])
        let batch = try RecordBatch(
            schema: schema,
            columns: [
                Column(.byteArray(ByteArrayValues(strings: ["1001", "1012"]))),
                Column(.int64([10, 11])),
                Column(.byteArray(ByteArrayValues(strings: ["a@example.com", ""])), validity: [true, false]),
                Column(.byteArray(ByteArrayValues(strings: ["1", "2"]))),
                Column(.byteArray(ByteArrayValues(strings: ["0", "1"]))),
            ])
        let result = try table.write(batch, operation: .upsert)
        #expect(result.inserted == 2 && !result.phases.isEmpty)

        let local = try Table.create(in: LocalStorage(root: dir.sub("orders")), config: config)
        #expect(local.storage.root == dir.sub("orders"))
        let memory = MemoryStorage()
        let scratch = try Table.create(in: memory, config: config)
        try scratch.write(batch, operation: .upsert)
        #expect(memory.requestCounts.put > 0)
        let again = try Table.open(storage: memory)
        #expect(try again.read().reduce(0) { $0 + $1.rowCount } == 2)

        let rows = try table.read(
            ReadOptions(
                columns: ["id", "email"],
                predicate: try Predicate(parsing: "partitionkey = '1' AND email IS NOT NULL")))
        #expect(rows.reduce(0) { $0 + $1.rowCount } == 1)
        let then = try table.read(ReadOptions(asOf: result.instant))
        #expect(then.reduce(0) { $0 + $1.rowCount } == 2)
        let changed = try table.readIncremental(ReadWindow(since: "0"))
        #expect(changed.reduce(0) { $0 + $1.rowCount } == 2)
        let plan = try table.plan(ReadOptions(predicate: try Predicate(parsing: "id = '1001'")))
        #expect(plan.slices.count == 1 && plan.bytes > 0 && plan.pinnedKeys?.count == 1)
        let all = try table.read(plan)
        var batches = table.readBatches(plan)
        var lazy: [RecordBatch] = []
        while let batch = try batches.next() { lazy.append(batch) }
        #expect(lazy == all && all.reduce(0) { $0 + $1.rowCount } == 1)
        let window = try table.planIncremental(ReadWindow(since: "0"))
        #expect(window.commits == [result.instant] && window.slices.count == 2)
        let feed = try table.changes(since: "0")
        #expect(feed.batches.reduce(0) { $0 + $1.rowCount } == 2)
        var formatter = RowFormatter(schema: rows[0].schema, format: .jsonl)
        var out: [UInt8] = []
        for b in rows { try formatter.append(b, to: &out) }
        formatter.finish(to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "{\"id\":\"1001\",\"email\":\"a@example.com\"}\n")

        _ = try table.cleaner(policy: .keepLatestCommits(2), dryRun: false).run()
        _ = try table.createSavepoint(instant: result.instant, user: "etl", comment: "before backfill")
        _ = try table.restore(toSavepoint: result.instant)
        _ = try table.rollback()
        try table.recover()
        #expect(try !table.timelineEntries().isEmpty)
        #expect(try table.describe().totalRows == 2)
    }

    /// The "Settings" section of the guide.
    @Test func theSettingsSectionRuns() throws {
        var config = TableConfig(name: "events", recordKeyFields: ["id"], precombineField: "ts")
        try config.set(.cleanerCommitsRetained, to: 2)
        try config.set(.targetFileSize, to: 64 << 20)
        try config.set("hoodie.parquet.compression.codec", to: "snappy")
        #expect(try config.value(.cleanerCommitsRetained) == 2)
        #expect(try config.value(.parquetCodec) == .snappy)
        let fromNames = try TableConfig(
            name: "events",
            settings: [
                (name: "hoodie.datasource.write.recordkey.field", value: "id", origin: "--set"),
                (name: "hoodie.keep.min.commits", value: "25", origin: "--set"),
            ])
        #expect(fromNames.recordKeyFields == ["id"] && fromNames.lake == ["archive.min.commits": "25"])
        #expect(try ByteSize(parsing: "1.5GiB").bytes == 3 << 29 && TimeSpan(parsing: "500ms").millis == 500)
    }
}
