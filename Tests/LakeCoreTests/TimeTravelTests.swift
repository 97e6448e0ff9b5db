import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// A partitioned upsert table whose commits happen at chosen seconds after
/// 2024-06-01T10:00:00Z, with the model's state after every commit (the oracle for time
/// travel, incremental and change-feed reads).
final class TimelineFixture {
    static let fields: [ParquetField] = [
        .string("id", nullable: false), .int64("ts"), .string("name"), .string("region"),
    ]
    static let names = fields.map(\.name)
    /// 2024-06-01T10:00:00Z in epoch milliseconds.
    static let base: Int64 = 1_717_236_000_000

    let dir = TemporaryDirectory()
    let table: Table
    var model: UpsertModel
    /// (instant, model after that commit), oldest first.
    var history: [(instant: String, model: UpsertModel)] = []

    init(_ storage: StorageKind = .local) throws {
        let config = TableConfig(
            name: "timeline", recordKeyFields: ["id"], partitionFields: ["region"], precombineField: "ts")
        table = try Table.create(in: storage.make(dir), config: config, schema: TableSchema(Self.fields))
        model = UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
    }

    /// The instant of a commit made `second` seconds after the base time.
    static func instant(_ second: Int64) -> String { InstantTime(epochMillis: base + second * 1000).value }

    static func row(_ id: String, _ ts: Int64?, _ name: String? = nil, region: String? = "eu") -> [String: ModelValue] {
        [
            "id": .string(id), "ts": ts.map { .int($0) } ?? .null,
            "name": .string(name ?? "\(id)@\(ts.map(String.init) ?? "null")"),
            "region": region.map { .string($0) } ?? .null,
        ]
    }

    /// Upserts rows (`isDelete` marks deletes) at `second`; returns the instant.
    @discardableResult
    func upsert(_ rows: [(row: [String: ModelValue], isDelete: Bool)], at second: Int64) throws -> String {
        let batch = RecordBatch.from(rows.map(\.row), fields: Self.fields, deletes: rows.map(\.isDelete))
        let instant = try write(batch, .upsert, at: second)
        model.apply(rows, instant: instant)
        history.append((instant, model))
        return instant
    }

    /// Writes without touching the model (the caller updates ``model`` and ``history``).
    func write(_ batch: RecordBatch, _ operation: WriteOperation, at second: Int64) throws -> String {
        let millis = Self.base + second * 1000
        table.clock = InstantClock(now: { millis })
        let result = try table.write(batch, operation: operation)
        #expect(result.instant == Self.instant(second), "commit at second \(second)")
        return result.instant
    }

    /// The model snapshot after the commit at `instant` (empty before the first).
    func model(at instant: String) -> UpsertModel {
        history.last { $0.instant <= instant }?.model
            ?? UpsertModel(keyField: "id", orderField: "ts", partitionFields: ["region"])
    }
}

/// Rows keyed by `id`, with the data columns (and meta columns if read).
func rowsByID(_ batches: [RecordBatch]) -> [String: [String: ModelValue]] {
    var out: [String: [String: ModelValue]] = [:]
    for b in batches {
        for r in b.modelRows() {
            guard case .string(let id)? = r["id"] else { continue }
            #expect(out[id] == nil, "duplicate id \(id)")
            out[id] = r
        }
    }
    return out
}

/// Checks rows read from the table against model rows: the same keys, data and commit time.
func expectRows(
    _ batches: [RecordBatch], _ expected: [String: UpsertModel.Row], _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let got = rowsByID(batches)
    #expect(got.keys.sorted() == expected.keys.sorted(), "\(what): keys", sourceLocation: sourceLocation)
    for (k, want) in expected {
        guard let row = got[k] else { continue }
        for f in TimelineFixture.names {
            #expect(row[f] ?? .null == want.values[f] ?? .null, "\(what): \(k).\(f)", sourceLocation: sourceLocation)
        }
        if let ct = row["_hoodie_commit_time"] {
            #expect(ct == .string(want.commitTime), "\(what): \(k) commit time", sourceLocation: sourceLocation)
        }
    }
}

/// Time travel: `ReadOptions.asOf` in every accepted form, between and outside commits, and the
/// retention boundary.
@Suite struct TimeTravelTests {
    /// Three commits at +0 s, +1 s and +2 s.
    func threeCommits(_ storage: StorageKind) throws -> TimelineFixture {
        let f = try TimelineFixture(storage)
        try f.upsert(
            [
                (TimelineFixture.row("a", 1), false), (TimelineFixture.row("b", 1), false),
                (TimelineFixture.row("c", 1, region: "us"), false),
            ], at: 0)
        try f.upsert([(TimelineFixture.row("a", 2, region: "us"), false), (TimelineFixture.row("d", 2), false)], at: 1)
        try f.upsert(
            [(TimelineFixture.row("b", 3), true), (TimelineFixture.row("c", 3, "c3", region: "us"), false)], at: 2)
        return f
    }

    @Test(arguments: StorageKind.allCases)
    func everyAcceptedFormSelectsTheCommit(_ storage: StorageKind) throws {
        let f = try threeCommits(storage)
        for (second, (instant, m)) in f.history.enumerated() {
            let s = Int64(second)
            let millis = TimelineFixture.base + s * 1000
            let forms = [
                instant,  // 17 digits
                String(instant.prefix(14)),  // 14 digits (the commits are on whole seconds)
                "2024-06-01T10:00:0\(s)Z",  // RFC 3339
                "2024-06-01T10:00:0\(s).000Z",
                "2024-06-01 10:00:0\(s)",  // no zone: the timeline zone (UTC)
                "2024-06-01T12:00:0\(s)+02:00",  // an offset
                "2024-06-01T05:30:0\(s)-0430",
                "2024-06-01T10:00:0\(s).999999Z",  // sub-millisecond digits are truncated
                String(millis / 1000),  // epoch seconds
                String(millis),  // epoch milliseconds
                String(millis * 1000 + 999),  // epoch microseconds
            ]
            for spec in forms {
                #expect(try f.table.resolveAsOf(spec) == instant, "as of \(spec)")
                expectRows(try f.table.read(ReadOptions(asOf: spec, includeMetaColumns: true)), m.rows, "as of \(spec)")
            }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func aTimeBetweenCommitsReadsTheEarlierOne(_ storage: StorageKind) throws {
        let f = try threeCommits(storage)
        let (c2, m2) = f.history[1]
        #expect(try f.table.resolveAsOf("2024-06-01T10:00:01.999Z") == c2)
        expectRows(try f.table.read(ReadOptions(asOf: "2024-06-01T10:00:01.5Z")), m2.rows, "between c2 and c3")
        // Far in the future: the latest commit.
        #expect(try f.table.resolveAsOf("9999-01-01") == f.history[2].instant)
    }

    @Test(arguments: StorageKind.allCases)
    func beforeTheFirstCommitIsNotFound(_ storage: StorageKind) throws {
        let f = try threeCommits(storage)
        let e = #expect(throws: LakeError.self) { try f.table.read(ReadOptions(asOf: "2024-06-01T09:59:59.999Z")) }
        #expect(e?.code == .notFound)
        #expect(e?.message.contains("earliest commit: \(f.history[0].instant)") == true, "\(e?.message ?? "")")
    }

    @Test(
        arguments: StorageKind.allCases,
        ["yesterday", "2024-13-01", "2024-06-01T25:00:00Z", "202406011000000000000", "1e9", ""])
    func unparsableTimesAreInvalidArguments(_ storage: StorageKind, _ spec: String) throws {
        let f = try threeCommits(storage)
        let e = #expect(throws: LakeError.self) { try f.table.read(ReadOptions(asOf: spec)) }
        #expect(e?.code == .invalidArgument)
        #expect(e?.message.contains("'\(spec)'") == true, "\(e?.message ?? "")")
    }

    @Test(arguments: StorageKind.allCases)
    func aTableWithoutCommitsHasNothingToTravelTo(_ storage: StorageKind) throws {
        let f = try TimelineFixture(storage)
        #expect(try f.table.read().isEmpty)
        let e = #expect(throws: LakeError.self) { try f.table.read(ReadOptions(asOf: "2024-06-01")) }
        #expect(e?.code == .notFound)
        #expect(e?.message.contains("earliest commit: none") == true)
    }

    /// Archiving the first commit (moving its instant files under `.hoodie/archived/`) makes
    /// the second one the earliest readable instant: reads before it must fail, not be partial.
    @Test(arguments: StorageKind.allCases)
    func readsBeforeTheRetainedHistoryFailAndNameTheEarliestReadableInstant(_ storage: StorageKind) throws {
        let f = try threeCommits(storage)
        let c1 = f.history[0].instant, c2 = f.history[1].instant
        try archive(c1, in: f.table)
        #expect(try f.table.earliestReadableInstant() == c2)
        for spec in [c1, "2024-06-01T10:00:00.5Z", "2000-01-01"] {
            let e = #expect(throws: LakeError.self) { try f.table.read(ReadOptions(asOf: spec)) }
            #expect(e?.code == .outsideRetention, "as of \(spec)")
            #expect(e?.message.contains("earliest readable instant is \(c2)") == true, "\(e?.message ?? "")")
        }
        // At and after the boundary, reads are exact.
        expectRows(try f.table.read(ReadOptions(asOf: c2)), f.history[1].model.rows, "as of c2")
        for w in [ReadWindow(since: c1), ReadWindow(since: "0"), ReadWindow(), ReadWindow(since: c1, until: c2)] {
            let e1 = #expect(throws: LakeError.self) { try f.table.readIncremental(w) }
            #expect(e1?.code == .outsideRetention, "incremental \(w)")
            #expect(e1?.message.contains("earliest readable instant is \(c2)") == true, "\(e1?.message ?? "")")
            let e2 = #expect(throws: LakeError.self) { try f.table.changes(w) }
            #expect(e2?.code == .outsideRetention, "changes \(w)")
        }
        #expect(try f.table.changes(since: c2).commits == [f.history[2].instant])
        #expect(try !f.table.readIncremental(ReadWindow(since: c2)).isEmpty)
    }

    /// Moves an instant's files into `.hoodie/archived/` (what archival does to the active timeline).
    func archive(_ instant: String, in table: Table) throws {
        let s = table.storage
        for e in try s.list(".hoodie") where !e.isDirectory && e.name.hasPrefix(instant + ".") {
            try s.write(".hoodie/archived/" + e.name, try s.read(e.path))
            try s.delete(e.path)
        }
        try table.refresh()
    }
}

/// The retention boundary as a pure rule.
@Suite struct ReadableRangeTests {
    @Test func atOrAfterTheEarliestIsReadable() throws {
        let r = ReadableRange(earliest: "20240601100001000", completeHistory: false)
        #expect(try r.check("20240601100001000", reading: "x") == .readable)
        #expect(try r.check("20240601100002000", reading: "x") == .readable)
    }

    @Test func fourteenDigitInstantsAreWidened() throws {
        let r = ReadableRange(earliest: "20240601100001", completeHistory: false)
        #expect(r.earliest == "20240601100001000")
        #expect(try r.check("20240601100001", reading: "x") == .readable)
    }

    @Test func beforeTheEarliestFailsUnlessTheHistoryIsComplete() throws {
        let complete = ReadableRange(earliest: "20240601100001000", completeHistory: true)
        #expect(try complete.check("20240601100000999", reading: "x") == .beforeFirstCommit)
        let cleaned = ReadableRange(earliest: "20240601100001000", completeHistory: false)
        let e = #expect(throws: LakeError.self) { try cleaned.check("20240601100000999", reading: "as of yesterday") }
        #expect(e?.code == .outsideRetention)
        #expect(e?.message.hasPrefix("as of yesterday reaches before the retained history") == true)
        #expect(e?.message.contains("earliest readable instant is 20240601100001000") == true)
    }

    @Test func aSavepointedCommitStaysReadableAsOfItselfButNotAsAWindowStart() throws {
        let r = ReadableRange(earliest: "20240601100005000", completeHistory: false, savepointed: ["20240601100002"])
        #expect(try r.check("20240601100002000", reading: "as of", savepointsCount: true) == .readable)
        #expect(throws: LakeError.self) { try r.check("20240601100002000", reading: "changes since") }
        #expect(throws: LakeError.self) { try r.check("20240601100003000", reading: "as of", savepointsCount: true) }
    }

    @Test func aTableWithoutCommitsIsAlwaysBeforeItsFirstCommit() throws {
        let r = ReadableRange(earliest: nil, completeHistory: true)
        #expect(try r.check("99991231000000000", reading: "x") == .beforeFirstCommit)
    }
}
