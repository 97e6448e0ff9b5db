import Foundation
import Testing
@testable import LakeCore

/// Incremental reads: the rows Hudi's incremental query returns for `(since, until]`.
@Suite struct IncrementalReadTests {
    typealias F = TimelineFixture

    /// Five commits: inserts, updates (one moving partition), deletes, a late event, a
    /// re-insert.
    func fiveCommits(_ storage: StorageKind) throws -> F {
        let f = try F(storage)
        try f.upsert(
            [
                (F.row("a", 1), false), (F.row("b", 1), false), (F.row("c", 1, region: "us"), false),
                (F.row("d", 1, region: "us"), false),
            ], at: 0)
        try f.upsert([(F.row("a", 2), false), (F.row("e", 2, region: "ap"), false)], at: 1)
        try f.upsert(
            [(F.row("b", 3, region: "us"), false), (F.row("c", 3), true), (F.row("a", 1, "late"), false)], at: 2)
        try f.upsert([(F.row("e", 4), false), (F.row("d", 4), true)], at: 3)
        try f.upsert([(F.row("c", 5, "back", region: "us"), false), (F.row("a", 5), false)], at: 4)
        return f
    }

    /// The model's answer: rows live at `until` whose commit time is in `(since, until]`.
    func expected(_ f: F, since: String?, until: String) -> [String: UpsertModel.Row] {
        f.model(at: until).rows.filter { entry in
            (since.map { entry.value.commitTime > $0 } ?? true) && entry.value.commitTime <= until
        }
    }

    @Test(arguments: StorageKind.allCases)
    func everyWindowOfCommitsMatchesTheModel(_ storage: StorageKind) throws {
        let f = try fiveCommits(storage)
        let instants = f.history.map(\.instant)
        let bounds: [String?] = [nil] + instants
        for (i, since) in bounds.enumerated() {
            for until in instants[i...] {
                let w = ReadWindow(since: since, until: until)
                expectRows(
                    try f.table.readIncremental(w, options: ReadOptions(includeMetaColumns: true)),
                    expected(f, since: since, until: until), "incremental \(w)")
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func untilDefaultsToTheLatestCommitAndBoundsNeedNotBeCommits(_ storage: StorageKind) throws {
        let f = try fiveCommits(storage)
        let c2 = f.history[1].instant, c5 = f.history[4].instant
        expectRows(try f.table.readIncremental(ReadWindow(since: c2)), expected(f, since: c2, until: c5), "(c2, …]")
        // ISO-8601 and epoch bounds between commits: (+1.5 s, +3.5 s] holds commits 3 and 4.
        let w = ReadWindow(since: "2024-06-01T10:00:01.500Z", until: String(F.base + 3_500))
        expectRows(try f.table.readIncremental(w), expected(f, since: c2, until: f.history[3].instant), "\(w)")
        // The window is half-open: nothing in (c5, c5] or after the latest commit.
        #expect(try f.table.readIncremental(ReadWindow(since: c5, until: c5)).isEmpty)
        #expect(try f.table.readIncremental(ReadWindow(since: c5)).isEmpty)
        #expect(try f.table.readIncremental(ReadWindow(since: "2030-01-01")).isEmpty)
    }

    @Test(arguments: StorageKind.allCases)
    func rowsShowTheirVersionAtUntilAndDeletesDoNotAppear(_ storage: StorageKind) throws {
        let f = try fiveCommits(storage)
        let c1 = f.history[0].instant, c2 = f.history[1].instant, c3 = f.history[2].instant
        // a was updated at c2 and again at c5: (c1, c2] shows the c2 version.
        let rows = rowsByID(try f.table.readIncremental(ReadWindow(since: c1, until: c2)))
        #expect(rows["a"]?["ts"] == .int(2))
        // c3 deleted c and moved b: (c2, c3] has b (in us) and not c; the late event for a changed nothing.
        let r3 = rowsByID(
            try f.table.readIncremental(
                ReadWindow(since: c2, until: c3), options: ReadOptions(includeMetaColumns: true)))
        #expect(Set(r3.keys) == ["b"])
        #expect(r3["b"]?["_hoodie_partition_path"] == .string("region=us"))
    }

    @Test(arguments: StorageKind.allCases)
    func columnsPredicateAndMetaColumnsApply(_ storage: StorageKind) throws {
        let f = try fiveCommits(storage)
        let w = ReadWindow(since: f.history[0].instant)
        let batches = try f.table.readIncremental(
            w, options: ReadOptions(columns: ["name", "id"], predicate: try Predicate(parsing: "region = 'eu'")))
        for b in batches { #expect(b.schema.fields.map(\.name) == ["name", "id"]) }
        let want = expected(f, since: f.history[0].instant, until: f.history[4].instant).filter {
            $0.value.values["region"] == .string("eu")
        }
        #expect(Set(rowsByID(batches).keys) == Set(want.keys))
        let withMeta = try f.table.readIncremental(w, options: ReadOptions(columns: ["id"], includeMetaColumns: true))
        for b in withMeta { #expect(b.schema.fields.map(\.name) == TableSchema.metaColumns + ["id"]) }
    }

    @Test(arguments: StorageKind.allCases)
    func badWindowsAreInvalidArguments(_ storage: StorageKind) throws {
        let f = try fiveCommits(storage)
        let c1 = f.history[0].instant, c2 = f.history[1].instant
        let reversed = #expect(throws: LakeError.self) { try f.table.readIncremental(ReadWindow(since: c2, until: c1)) }
        #expect(reversed?.code == .invalidArgument)
        #expect(reversed?.message.contains("is after until") == true, "\(reversed?.message ?? "")")
        let asOf = #expect(throws: LakeError.self) {
            try f.table.readIncremental(ReadWindow(since: c1), options: ReadOptions(asOf: c2))
        }
        #expect(asOf?.code == .invalidArgument)
        let garbage = #expect(throws: LakeError.self) { try f.table.readIncremental(ReadWindow(since: "last week")) }
        #expect(garbage?.code == .invalidArgument)
        #expect(garbage?.message.contains("'last week'") == true)
        let column = #expect(throws: LakeError.self) {
            try f.table.readIncremental(ReadWindow(since: c1), options: ReadOptions(columns: ["nope"]))
        }
        #expect(column?.code == .invalidArgument)
    }

    /// Insert overwrite replaces the partition's file groups: the window holding it returns the
    /// overwriting rows only, and groups it replaced are not read even if written earlier in
    /// the window.
    @Test(arguments: StorageKind.allCases)
    func replacedFileGroupsAreLeftOut(_ storage: StorageKind) throws {
        let f = try F(storage)
        let c1 = try f.upsert(
            [(F.row("a", 1), false), (F.row("b", 1), false), (F.row("u", 1, region: "us"), false)], at: 0)
        let c2 = try f.upsert([(F.row("a", 2), false), (F.row("u", 2, region: "us"), false)], at: 1)
        let c3 = try f.write(
            RecordBatch.from([F.row("a", 0, "over"), F.row("z", 3)], fields: F.fields), .insertOverwrite, at: 2)
        let rows = rowsByID(
            try f.table.readIncremental(ReadWindow(since: c1), options: ReadOptions(includeMetaColumns: true)))
        #expect(Set(rows.keys) == ["a", "z", "u"])
        #expect(rows["a"]?["name"] == .string("over"))
        #expect(rows["a"]?["_hoodie_commit_time"] == .string(c3))
        #expect(rows["u"]?["_hoodie_commit_time"] == .string(c2))
        // (c1, c2] as of c2 still has the eu group the overwrite replaced later.
        #expect(Set(rowsByID(try f.table.readIncremental(ReadWindow(since: c1, until: c2))).keys) == ["a", "u"])
        // A delete-partition window returns nothing from the deleted partition.
        let c4 = try f.write(RecordBatch.from([], fields: F.fields), .deletePartitions(["region=us"]), at: 3)
        #expect(try f.table.readIncremental(ReadWindow(since: c3, until: c4)).isEmpty)
        #expect(Set(rowsByID(try f.table.readIncremental(ReadWindow(since: c1))).keys) == ["a", "z"])
    }

    @Test(arguments: StorageKind.allCases)
    func anEmptyTableHasNoIncrementalRows(_ storage: StorageKind) throws {
        let f = try F(storage)
        #expect(try f.table.readIncremental(ReadWindow(since: "0")).isEmpty)
        #expect(try f.table.readIncremental(ReadWindow()).isEmpty)
    }
}
