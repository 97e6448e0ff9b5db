import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// The write path against the plain model: after every commit the table's snapshot equals the
/// model row for row, with `_hoodie_commit_time` and `_hoodie_partition_path` as the model says.
@Suite struct TableWriteTests {
    static let fields: [ParquetField] = [
        .string("id", nullable: false), .int64("ts"), .string("name"),
        .double("amount"), .string("region"),
    ]

    func makeTable(_ dir: TemporaryDirectory, _ storage: StorageKind = .local, partitioned: Bool = true) throws -> Table
    {
        let config = TableConfig(
            name: "customers", recordKeyFields: ["id"], partitionFields: partitioned ? ["region"] : [],
            precombineField: "ts")
        return try Table.create(in: storage.make(dir), config: config, schema: TableSchema(Self.fields))
    }

    func check(_ table: Table, _ model: UpsertModel, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var byId: [String: [String: ModelValue]] = [:]
        for b in try table.read(ReadOptions(includeMetaColumns: true)) {
            for r in b.modelRows() {
                guard case .string(let id)? = r["id"] else {
                    Issue.record("row without id", sourceLocation: sourceLocation); continue
                }
                #expect(byId[id] == nil, "duplicate id \(id)", sourceLocation: sourceLocation)
                byId[id] = r
            }
        }
        #expect(Set(byId.keys) == Set(model.rows.keys), "keys differ", sourceLocation: sourceLocation)
        for (k, m) in model.rows {
            guard let got = byId[k] else { continue }
            for f in Self.fields.map(\.name) {
                #expect(got[f] ?? .null == m.values[f] ?? .null, "key \(k) column \(f)", sourceLocation: sourceLocation)
            }
            #expect(
                got["_hoodie_commit_time"] == .string(m.commitTime), "key \(k) commit time",
                sourceLocation: sourceLocation)
            #expect(
                got["_hoodie_partition_path"] == .string(model.partitionFields.isEmpty ? "" : m.partition),
                "key \(k) partition", sourceLocation: sourceLocation)
        }
    }

    func row(
        _ id: String, _ ts: Int64?, _ name: String? = nil, _ amount: Double? = nil, region: String? = "eu"
    ) -> [String: ModelValue] {
        [
            "id": .string(id), "ts": ts.map { .int($0) } ?? .null, "name": name.map { .string($0) } ?? .null,
            "amount": amount.map { .double($0) } ?? .null, "region": region.map { .string($0) } ?? .null,
        ]
    }

    @discardableResult
    func apply(
        _ table: Table, _ model: inout UpsertModel, _ rows: [(row: [String: ModelValue], isDelete: Bool)]
    ) throws -> CommitResult {
        let batch = RecordBatch.from(rows.map(\.row), fields: Self.fields, deletes: rows.map(\.isDelete))
        let result = try table.write(batch, operation: .upsert)
        model.apply(rows, instant: result.instant)
        try check(table, model)
        return result
    }

    @Test(arguments: StorageKind.allCases)
    func upsertsOrderByPrecombineAndTiesGoToTheLaterRow(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage)
        var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        let r1 = try apply(
            table, &model, [(row("1", 10, "a"), false), (row("2", 10, "b"), false), (row("1", 5, "old"), false)])
        #expect(r1.inserted == 2 && r1.ignored == 1)
        // Update 1 with newer ts, 2 with older (ignored), in-batch tie on 3 (later wins).
        let r2 = try apply(
            table, &model,
            [
                (row("1", 11, "a2"), false), (row("2", 9, "late"), false),
                (row("3", 7, "x"), false), (row("3", 7, "y"), false),
            ])
        #expect(r2.updated == 1 && r2.inserted == 1 && r2.ignored == 2)
        // Equal ts against storage: incoming wins.
        try apply(table, &model, [(row("1", 11, "tie"), false)])
        #expect(model.rows["1"]?.values["name"] == .string("tie"))
    }

    @Test(arguments: StorageKind.allCases)
    func deletesAreOrderedAndRemembered(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage)
        var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        try apply(table, &model, [(row("1", 10), false), (row("2", 10), false), (row("3", 10), false)])
        // Older delete ignored; newer delete applied; delete of absent key ignored.
        let r = try apply(table, &model, [(row("1", 5), true), (row("2", 20), true), (row("9", 1), true)])
        #expect(r.deleted == 1 && r.ignored == 2)
        // A late insert older than the delete must not resurrect the row; a newer one does.
        try apply(table, &model, [(row("2", 15, "zombie"), false)])
        #expect(model.rows["2"] == nil)
        try apply(table, &model, [(row("2", 25, "back"), false)])
        #expect(model.rows["2"]?.values["name"] == .string("back"))
    }

    @Test(arguments: StorageKind.allCases)
    func partitionMovesNeverLeaveTwoCopies(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage)
        var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        try apply(table, &model, [(row("1", 1, region: "eu"), false), (row("2", 1, region: "eu"), false)])
        try apply(table, &model, [(row("1", 2, region: "us"), false)])
        #expect(model.rows["1"]?.partition == "region=us")
        // An older move is ignored.
        try apply(table, &model, [(row("1", 1, region: "ap"), false)])
        try apply(table, &model, [(row("1", 3, region: "eu"), false), (row("2", 3, region: nil), false)])
        #expect(model.rows["2"]?.partition == "region=__HIVE_DEFAULT_PARTITION__")
    }

    @Test(arguments: StorageKind.allCases)
    func randomBatchesMatchTheModel(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage)
        var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        let rng = SystemRandomNumberGenerator()
        var seed: UInt64 = 42
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        _ = rng
        for _ in 0..<8 {
            var rows: [(row: [String: ModelValue], isDelete: Bool)] = []
            for _ in 0..<Int(next() % 200) {
                let id = String(next() % 300)
                let ts = Int64(next() % 50)
                let region = ["eu", "us", "ap", nil][Int(next() % 4)]
                rows.append(
                    (
                        row(
                            id, next() % 10 == 0 ? nil : ts, "n\(next() % 9)", Double(next() % 1000) / 4, region: region
                        ), next() % 7 == 0
                    ))
            }
            try apply(table, &model, rows)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func schemaEvolvesWithNewNullableColumnsAndRefusesIncompatibleTypes(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage, partitioned: false)
        try table.write(.from([row("1", 1, "a")], fields: Self.fields), operation: .upsert)
        let wider = Self.fields + [.string("email")]
        var r = row("2", 1, "b")
        r["email"] = .string("b@example.com")
        try table.write(.from([r], fields: wider), operation: .upsert)
        #expect(table.schema?.fields.map(\.name) == Self.fields.map(\.name) + ["email"])
        let rows = try table.read().flatMap { $0.modelRows() }
        #expect(rows.count == 2)
        #expect(rows.first { $0["id"] == .string("1") }?["email"] == .null)
        let bad: [ParquetField] = [.string("id", nullable: false), .string("ts")]
        let e = #expect(throws: LakeError.self) {
            try table.write(.from([["id": .string("3"), "ts": .string("x")]], fields: bad), operation: .upsert)
        }
        #expect(e?.code == .schemaMismatch)
        #expect(
            e?.message.contains("ts") == true && e?.message.contains("int64") == true
                && e?.message.contains("string") == true)
    }

    @Test(arguments: StorageKind.allCases)
    func failedWritesAreRolledBackByTheNextWriter(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage)
        var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        try apply(table, &model, [(row("1", 1), false)])
        // Simulate a crash mid-write: requested + inflight + a data file, no completed commit.
        let pending = "29990101000000000"
        let s = table.storage
        try s.write(".hoodie/\(pending).commit.requested", [])
        try s.write(".hoodie/\(pending).inflight", Array("{}".utf8))
        let stray = "region=eu/00000000-0000-0000-0000-000000000000-0_0-0-0_\(pending).parquet"
        let existing = try s.list("region=eu").first { $0.name.hasSuffix(".parquet") }!
        try s.write(stray, try s.read(existing.path))
        try check(table, model)  // invisible to readers
        try apply(table, &model, [(row("2", 1), false)])
        #expect(try !s.exists(stray))
        #expect(try !s.exists(".hoodie/\(pending).inflight"))
    }

    @Test(arguments: StorageKind.allCases)
    func insertsFillSmallFileGroupsBeforeOpeningNewOnes(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage)
        var model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        for batch in 0..<5 {
            try apply(table, &model, (0..<20).map { (row("\(batch)-\($0)", 1), false) })
        }
        let view = try FileSystemView.load(storage: table.storage, timeline: table.timeline)
        #expect(view.latestSlices().count == 1, "micro-batches must not leave one file group each")
    }

    @Test(arguments: StorageKind.allCases)
    func insertOverwriteAndDeletePartitionReplaceFileGroups(_ storage: StorageKind) throws {
        let dir = TemporaryDirectory()
        let table = try makeTable(dir, storage)
        try table.write(
            .from(
                [row("1", 1, region: "eu"), row("2", 1, region: "us"), row("3", 1, region: "us")], fields: Self.fields),
            operation: .upsert)
        let r = try table.write(.from([row("4", 1, region: "us")], fields: Self.fields), operation: .insertOverwrite)
        #expect(r.fileGroupsReplaced == 1)
        #expect(Set(try table.read().flatMap { $0.modelRows() }.compactMap { $0["id"]?.text }) == ["1", "4"])
        try table.write(.from([], fields: Self.fields), operation: .deletePartitions(["region=eu"]))
        #expect(Set(try table.read().flatMap { $0.modelRows() }.compactMap { $0["id"]?.text }) == ["4"])
        // The index forgot the replaced keys: re-inserting 2 works and updating 4 stays in place.
        let model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        _ = model
        try table.write(
            .from([row("2", 5, region: "eu"), row("4", 5, "x", region: "us")], fields: Self.fields), operation: .upsert)
        let rows = try table.read().flatMap { $0.modelRows() }
        #expect(rows.count == 2)
    }
}
