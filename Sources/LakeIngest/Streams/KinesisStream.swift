import LakeAWS
import LakeCore

/// A Kinesis data stream through the Kinesis API (`Kinesis_20131202.*`): the typed calls
/// ``StreamSource`` reads with. Records' `Data` (base64) becomes one JSON line per record, either
/// as is (``StreamPayloadFormat/dynamodb``) or wrapped as an INSERT (``StreamPayloadFormat/rows``).
///
/// ```swift
/// let orders = try KinesisStream(aws, name: "orders")
/// for shard in try orders.shards() { print(shard.id, shard.parents) }
/// ```
public final class KinesisStream: ShardedStream {
    public let kind = "kinesis"
    public let aws: AWSClient
    /// The stream's name.
    public let name: String
    /// The stream's ARN (from `DescribeStreamSummary`): the checkpoint identity.
    public let arn: String
    public let retentionHours: Int
    public let format: StreamPayloadFormat
    public let supportsTimestampIterators = true
    public let idlePollMillis: Int64 = 200
    public var identity: String { arn }
    public var displayName: String { "kinesis://\(name)" }

    /// Describes the stream (`DescribeStreamSummary`).
    /// - Throws: ``LakeError`` `.notFound` when there is no such stream, `.io` when AWS fails.
    public init(_ aws: AWSClient, name: String, format: StreamPayloadFormat = .dynamodb) throws(LakeError) {
        self.aws = aws
        self.name = name
        self.format = format
        let summary = try StreamRequest.document(
            aws, .kinesis, "Kinesis_20131202.DescribeStreamSummary", StreamRequest.body([("StreamName", name)]),
            about: "kinesis://\(name)")["StreamDescriptionSummary"]
        guard let arn = summary?["StreamARN"]?.stringValue else {
            throw LakeError(.io, "kinesis://\(name): DescribeStreamSummary answered without a StreamARN")
        }
        self.arn = arn
        retentionHours = summary?["RetentionPeriodHours"]?.numberValue?.int64.map { Int($0) } ?? 24
    }

    public func shards() throws(LakeError) -> [StreamShard] {
        var all: [StreamShard] = []
        var token: String?
        repeat {
            let body =
                token.map { StreamRequest.body([("NextToken", $0)]) } ?? StreamRequest.body([("StreamName", name)])
            let page = try StreamRequest.document(
                aws, .kinesis, "Kinesis_20131202.ListShards", body, about: displayName)
            guard case .array(let list)? = page["Shards"] else {
                throw LakeError(.io, "\(displayName): ListShards answered without Shards")
            }
            for v in list { all.append(try StreamShard(json: v)) }
            token = page["NextToken"]?.stringValue
        } while token != nil
        return all
    }

    public func iterator(shard: String, at position: ShardIteratorPosition) throws(LakeError) -> String {
        var body = StreamRequest.body([("StreamName", name), ("ShardId", shard)])
        body.removeLast()
        position.appendMembers(to: &body, sequenceKey: "StartingSequenceNumber")
        body.append(UInt8(ascii: "}"))
        let answer = try StreamRequest.document(
            aws, .kinesis, "Kinesis_20131202.GetShardIterator", body,
            about: "\(displayName) shard \(shard)")
        guard let it = answer["ShardIterator"]?.stringValue else {
            throw LakeError(.io, "\(displayName) shard \(shard): GetShardIterator answered without an iterator")
        }
        return it
    }

    public func records(iterator: String, limit: Int) throws(LakeError) -> StreamRecords {
        var body = StreamRequest.body([("ShardIterator", iterator)])
        body.removeLast()
        body += Array(",\"Limit\":\(limit)}".utf8)
        let bytes = try StreamRequest.call(aws, .kinesis, "Kinesis_20131202.GetRecords", body, about: displayName)
        let parsed = bytes.withUnsafeBytes { p -> Result<StreamRecords, LakeError> in
            do throws(LakeError) { return .success(try parseRecords(p)) } catch { return .failure(error) }
        }
        switch parsed {
        case .success(let r): return r
        case .failure(let error):
            throw LakeError(.io, "\(displayName): GetRecords answered with malformed JSON: \(error.message)")
        }
    }

    /// Parses a `GetRecords` answer with lake's scanner (the hot path: no Foundation JSON).
    func parseRecords(_ p: UnsafeRawBufferPointer) throws(LakeError) -> StreamRecords {
        var out = StreamRecords()
        var s = JSONScanner(p)
        var data: [UInt8] = []
        var line: [UInt8] = []
        let format = self.format
        try s.forEachMember { (s, key) throws(LakeError) in
            let k = s.slice(key.range)
            if memcmpEqual(k, "Records") {
                try s.forEachElement { (s, _) throws(LakeError) in
                    var sequence: String?
                    var arrival: Int64 = 0
                    data.removeAll(keepingCapacity: true)
                    try s.forEachMember { (s, key) throws(LakeError) in
                        let k = s.slice(key.range)
                        if memcmpEqual(k, "SequenceNumber") {
                            sequence = try s.parseString()
                        } else if memcmpEqual(k, "ApproximateArrivalTimestamp") {
                            let n = try s.scanNumber()
                            arrival = StreamRequest.millis(fromSeconds: s.slice(n.range)) ?? 0
                        } else if memcmpEqual(k, "Data") {
                            let span = try s.scanString()
                            do throws(TextValueError) {
                                try Base64.decode(s.slice(span.range), appendingTo: &data)
                            } catch {
                                throw LakeError(.invalidInput, "a record's Data is not base64: \(error)")
                            }
                        } else {
                            try s.skipValue(depth: 3)
                        }
                    }
                    guard let seq = sequence else { throw LakeError(.invalidInput, "a record without SequenceNumber") }
                    switch format {
                    case .dynamodb:
                        data.withUnsafeBytes { out.append(line: $0, sequence: seq, arrival: arrival) }
                    case .rows:
                        line.removeAll(keepingCapacity: true)
                        RowPayload.wrap(data, arrivalMillis: arrival, into: &line)
                        line.withUnsafeBytes { out.append(line: $0, sequence: seq, arrival: arrival) }
                    }
                }
            } else if memcmpEqual(k, "NextShardIterator") {
                if s.current == UInt8(ascii: "\"") {
                    out.nextIterator = try s.parseString()
                } else {
                    try s.skipValue(depth: 1)
                }
            } else if memcmpEqual(k, "MillisBehindLatest") {
                let n = try s.scanNumber()
                out.millisBehindLatest = JSONNumber.int64(fromText: s.slice(n.range))
            } else {
                try s.skipValue(depth: 1)
            }
        }
        return out
    }
}
