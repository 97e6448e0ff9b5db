import Foundation
import Testing
@testable import LakeCore
import LakeAWS
import LakeS3
import LakeTestSupport

/// The plain model of an upsert table used as the oracle: key → row, with the table's semantics
/// written out the simplest way.
struct UpsertModel {
    struct Row: Equatable { var values: [String: ModelValue]; var commitTime: String; var partition: String }
    var rows: [String: Row] = [:]
    var tombstones: [String: Int64?] = [:]
    let keyField: String
    let orderField: String?
    let partitionFields: [String]

    func partition(_ r: [String: ModelValue]) -> String {
        partitionFields.map { f in
            let v = r[f].flatMap { $0.text } ?? ""
            return "\(f)=\(v.isEmpty ? "__HIVE_DEFAULT_PARTITION__" : v)"
        }.joined(separator: "/")
    }

    func order(_ r: [String: ModelValue]) -> Int64? {
        guard let f = orderField, case .int(let v)? = r[f] else { return nil }
        return v
    }

    static func less(_ a: Int64?, _ b: Int64?) -> Bool {
        switch (a, b) {
        case (nil, nil): false
        case (nil, _): true
        case (_, nil): false
        case (let x?, let y?): x < y
        }
    }

    /// Applies one upsert batch (rows with `isDelete`).
    mutating func apply(
        _ batch: [(row: [String: ModelValue], isDelete: Bool)], instant: String, orderedDeletes: Bool = true
    ) {
        var winners: [String: Int] = [:]
        var order: [String] = []
        for (i, r) in batch.enumerated() {
            guard case .string(let k)? = r.row[keyField] else { continue }
            if let p = winners[k] {
                if !Self.less(self.order(r.row), self.order(batch[p].row)) { winners[k] = i }
            } else {
                winners[k] = i; order.append(k)
            }
        }
        for k in order {
            let (row, del) = batch[winners[k]!]
            let o = self.order(row)
            // A delete without an ordering value is unconditional.
            let orderedDeletes = orderedDeletes && o != nil
            if let stored = rows[k] {
                if del {
                    if orderedDeletes && Self.less(o, self.order(stored.values)) { continue }
                    rows[k] = nil
                    tombstones[k] = orderedDeletes ? o : nil
                } else {
                    if Self.less(o, self.order(stored.values)) { continue }
                    rows[k] = Row(values: row, commitTime: instant, partition: partition(row))
                }
            } else {
                if del {
                    if orderedDeletes, o != nil, tombstones[k].map({ Self.less($0, o) }) ?? true { tombstones[k] = o }
                    continue
                }
                if let t = tombstones[k], Self.less(o, t) { continue }
                rows[k] = Row(values: row, commitTime: instant, partition: partition(row))
            }
        }
    }
}

/// A model-side value.
enum ModelValue: Equatable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case null

    var text: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .null: nil
        }
    }
}

extension RecordBatch {
    /// Builds a batch from model rows for the given flat fields (string, int64, double).
    static func from(_ rows: [[String: ModelValue]], fields: [ParquetField], deletes: [Bool]? = nil) -> RecordBatch {
        var columns: [Column] = []
        for f in fields {
            let vals = rows.map { $0[f.name] ?? .null }
            let validity = vals.map { $0 != .null }
            let v: [Bool]? = validity.contains(false) ? validity : nil
            switch f.physicalType {
            case .byteArray?:
                columns.append(Column(.byteArray(ByteArrayValues(strings: vals.map { $0.text ?? "" })), validity: v))
            case .int64?:
                columns.append(Column(.int64(vals.map { if case .int(let i) = $0 { i } else { 0 } }), validity: v))
            case .double?:
                columns.append(Column(.double(vals.map { if case .double(let d) = $0 { d } else { 0 } }), validity: v))
            default: fatalError("unsupported model field")
            }
        }
        var fs = fields
        if let d = deletes {
            fs.append(.boolean(Table.deleteMarkerColumn))
            columns.append(Column(.boolean(d)))
        }
        return RecordBatch(schema: ParquetSchema(fs), columns: columns, rowCount: rows.count)
    }

    /// Rows as model values keyed by column name (flat string/int64/double columns).
    func modelRows() -> [[String: ModelValue]] {
        (0..<rowCount).map { r in
            var out: [String: ModelValue] = [:]
            for (f, c) in zip(schema.fields, columns) {
                if c.isNull(r) { out[f.name] = .null; continue }
                switch c.data {
                case .byteArray(let a): out[f.name] = .string(a.string(at: r))
                case .int64(let a): out[f.name] = .int(a[r])
                case .int32(let a): out[f.name] = .int(Int64(a[r]))
                case .double(let a): out[f.name] = .double(a[r])
                default: out[f.name] = .null
                }
            }
            return out
        }
    }
}

extension Table {
    /// Every row of the latest snapshot with meta columns, keyed by record key.
    func snapshotByKey() throws -> [String: [String: ModelValue]] {
        var out: [String: [String: ModelValue]] = [:]
        for b in try read(ReadOptions(includeMetaColumns: true)) {
            for r in b.modelRows() {
                guard case .string(let k)? = r["_hoodie_record_key"] else { continue }
                #expect(out[k] == nil, "duplicate key \(k)")
                out[k] = r
            }
        }
        return out
    }
}

/// The storages the table suites run on: a local directory, memory that keeps the
/// object-store contract (no rename, no directories, put-if-absent, whole objects only) — so
/// every suite also proves that no table code path goes around ``TableStorage`` — and S3
/// (``S3Storage`` on a real SeaweedFS server with signature checking on, started once for the
/// test process and stopped by pid at exit).
enum StorageKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local
    case memory
    case s3

    var testDescription: String { rawValue }

    /// A fresh, empty storage for a table: `dir/name` on disk, a new ``MemoryStorage``, or the
    /// prefix `<dir's name>/name` in the test bucket (the same prefix for the same `dir` and `name`,
    /// as on disk).
    func make(_ dir: TemporaryDirectory, _ name: String = "t") -> any TableStorage {
        switch self {
        case .local: LocalStorage(root: dir.sub(name))
        case .memory: MemoryStorage()
        case .s3: S3TestBucket.shared.storage(prefix: (dir.path as NSString).lastPathComponent + "/" + name)
        }
    }
}

/// The bucket the `.s3` storage kind uses on the shared local S3 server.
final class S3TestBucket: Sendable {
    static let bucket = "lake-tests"
    let client: S3Client

    static let shared: S3TestBucket = {
        do {
            let server = try LocalS3Server.shared()
            let aws = AWSClient(configuration: try AWSConfiguration.resolve(environment: server.environment))
            let client = S3Client(aws)
            try client.createBucket(bucket)
            return S3TestBucket(client: client)
        } catch {
            fatalError("the local S3 server for the .s3 storage kind could not be started: \(error)")
        }
    }()

    private init(client: S3Client) { self.client = client }

    func storage(prefix: String) -> S3Storage {
        S3Storage(bucket: Self.bucket, prefix: prefix, client: client)
    }
}

/// The table-relative keys of the multipart uploads open under an ``S3Storage``'s prefix.
func s3Uploads(_ storage: any TableStorage) throws -> [String] {
    guard let s = storage as? S3Storage else { return [] }
    return try s.client.listMultipartUploads(bucket: s.bucket, prefix: s.prefix + "/")
        .map { String($0.upload.key.dropFirst(s.prefix.count + 1)) }.sorted()
}
