import Foundation
import PropertyBased
import Testing
@testable import LakeCore

/// One change as plain values.
struct ChangeRow: Equatable, CustomStringConvertible {
    var op: String
    var commit: String
    var key: String
    var before: [String: ModelValue]?
    var after: [String: ModelValue]?

    var description: String {
        "\(op) \(key) @\(commit): \(before.map { "\($0)" } ?? "nil") -> \(after.map { "\($0)" } ?? "nil")"
    }

    /// The rows of a feed, in order.
    static func rows(_ feed: ChangeFeed) -> [ChangeRow] {
        var out: [ChangeRow] = []
        for b in feed.batches {
            #expect(b.schema == feed.schema)
            let ops = RecordBatch(
                schema: ParquetSchema(Array(b.schema.fields.prefix(3))), columns: Array(b.columns.prefix(3)),
                rowCount: b.rowCount
            ).modelRows()
            let before = images(b.columns[3], b.schema.fields[3], b.rowCount)
            let after = images(b.columns[4], b.schema.fields[4], b.rowCount)
            for i in 0..<b.rowCount {
                guard case .string(let op)? = ops[i][ChangeFeed.operationColumn],
                    case .string(let c)? = ops[i][ChangeFeed.commitTimeColumn],
                    case .string(let k)? = ops[i][ChangeFeed.recordKeyColumn]
                else {
                    Issue.record("change row \(i) lacks op, commit time or key")
                    continue
                }
                out.append(ChangeRow(op: op, commit: c, key: k, before: before[i], after: after[i]))
            }
        }
        return out
    }

    static func images(_ column: Column, _ field: ParquetField, _ n: Int) -> [[String: ModelValue]?] {
        guard case .structure(let children) = column.data else {
            Issue.record("\(field.name) is not a struct")
            return Array(repeating: nil, count: n)
        }
        let rows = RecordBatch(schema: ParquetSchema(field.children), columns: children, rowCount: n).modelRows()
        return (0..<n).map { column.isNull($0) ? nil : rows[$0] }
    }

    /// The changes the model says commit `instant` made, going from `prev` to `cur`, sorted by key.
    static func expected(
        from prev: UpsertModel, to cur: UpsertModel, instant: String, fields: [String] = TimelineFixture.names
    ) -> [ChangeRow] {
        func image(_ r: UpsertModel.Row) -> [String: ModelValue] {
            var out: [String: ModelValue] = [:]
            for f in fields { out[f] = r.values[f] ?? .null }
            return out
        }
        var out: [ChangeRow] = []
        for (k, r) in cur.rows where r.commitTime == instant {
            out.append(
                ChangeRow(
                    op: prev.rows[k] == nil ? "insert" : "update", commit: instant, key: k,
                    before: prev.rows[k].map(image), after: image(r)))
        }
        for (k, r) in prev.rows where cur.rows[k] == nil {
            out.append(ChangeRow(op: "delete", commit: instant, key: k, before: image(r), after: nil))
        }
        return out.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}

/// The change feed against the model: every insert, update and delete with before and after.
@Suite struct ChangeFeedTests {
    typealias F = TimelineFixture

    /// The model's feed for commits in `(since, until]`.
    func expected(_ f: F, since: String? = nil, until: String? = nil) -> [ChangeRow] {
        var out: [ChangeRow] = []
        var prev = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
        for (instant, m) in f.history {
            if (since.map { instant > $0 } ?? true) && (until.map { instant <= $0 } ?? true) {
                out += ChangeRow.expected(from: prev, to: m, instant: instant)
            }
            prev = m
        }
        return out
    }

    func sixCommits(_ storage: StorageKind) throws -> F {
        let f = try F(storage)
        try f.upsert(
            [
                (F.row("a", 1), false), (F.row("b", 1), false), (F.row("c", 1, region: "us"), false),
                (F.row("d", 1, region: "us"), false),
            ], at: 0)
        try f.upsert([(F.row("a", 2, region: "us"), false), (F.row("e", 2, region: "ap"), false)], at: 1)  // a moves
        // delete, ignored, absent
        try f.upsert([(F.row("b", 3), true), (F.row("c", 0, "late"), false), (F.row("x", 3), true)], at: 2)
        try f.upsert([(F.row("b", 4, "again"), false), (F.row("d", 4), false), (F.row("d", 4, "tie"), false)], at: 3)
        try f.upsert([(F.row("c", 0), false)], at: 4)  // ignored: a commit without changes
        try f.upsert(
            [(F.row("a", 6, region: "eu"), false), (F.row("e", 6), true), (F.row("c", 6, region: "ap"), false)], at: 5)
        return f
    }

    @Test(arguments: StorageKind.allCases)
    func everyCommitsChangesMatchTheModel(_ storage: StorageKind) throws {
        let f = try sixCommits(storage)
        let feed = try f.table.changes(since: nil)
        #expect(feed.commits == f.history.map(\.instant))
        let got = ChangeRow.rows(feed)
        let want = expected(f)
        #expect(got == want, "\(got.filter { !want.contains($0) }) vs \(want.filter { !got.contains($0) })")
        #expect(feed.count == want.count)
        #expect(feed.count(of: .delete) == want.filter { $0.op == "delete" }.count)
        // A commit that changed nothing has no batch.
        #expect(feed.batches.count == f.history.count - 1)
    }

    @Test(arguments: StorageKind.allCases)
    func windowsSelectCommits(_ storage: StorageKind) throws {
        let f = try sixCommits(storage)
        let i = f.history.map(\.instant)
        for (s, u) in [(0, 1), (1, 3), (2, 5), (0, 5), (3, 4)] {
            let got = ChangeRow.rows(try f.table.changes(since: i[s], until: i[u]))
            #expect(got == expected(f, since: i[s], until: i[u]), "(\(s + 1), \(u + 1)]")
        }
        #expect(try f.table.changes(since: i[5]).count == 0)
    }

    @Test(arguments: StorageKind.allCases)
    func aPartitionMoveIsOneUpdateWithBothImages(_ storage: StorageKind) throws {
        let f = try sixCommits(storage)
        let c2 = f.history[1].instant
        let rows = ChangeRow.rows(
            try f.table.changes(since: f.history[0].instant, until: c2, options: ReadOptions(includeMetaColumns: true)))
        let a = try #require(rows.first { $0.key == "a" })
        #expect(a.op == "update")
        #expect(a.before?["_hoodie_partition_path"] == .string("region=eu"))
        #expect(a.before?["_hoodie_commit_time"] == .string(f.history[0].instant))
        #expect(a.after?["_hoodie_partition_path"] == .string("region=us"))
        #expect(a.after?["_hoodie_commit_time"] == .string(c2))
        #expect(rows.filter { $0.key == "a" }.count == 1)
    }

    @Test(arguments: StorageKind.allCases)
    func schemaColumnsAndPredicate(_ storage: StorageKind) throws {
        let f = try sixCommits(storage)
        let feed = try f.table.changes(since: nil, options: ReadOptions(columns: ["name"]))
        #expect(
            feed.schema.fields.map(\.name) == [
                "_change_op", "_change_commit_time", "_change_record_key", "before", "after",
            ])
        #expect(feed.schema.fields[3].children.map(\.name) == ["name"])
        #expect(!feed.schema.fields[0].isNullable && feed.schema.fields[3].isNullable)
        let meta = try f.table.changes(since: nil, options: ReadOptions(columns: ["id"], includeMetaColumns: true))
        #expect(meta.schema.fields[4].children.map(\.name) == TableSchema.metaColumns + ["id"])
        // A predicate keeps changes whose before or after image matches: a's move out of and back into eu.
        let eu = ChangeRow.rows(
            try f.table.changes(since: nil, options: ReadOptions(predicate: try Predicate(parsing: "region = 'eu'"))))
        let want = expected(f).filter { $0.before?["region"] == .string("eu") || $0.after?["region"] == .string("eu") }
        #expect(eu == want)
        #expect(eu.contains { $0.key == "a" && $0.op == "update" && $0.after?["region"] == .string("us") })
    }

    @Test(arguments: StorageKind.allCases)
    func badRequestsAreInvalidArguments(_ storage: StorageKind) throws {
        let f = try sixCommits(storage)
        let e1 = #expect(throws: LakeError.self) { try f.table.changes(ReadWindow(since: "x")) }
        #expect(e1?.code == .invalidArgument)
        let e2 = #expect(throws: LakeError.self) {
            try f.table.changes(ReadWindow(since: "0"), options: ReadOptions(asOf: "0"))
        }
        #expect(e2?.code == .invalidArgument)
        let e3 = #expect(throws: LakeError.self) {
            try f.table.changes(ReadWindow(since: "0"), options: ReadOptions(columns: []))
        }
        #expect(e3?.code == .invalidArgument)
    }

    /// Insert overwrite: rows of the replaced groups that are not re-inserted are deleted, those
    /// re-inserted are updated; delete partition deletes every row of the partition.
    @Test(arguments: StorageKind.allCases)
    func replacecommitsDeleteWhatTheyReplace(_ storage: StorageKind) throws {
        let f = try F(storage)
        try f.upsert([(F.row("a", 1), false), (F.row("b", 1), false), (F.row("u", 1, region: "us"), false)], at: 0)
        let c2 = try f.write(
            RecordBatch.from([F.row("a", 0, "over"), F.row("z", 2)], fields: F.fields), .insertOverwrite, at: 1)
        let c3 = try f.write(RecordBatch.from([], fields: F.fields), .deletePartitions(["region=us"]), at: 2)
        let rows = ChangeRow.rows(try f.table.changes(since: f.history[0].instant))
        let summary = rows.map { "\($0.commit == c2 ? 2 : $0.commit == c3 ? 3 : 0) \($0.op) \($0.key)" }
        #expect(summary == ["2 update a", "2 delete b", "2 insert z", "3 delete u"])
        #expect(rows[0].before?["name"] == .string("a@1") && rows[0].after?["name"] == .string("over"))
        #expect(rows[3].before?["region"] == .string("us") && rows[3].after == nil)
    }

    /// Random upsert/delete histories: the feed over the whole history equals the differences
    /// of consecutive as-of snapshots (an oracle independent of the model's merge rules).
    @Test(arguments: StorageKind.allCases)
    func randomHistoriesMatchSnapshotDifferences(_ storage: StorageKind) async throws {
        let op = zip(Gen.int(in: 0...7), Gen.int(in: 0...4), Gen.int(in: 0...2), Gen.int(in: 0...5))
        await propertyCheck(count: 12, input: op.array(of: 1...12).array(of: 1...4)) { commits throws in
            let f = try F(storage)
            for (n, rows) in commits.enumerated() {
                let batch = rows.map { k, ts, region, kind in
                    (F.row("k\(k)", Int64(ts), "v\(n)", region: ["eu", "us", "ap"][region]), kind == 0)
                }
                try f.upsert(batch, at: Int64(n))
            }
            var want: [ChangeRow] = []
            var prev: [String: [String: ModelValue]] = [:]
            for (instant, _) in f.history {
                let cur = rowsByID(try f.table.read(ReadOptions(asOf: instant, includeMetaColumns: true)))
                func image(_ r: [String: ModelValue]) -> [String: ModelValue] { r.filter { F.names.contains($0.key) } }
                var changes: [ChangeRow] = []
                for (k, r) in cur where r["_hoodie_commit_time"] == .string(instant) {
                    changes.append(
                        ChangeRow(
                            op: prev[k] == nil ? "insert" : "update", commit: instant, key: k,
                            before: prev[k].map(image), after: image(r)))
                }
                for (k, r) in prev where cur[k] == nil {
                    changes.append(ChangeRow(op: "delete", commit: instant, key: k, before: image(r), after: nil))
                }
                want += changes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                prev = cur
            }
            let got = ChangeRow.rows(try f.table.changes(since: nil))
            #expect(got == want)
            // And the model agrees.
            #expect(got == expected(f))
        }
    }
}
