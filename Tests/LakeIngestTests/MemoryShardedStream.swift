import Foundation
import LakeAWS
import LakeCore
@testable import LakeIngest

/// An in-memory ``ShardedStream`` for what moto cannot show: records trimmed by retention and
/// throttling that outlasts the client's retries. Shards hold records with sequence numbers;
/// `trimmedBelow` hides older ones; `throttleCalls` makes a shard's next calls fail as AWS does.
final class MemoryShardedStream: ShardedStream, @unchecked Sendable {
    struct Record {
        var sequence: Int
        var arrival: Int64
        var line: String
    }

    let kind = "memory-stream"
    let identity = "arn:memory:stream/test"
    let displayName = "memory://test"
    let retentionHours = 24
    let supportsTimestampIterators = true
    let idlePollMillis: Int64 = 20
    private let lock = NSLock()
    private var shardRecords: [String: [Record]] = [:]
    private var shardList: [StreamShard] = []
    /// Per shard: records with a smaller sequence number are gone.
    var trimmedBelow: [String: Int] = [:]
    /// Per shard: how many more `GetRecords` calls answer with throttling.
    var throttleCalls: [String: Int] = [:]
    private(set) var throttled = 0

    init(shards: [(StreamShard, [Record])]) {
        for (s, r) in shards {
            shardList.append(s)
            shardRecords[s.id] = r
        }
    }

    func shards() throws(LakeError) -> [StreamShard] {
        lock.lock()
        defer { lock.unlock() }
        return shardList
    }

    func iterator(shard: String, at position: ShardIteratorPosition) throws(LakeError) -> String {
        lock.lock()
        defer { lock.unlock() }
        let records = (shardRecords[shard] ?? []).filter { $0.sequence >= trimmedBelow[shard, default: 0] }
        let index: Int =
            switch position {
            case .trimHorizon: 0
            case .latest: records.count
            case .atSequence(let s): records.firstIndex { $0.sequence >= Int(s)! } ?? records.count
            case .afterSequence(let s): records.firstIndex { $0.sequence > Int(s)! } ?? records.count
            case .atTimestamp(let t): records.firstIndex { $0.arrival >= t } ?? records.count
            }
        return "\(shard)|\(records.indices.contains(index) ? records[index].sequence : Int.max)"
    }

    func records(iterator: String, limit: Int) throws(LakeError) -> StreamRecords {
        let parts = iterator.split(separator: "|")
        let shard = String(parts[0])
        let from = Int(parts[1])!
        lock.lock()
        defer { lock.unlock() }
        if let n = throttleCalls[shard], n > 0 {
            throttleCalls[shard] = n - 1
            throttled += 1
            throw LakeError(
                aws: AWSError(
                    .throttled, "GetRecords throttled", status: 400,
                    serviceCode: "ProvisionedThroughputExceededException"), about: displayName)
        }
        var out = StreamRecords()
        let records = shardRecords[shard]!.filter { $0.sequence >= max(from, trimmedBelow[shard, default: 0]) }
        for r in records.prefix(limit) {
            Array(r.line.utf8).withUnsafeBytes {
                out.append(line: $0, sequence: String(r.sequence), arrival: r.arrival)
            }
        }
        let closed = shardList.first { $0.id == shard }!.isClosed
        let next = records.count > limit ? records[limit].sequence : (out.sequences.last.map { Int($0)! + 1 } ?? from)
        out.nextIterator = closed && records.count <= limit ? nil : "\(shard)|\(next)"
        out.millisBehindLatest = 0
        return out
    }

    /// An INSERT change record for `id`, in the Kinesis shape.
    static func line(_ id: String, shard: String, arrival: Int64) -> String {
        #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":\#(arrival),"Keys":{"id":{"S":"\#(id)"}},"NewImage":{"id":{"S":"\#(id)"},"shard":{"S":"\#(shard)"}}}}"#
    }
}
