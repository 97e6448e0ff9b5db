import Foundation
import Testing
@testable import LakeIngest

/// Rows of a batch as canonical JSON lines (keys in schema order).
func jsonRows(_ batch: RecordBatch, columns: [String]? = nil) throws -> [String] {
    var b = batch
    if let names = columns {
        let idx = try names.map { n in try #require(b.schema.fields.firstIndex { $0.name == n }, "no column \(n)") }
        b = RecordBatch(
            schema: ParquetSchema(idx.map { batch.schema.fields[$0] }), columns: idx.map { batch.columns[$0] },
            rowCount: batch.rowCount)
    }
    var f = RowFormatter(schema: b.schema, format: .jsonl)
    var out: [UInt8] = []
    try f.append(b, to: &out)
    f.finish(to: &out)
    return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
}

/// The column names and types of a batch, as `name: type`.
func schemaText(_ batch: RecordBatch) -> [String] {
    batch.schema.fields.map { "\($0.name): \(ColumnType(field: $0).map { "\($0)" } ?? "?")" }
}

/// Decodes JSON lines with a mapping into one batch.
func decode(
    _ text: String, mapping: IngestMapping = .inferred, tableSchema: TableSchema? = nil, keys: [String] = [],
    onError: ErrorPolicy = .quarantine, file: String = "test.jsonl"
) throws -> ChangeBatch {
    let b = try ChangeBatchBuilder(mapping: mapping, tableSchema: tableSchema, keyFields: keys, onError: onError)
    try b.append(SourceChunk(bytes: Array(text.utf8), file: file))
    return try b.finish()
}

/// The shared fixtures.
enum Fixtures {
    /// `../shared/fixtures/cdc` beside the repository (as CI has it).
    static var directory: String {
        URL(fileURLWithPath: repositoryRoot + "/../shared/fixtures/cdc").standardizedFileURL.path
    }
    static func lines(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }
    /// The repository root (for samples/).
    static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }
}

/// A sink that keeps commits in memory and can be told to fail, for pipeline tests.
final class MemorySink: RecordSink {
    struct Commit {
        var batch: ChangeBatch
        var extra: [String: String]
    }
    private var storedCommits: [Commit] = []
    private let lock = NSLock()
    var commits: [Commit] { lock.lock(); defer { lock.unlock() }; return storedCommits }
    var schema: TableSchema?
    var keys: [String] = []
    var errorDirectory: String?
    /// Throw instead of committing when this returns true (simulates a crash during a write).
    var failBeforeCommit: (Int) -> Bool = { _ in false }

    var tableSchema: TableSchema? { schema }
    var recordKeyFields: [String] { keys }
    var errorLogDirectory: String? { errorDirectory }

    func latestExtraMetadata(where predicate: ([String: String]) -> Bool) throws(LakeError) -> [String: String]? {
        commits.reversed().first { predicate($0.extra) }?.extra
    }

    func commit(_ batch: ChangeBatch, extraMetadata: [String: String]) throws(LakeError) -> SinkCommit {
        if failBeforeCommit(commits.count) {
            throw LakeError(.io, "simulated crash before commit \(commits.count + 1)")
        }
        lock.lock()
        storedCommits.append(Commit(batch: batch, extra: extraMetadata))
        lock.unlock()
        schema = try (schema ?? TableSchema([])).evolved(
            with: ParquetSchema(batch.batch.schema.fields.filter { $0.name != ChangeBatch.deleteColumn }))
        if keys.isEmpty { keys = batch.recordKeyFields }
        return SinkCommit(
            instant: String(format: "%017d", commits.count), inserted: batch.upserts, deleted: batch.deletes)
    }

    /// Every committed row's `_event_order` value, in commit order.
    func committedOrders() throws -> [String] {
        var out: [String] = []
        for c in commits {
            for line in try jsonRows(c.batch.batch, columns: [EventOrder.columnName]) {
                out.append(line)
            }
        }
        return out
    }
}

/// A clock tests advance by hand; sleeping advances it.
final class ManualClock: IngestClock, @unchecked Sendable {
    private var now: Int64 = 0
    private let lock = NSLock()
    func nowMillis() -> Int64 { lock.lock(); defer { lock.unlock() }; return now }
    func sleep(millis: Int64) { advance(millis) }
    func advance(_ ms: Int64) { lock.lock(); now += ms; lock.unlock() }
}
