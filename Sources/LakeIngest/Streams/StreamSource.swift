import Foundation
import LakeCore

/// A live change stream — a Kinesis data stream (``KinesisStream``) or a DynamoDB table's stream
/// (``DynamoDBStream``) — as a ``ChangeSource``: every shard is read concurrently by its own
/// reader thread into a bounded buffer, and ``read(maxBytes:maxLines:)`` hands out whole runs of
/// one shard's records without waiting on AWS, so a window closes on time even while AWS is slow
/// or throttling.
///
/// **Resharding**: a child shard is read only after its parents are drained (read to their end
/// and every record handed out), so one key's changes reach the table in stream order. Shards are
/// listed again whenever one is drained, and every ``StreamSourceOptions/listIntervalMillis``.
///
/// **Position** (the checkpoint a commit stores): the last sequence number handed out per shard,
/// when that record arrived, the drained shards, and the first run's start —
/// `{"source":"kinesis","path":"arn:…:stream/orders","shards":{"shardId-000000000001":"4959…"},
/// "arrived":{"shardId-000000000001":1796666400123},"drained":["shardId-000000000000"],
/// "from":"trim-horizon"}`. ``resume(from:)`` continues each shard *after* its sequence number;
/// a shard without one starts where the first run started. Expired iterators are renewed after the
/// last record fetched.
///
/// **Retention**: if a checkpointed record is no longer in its shard (or its shard is gone) the
/// records after it were trimmed unread; the first read throws ``LakeError`` `.outsideRetention`
/// saying how many hours are missing, unless ``StreamSourceOptions/acceptDataLoss``.
public final class StreamSource: StreamStatisticsSource, @unchecked Sendable {
    public let stream: any ShardedStream
    public let options: StreamSourceOptions
    public var kind: String { stream.kind }
    public var path: String { stream.identity }
    /// Told about data accepted as lost (``StreamSourceOptions/acceptDataLoss``); any thread.
    public var onWarning: (@Sendable (String) -> Void)?
    /// The time (epoch milliseconds); injected by tests.
    var now: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// One shard's state; guarded by the source's lock.
    final class Shard: @unchecked Sendable {
        /// As last listed (a shard listed open may be closed later).
        var info: StreamShard
        var buffer = StreamRecords()
        /// The last record handed out and its arrival.
        var delivered: String?
        var deliveredAt: Int64?
        /// Where the reader starts (resolved when it starts).
        var startPosition: ShardIteratorPosition?
        /// The reader reached the end of the closed shard.
        var drained = false
        /// Drained and every record handed out.
        var finished = false
        var reading = false
        /// Milliseconds behind the newest record (Kinesis), after the last call.
        var millisBehind: Int64?
        /// Records that arrived before this time are skipped (a start time on a stream without
        /// timestamp iterators).
        var minArrival: Int64?

        let id: String

        init(_ info: StreamShard) {
            self.info = info
            id = info.id
        }
    }

    let lock = NSCondition()
    var shards: [String: Shard] = [:]
    /// Shard ids in the order they were listed (round robin over them).
    var order: [String] = []
    private var nextShard = 0
    var failure: LakeError?
    var started = false
    var closed = false
    var needsListing = false
    /// The first run's start (kept in checkpoints so shards without a position start there).
    var from: StreamStart
    /// Whether this run resumed from a checkpoint.
    var resumed = false
    /// From the checkpoint: per shard, the last committed sequence number and its arrival.
    var resumeSequences: [String: String] = [:]
    var resumeArrivals: [String: Int64] = [:]
    var resumeDrained: Set<String> = []
    var threads: [Thread] = []
    /// Arrival times of the records handed out since the last ``takeWindowStatistics()``.
    var handedArrivals: [Int64] = []

    /// A source reading `stream`.
    public init(_ stream: any ShardedStream, options: StreamSourceOptions = StreamSourceOptions()) {
        self.stream = stream
        self.options = options
        from = options.start
    }

    deinit { close() }

    /// Stops the reader threads (they finish the call in flight and exit).
    public func close() {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }

    public func resume(from checkpoint: Checkpoint) throws(LakeError) {
        guard !started else { throw LakeError(.invalidArgument, "\(stream.displayName): resume before the first read") }
        guard case .object(let positions)? = checkpoint["shards"] else {
            throw LakeError(.corruptTable, "checkpoint \(checkpoint.json): no shard positions")
        }
        for m in positions {
            guard let seq = m.value.stringValue else {
                throw LakeError(.corruptTable, "checkpoint \(checkpoint.json): shard \(m.key) has no sequence number")
            }
            resumeSequences[m.key] = seq
        }
        if case .object(let arrivals)? = checkpoint["arrived"] {
            for m in arrivals { resumeArrivals[m.key] = m.value.numberValue?.int64 }
        }
        if case .array(let drained)? = checkpoint["drained"] {
            resumeDrained = Set(drained.compactMap(\.stringValue))
        }
        if let f = checkpoint["from"]?.stringValue { from = try StreamStart(parsing: f) }
        resumed = true
    }

    public func takeWindowStatistics() -> (arrivals: [Int64], lagMillis: [String: Int64]) {
        lock.lock()
        defer { lock.unlock() }
        let arrivals = handedArrivals
        handedArrivals.removeAll(keepingCapacity: true)
        var lag: [String: Int64] = [:]
        for (id, s) in shards where s.reading && !s.finished { lag[id] = s.millisBehind }
        return (arrivals, lag)
    }

    /// Per shard: milliseconds behind the newest record (Kinesis reports it per `GetRecords`).
    public var lag: [String: Int64] {
        lock.lock()
        defer { lock.unlock() }
        var out: [String: Int64] = [:]
        for (id, s) in shards where s.reading && !s.finished { out[id] = s.millisBehind }
        return out
    }

    public func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead {
        if !started { try start() }
        lock.lock()
        defer { lock.unlock() }
        if let f = failure { throw f }
        for id in order {
            let s = shards[id]!
            if s.drained && !s.finished && s.buffer.count == 0 { finish(s) }
        }
        for k in 0..<order.count {
            let i = (nextShard + k) % order.count
            let s = shards[order[i]]!
            guard s.buffer.count > 0 else { continue }
            nextShard = i + 1
            var n = 0
            while n < s.buffer.count && n < maxLines && (n == 0 || s.buffer.ends[n] <= maxBytes) { n += 1 }
            let bytes = Array(s.buffer.bytes[0..<s.buffer.ends[n - 1]])
            handedArrivals += s.buffer.arrivals[0..<n]
            let first = s.buffer.sequences[0]
            s.delivered = s.buffer.sequences[n - 1]
            s.deliveredAt = s.buffer.arrivals[n - 1]
            s.buffer.removeFirst(n)
            if s.drained && s.buffer.count == 0 { finish(s) }
            lock.broadcast()
            return .chunk(
                SourceChunk(
                    bytes: bytes, file: "\(stream.displayName) \(s.info.id) from sequence \(first)",
                    end: position()))
        }
        return .idle
    }

    /// Marks a drained shard finished (its children may start). Under the lock.
    private func finish(_ s: Shard) {
        s.finished = true
        needsListing = true
        lock.broadcast()
    }

    /// The position after everything handed out. Under the lock.
    private func position() -> Checkpoint {
        var seqs: [JSONMember] = [], arrivals: [JSONMember] = [], drained: [JSONValue] = []
        for id in order {
            let s = shards[id]!
            if s.finished {
                drained.append(.string(id))
            } else if let d = s.delivered {
                seqs.append(JSONMember(id, .string(d)))
                if let a = s.deliveredAt { arrivals.append(JSONMember(id, .number(JSONNumber(a)))) }
            }
        }
        return Checkpoint(
            source: kind, path: path,
            position: [
                JSONMember("shards", .object(seqs)), JSONMember("arrived", .object(arrivals)),
                JSONMember("drained", .array(drained)), JSONMember("from", .string(from.description)),
            ])
    }
}
