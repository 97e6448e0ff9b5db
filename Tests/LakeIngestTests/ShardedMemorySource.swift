import Foundation
import LakeCore
@testable import LakeIngest

/// A second kind of ``ChangeSource``, shaped like Kinesis or DynamoDB Streams: several shards,
/// each an ordered list of records with increasing sequence numbers, read concurrently (one
/// reader thread per shard fetches into a buffer, as `GetRecords` loops would). Its position is
/// a sequence number per shard — `{"shards":{"shard-0":"4959…01","shard-1":"4959…07"}}` — which
/// only this type interprets; the pipeline just stores and returns it.
final class ShardedMemorySource: ChangeSource, @unchecked Sendable {
    struct Record: Sendable {
        /// A decimal sequence number (as Kinesis gives them: up to 128 bits, compared as numbers).
        var sequence: String
        var line: String
    }

    let kind = "memory-shards"
    let path: String
    private let shards: [(id: String, records: [Record])]
    private let lock = NSLock()
    /// Per shard: records fetched by its reader and not handed out yet.
    private var buffers: [[Record]]
    /// Per shard: whether its reader has fetched everything.
    private var exhausted: [Bool]
    /// Per shard: the sequence number of the last record handed out (the position).
    private var delivered: [String?]
    private var readers: [Thread] = []
    private var nextShard = 0

    init(stream: String, shards: [(id: String, records: [Record])]) {
        path = stream
        self.shards = shards
        buffers = Array(repeating: [], count: shards.count)
        exhausted = Array(repeating: false, count: shards.count)
        delivered = Array(repeating: nil, count: shards.count)
    }

    /// Sequence numbers compare as numbers (no leading zeros: longer is larger).
    static func isAfter(_ a: String, _ b: String) -> Bool { a.count != b.count ? a.count > b.count : a > b }

    func resume(from checkpoint: Checkpoint) throws(LakeError) {
        guard readers.isEmpty else { throw LakeError(.invalidArgument, "resume before the first read") }
        guard case .object(let members)? = checkpoint["shards"] else {
            throw LakeError(.corruptTable, "checkpoint \(checkpoint.json): no shard positions")
        }
        for m in members {
            guard let i = shards.firstIndex(where: { $0.id == m.key }), let seq = m.value.stringValue else {
                throw LakeError(.corruptTable, "checkpoint \(checkpoint.json): unknown shard \(m.key)")
            }
            delivered[i] = seq
        }
    }

    private func startReaders() {
        for (i, shard) in shards.enumerated() {
            let after = delivered[i]
            let t = Thread { [self] in
                for r in shard.records where after.map({ Self.isAfter(r.sequence, $0) }) ?? true {
                    usleep(UInt32.random(in: 0..<200))
                    lock.lock()
                    buffers[i].append(r)
                    lock.unlock()
                }
                lock.lock()
                exhausted[i] = true
                lock.unlock()
            }
            readers.append(t)
            t.start()
        }
    }

    /// The position after everything handed out so far.
    private var position: Checkpoint {
        var members: [JSONMember] = []
        for (i, shard) in shards.enumerated() {
            if let seq = delivered[i] { members.append(JSONMember(shard.id, .string(seq))) }
        }
        return Checkpoint(source: kind, path: path, position: [JSONMember("shards", .object(members))])
    }

    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead {
        if readers.isEmpty { startReaders() }
        lock.lock()
        defer { lock.unlock() }
        for k in 0..<shards.count {
            let i = (nextShard + k) % shards.count
            guard !buffers[i].isEmpty else { continue }
            nextShard = i + 1
            var bytes: [UInt8] = []
            var taken = 0
            let first = buffers[i][0]
            while taken < buffers[i].count && taken < maxLines && (taken == 0 || bytes.count < maxBytes) {
                bytes.append(contentsOf: buffers[i][taken].line.utf8)
                bytes.append(0x0A)
                taken += 1
            }
            delivered[i] = buffers[i][taken - 1].sequence
            buffers[i].removeFirst(taken)
            let number = shards[i].records.firstIndex { $0.sequence == first.sequence }! + 1
            return .chunk(
                SourceChunk(
                    bytes: bytes, file: "\(path)/\(shards[i].id)", startOffset: Int64(number),
                    firstLine: number, end: position))
        }
        return exhausted.allSatisfy { $0 } ? .end : .idle
    }
}
