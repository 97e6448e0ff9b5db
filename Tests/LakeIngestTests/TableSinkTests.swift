import Foundation
import Testing
@testable import LakeIngest
import LakeTestSupport

/// The model of a table fed by change records: per key, the change with the greatest
/// (time, sequence number), later lines winning ties; a REMOVE leaves no row.
struct ChangeModel {
    struct Change { var order: (Int64, String, Int); var removed: Bool; var image: [String: String] }
    var rows: [String: Change] = [:]

    mutating func apply(_ line: String, position: Int, key: String = "id") throws {
        let v = try JSONParser().parse(line)
        let d = try #require(v["dynamodb"])
        let id = try #require(d["Keys"]?[key]?["S"]?.stringValue)
        let time = try #require(d["ApproximateCreationDateTime"]?.numberValue?.int64)
        let seq = d["SequenceNumber"]?.stringValue ?? ""
        let paddedSeq = String(repeating: "0", count: 40 - seq.count) + seq
        var image: [String: String] = [:]
        if case .object(let attrs)? = d["NewImage"] {
            for a in attrs { if let s = a.value["S"]?.stringValue { image[a.key] = s } }
        }
        let c = Change(
            order: (time, paddedSeq, position), removed: v["eventName"]?.stringValue == "REMOVE", image: image)
        if let old = rows[id], (old.order.0, old.order.1) > (c.order.0, c.order.1) { return }
        rows[id] = c
    }

    /// id → (custName, email, registrationDate) of the live rows.
    var live: [String: [String]] {
        var out: [String: [String]] = [:]
        for (id, c) in rows where !c.removed {
            out[id] = [c.image["custName"] ?? "", c.image["email"] ?? "", c.image["registrationDate"] ?? ""]
        }
        return out
    }
}

@Suite struct TableSinkTests {
    /// id → (custName, email, registrationDate) as stored (optionally as of an instant).
    static func tableRows(_ table: Table, asOf: String? = nil) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for batch in try table.read(ReadOptions(columns: ["id", "custName", "email", "registrationDate"], asOf: asOf)) {
            for line in try jsonRows(batch) {
                let v = try JSONParser().parse(line)
                let id = try #require(v["id"]?.stringValue)
                #expect(out[id] == nil, "duplicate key \(id)")
                out[id] = [
                    v["custName"]?.stringValue ?? "", v["email"]?.stringValue ?? "",
                    v["registrationDate"]?.stringValue ?? "",
                ]
            }
        }
        return out
    }

    @Test func fixturesIntoATable() throws {
        let dir = TemporaryDirectory()
        let mapping = try IngestMapping.load(path: FixtureRecordTests.mappingPath)
        let sink = try TableSink(path: dir.path + "/pp", settings: mapping.table)
        var o = PipelineOptions()
        o.resume = false
        let s = try MicroBatchPipeline(
            source: .file(Fixtures.directory + "/dynamodb-streams.jsonl", follow: false), sink: sink,
            mapping: mapping, options: o
        ).run()
        #expect(s.commits == 1 && s.upserts == 7 && s.deletes == 1)
        let table = try #require(sink.table)
        #expect(table.config.recordKeyFields == ["item", "price"])
        #expect(table.config.precombineField == EventOrder.columnName)
        #expect(try table.config.value(.cleanerCommitsRetained) == 10)
        #expect(table.config.properties["lake.cleaner.commits.retained"] == "10")
        var rows: [String] = []
        for b in try table.read(ReadOptions(columns: ["item", "price", "priority", "calories", "kcal"])) {
            rows += try jsonRows(b)
        }
        #expect(
            rows.sorted() == [
                #"{"item":"burger","price":"100.00","priority":"high","calories":null,"kcal":540}"#,
                #"{"item":"donut","price":"10.00","priority":"high","calories":null,"kcal":null}"#,
                #"{"item":"pizza","price":"100.00","priority":"medium","calories":null,"kcal":null}"#,
                #"{"item":"salad","price":"15.50","priority":"medium","calories":-125.0,"kcal":null}"#,
            ])
        // The Kinesis shape of the same changes, applied on top, changes nothing.
        let k = try MicroBatchPipeline(
            source: .file(Fixtures.directory + "/kinesis-wrapped.jsonl", follow: false), sink: sink,
            mapping: mapping, options: o
        ).run()
        #expect(k.commits == 1)
        var again: [String] = []
        for b in try table.read(ReadOptions(columns: ["item", "price", "priority", "calories", "kcal"])) {
            again += try jsonRows(b)
        }
        #expect(again.sorted() == rows.sorted())
    }

    /// A first load as a bulk insert; deletes are refused there.
    @Test func bulkInsertLoad() throws {
        let dir = TemporaryDirectory()
        let inserts = (0..<50).map { i in
            CustomerStream.record(
                name: "INSERT", id: "C\(1000 + i)",
                new: .init(
                    id: "C\(1000 + i)", custName: "n\(i)", email: "e\(i)", registrationDate: "2024-01-02", visits: 0),
                old: nil, time: 1_700_000_000, seq: UInt64(i + 1), n: i, wide: false)
        }
        try dir.write("load.jsonl", inserts.joined(separator: "\n"))
        let mapping = try IngestMapping.load(path: MappingTests.customerMapping)
        let report = try #require(
            try CDCUpsert(
                table: dir.path + "/t", input: .file(dir.path + "/load.jsonl", follow: false),
                mapping: mapping, operation: .bulkInsert
            ).run())
        #expect(report.commit?.inserted == 50)
        #expect(try Self.tableRows(try Table.open(dir.path + "/t")).count == 50)
        try dir.write(
            "mixed.jsonl",
            CustomerStream.record(
                name: "REMOVE", id: "C1000", new: nil, old: nil, time: 1_700_000_001, seq: 99, n: 0, wide: false))
        #expect(throws: LakeError.self) {
            try CDCUpsert(
                table: dir.path + "/t", input: .file(dir.path + "/mixed.jsonl", follow: false), mapping: mapping,
                operation: .bulkInsert
            ).run()
        }
        let upsert = try #require(
            try CDCUpsert(
                table: dir.path + "/t", input: .file(dir.path + "/mixed.jsonl", follow: false), mapping: mapping
            ).run())
        #expect(upsert.commit?.deleted == 1)
    }

    /// The seed scenario: customer changes with inserts, updates, deletes, late and duplicate
    /// events, through the pipeline in windows, crashing and restarting; the final table and
    /// every commit's as-of read equal the model of the stream up to that commit's checkpoint.
    @Test(arguments: [2, 1000])
    func seedScenarioWithRestarts(retained: Int) throws {
        let dir = TemporaryDirectory()
        let stream = CustomerStream(count: 600, keys: 80, seed: 3)
        try dir.write("changes.jsonl", stream.text)
        var mapping = try IngestMapping.load(path: MappingTests.customerMapping)
        mapping.table.cleanerCommitsRetained = retained
        let tablePath = dir.path + "/customer"
        var rng = SplitMix(seed: 5)
        var runs = 0
        while true {
            runs += 1
            #expect(runs < 60)
            // A crash: the process dies between reading a window and committing it.
            let sink = CrashingSink(
                try TableSink(path: tablePath, settings: mapping.table), crashAfter: Int.random(in: 0...3, using: &rng))
            var o = PipelineOptions()
            o.maxRecords = Int.random(in: 20...150, using: &rng)
            do {
                try MicroBatchPipeline(
                    source: .file(dir.path + "/changes.jsonl", follow: false), sink: sink, mapping: mapping, options: o
                ).run()
                break
            } catch {
                #expect(error.message.contains("simulated crash"), "\(error.message)")
            }
        }
        #expect(runs > 1)
        let table = try Table.open(tablePath)
        #expect(
            table.config.partitionFields == ["partitionkey", "partitionkey2"] && table.config.hiveStylePartitioning)
        #expect(try table.config.value(.cleanerCommitsRetained) == retained)
        var model = ChangeModel()
        for (i, l) in stream.lines.enumerated() { try model.apply(l, position: i) }
        #expect(try Self.tableRows(table) == model.live)
        // Every commit the cleaner retained holds, as of its instant, exactly the stream up to its
        // checkpoint; older ones fail loudly instead of answering partially.
        let lines = stream.lines
        var readable = 0
        var refused = 0
        for instant in table.timeline.completedCommits {
            let extra = try table.commitMetadata(instant).extraMetadata
            let cp = try Checkpoint(json: try #require(extra[Checkpoint.key]))
            var prefix = ChangeModel()
            for i in 0..<(try #require(FilePosition(cp)).line - 1) { try prefix.apply(lines[i], position: i) }
            do {
                let rows = try Self.tableRows(table, asOf: instant.timestamp)
                #expect(rows == prefix.live, "as of \(instant.timestamp)")
                readable += 1
            } catch let e as LakeError {
                #expect(e.code == .outsideRetention, "\(e.message)")
                #expect(readable == 0, "a read failed after a newer one succeeded")
                refused += 1
            }
        }
        #expect(readable >= min(retained, readable + refused), "the cleaner keeps \(retained) commits")
        if retained == 2 { #expect(readable == 2) }
        if retained > readable + refused { #expect(refused == 0) }
        // Partition paths are the id's last two characters.
        let partitions = try FileManager.default.contentsOfDirectory(atPath: tablePath).filter {
            $0.hasPrefix("partitionkey=")
        }
        #expect(!partitions.isEmpty)
    }
}

/// A sink that fails (like a killed process) before its n-th commit.
final class CrashingSink: RecordSink {
    let inner: TableSink
    var remaining: Int
    init(_ inner: TableSink, crashAfter: Int) {
        self.inner = inner
        remaining = crashAfter
    }
    var tableSchema: TableSchema? { inner.tableSchema }
    var recordKeyFields: [String] { inner.recordKeyFields }
    var errorLogDirectory: String? { inner.errorLogDirectory }
    func latestExtraMetadata(where predicate: ([String: String]) -> Bool) throws(LakeError) -> [String: String]? {
        try inner.latestExtraMetadata(where: predicate)
    }
    func commit(_ batch: ChangeBatch, extraMetadata: [String: String]) throws(LakeError) -> SinkCommit {
        if remaining == 0 { throw LakeError(.io, "simulated crash") }
        remaining -= 1
        return try inner.commit(batch, extraMetadata: extraMetadata)
    }
}
