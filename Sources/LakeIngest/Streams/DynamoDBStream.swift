import LakeAWS
import LakeCore

/// A DynamoDB table's stream through the DynamoDB Streams API (`DynamoDBStreams_20120810.*`),
/// found with `DescribeTable` (`LatestStreamArn`). Each record is passed on as the JSON object
/// `GetRecords` returns (the DynamoDB Streams record shape lake's decoder reads, with
/// `SequenceNumber` and `ApproximateCreationDateTime` in seconds).
///
/// ```swift
/// let customers = try DynamoDBStream(aws, table: "customers")
/// print(customers.streamARN, try customers.shards().count)
/// ```
public final class DynamoDBStream: ShardedStream {
    public let kind = "dynamodb"
    public let aws: AWSClient
    /// The table's name.
    public let table: String
    /// The table's ARN: the checkpoint identity (the stream's ARN changes when the stream is
    /// turned off and on again; the checkpoint records which stream it read).
    public let tableARN: String
    /// The table's current stream (`LatestStreamArn`).
    public let streamARN: String
    /// DynamoDB Streams keeps records for 24 hours.
    public let retentionHours = 24
    public let supportsTimestampIterators = false
    public let idlePollMillis: Int64 = 250
    public var identity: String { tableARN }
    public var displayName: String { "dynamodb://\(table)" }

    /// Finds the table's stream (`DescribeTable`).
    /// - Throws: ``LakeError`` `.notFound` when there is no such table, `.invalidArgument` when
    ///   its stream is off, `.io` when AWS fails.
    public init(_ aws: AWSClient, table: String) throws(LakeError) {
        self.aws = aws
        self.table = table
        let t = try StreamRequest.document(
            aws, .dynamoDB, "DynamoDB_20120810.DescribeTable", StreamRequest.body([("TableName", table)]),
            about: "dynamodb://\(table)")["Table"]
        tableARN = t?["TableArn"]?.stringValue ?? "dynamodb://\(table)"
        guard let arn = t?["LatestStreamArn"]?.stringValue,
            t?["StreamSpecification"]?["StreamEnabled"]?.boolValue != false
        else {
            throw LakeError(
                .invalidArgument,
                "dynamodb://\(table): the table has no stream; turn it on with "
                    + "aws dynamodb update-table --table-name \(table) --stream-specification "
                    + "StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES")
        }
        streamARN = arn
    }

    public func shards() throws(LakeError) -> [StreamShard] {
        var all: [StreamShard] = []
        var after: String?
        repeat {
            let page = try StreamRequest.document(
                aws, .dynamoDBStreams, "DynamoDBStreams_20120810.DescribeStream",
                StreamRequest.body([("StreamArn", streamARN), ("ExclusiveStartShardId", after)]), about: displayName)
            guard case .array(let list)? = page["StreamDescription"]?["Shards"] else {
                throw LakeError(.io, "\(displayName): DescribeStream answered without Shards")
            }
            for v in list { all.append(try StreamShard(json: v)) }
            after = page["StreamDescription"]?["LastEvaluatedShardId"]?.stringValue
        } while after != nil
        return all
    }

    public func iterator(shard: String, at position: ShardIteratorPosition) throws(LakeError) -> String {
        if case .atTimestamp = position {
            throw LakeError(.unsupported, "\(displayName): DynamoDB Streams has no AT_TIMESTAMP iterator")
        }
        var body = StreamRequest.body([("StreamArn", streamARN), ("ShardId", shard)])
        body.removeLast()
        position.appendMembers(to: &body, sequenceKey: "SequenceNumber")
        body.append(UInt8(ascii: "}"))
        let answer = try StreamRequest.document(
            aws, .dynamoDBStreams, "DynamoDBStreams_20120810.GetShardIterator",
            body, about: "\(displayName) shard \(shard)")
        guard let it = answer["ShardIterator"]?.stringValue else {
            throw LakeError(.io, "\(displayName) shard \(shard): GetShardIterator answered without an iterator")
        }
        return it
    }

    public func records(iterator: String, limit: Int) throws(LakeError) -> StreamRecords {
        var body = StreamRequest.body([("ShardIterator", iterator)])
        body.removeLast()
        body += Array(",\"Limit\":\(min(limit, 1000))}".utf8)
        let bytes = try StreamRequest.call(
            aws, .dynamoDBStreams, "DynamoDBStreams_20120810.GetRecords", body,
            about: displayName)
        let parsed = bytes.withUnsafeBytes { p -> Result<StreamRecords, LakeError> in
            do throws(LakeError) { return .success(try Self.parseRecords(p)) } catch { return .failure(error) }
        }
        switch parsed {
        case .success(let r): return r
        case .failure(let error):
            throw LakeError(.io, "\(displayName): GetRecords answered with malformed JSON: \(error.message)")
        }
    }

    /// Parses a `GetRecords` answer with lake's scanner: each record's object is passed on as
    /// its line; only `dynamodb.SequenceNumber` and `ApproximateCreationDateTime` are read here.
    static func parseRecords(_ p: UnsafeRawBufferPointer) throws(LakeError) -> StreamRecords {
        var out = StreamRecords()
        var s = JSONScanner(p)
        try s.forEachMember { (s, key) throws(LakeError) in
            let k = s.slice(key.range)
            if memcmpEqual(k, "Records") {
                try s.forEachElement { (s, _) throws(LakeError) in
                    let start = s.position
                    var sequence: String?
                    var arrival: Int64 = 0
                    try s.forEachMember { (s, key) throws(LakeError) in
                        guard memcmpEqual(s.slice(key.range), "dynamodb") else { return try s.skipValue(depth: 3) }
                        try s.forEachMember { (s, key) throws(LakeError) in
                            let k = s.slice(key.range)
                            if memcmpEqual(k, "SequenceNumber") {
                                sequence = try s.parseString()
                            } else if memcmpEqual(k, "ApproximateCreationDateTime"), s.current != UInt8(ascii: "\"") {
                                let n = try s.scanNumber()
                                arrival = StreamRequest.millis(fromSeconds: s.slice(n.range)) ?? 0
                            } else {
                                try s.skipValue(depth: 4)
                            }
                        }
                    }
                    guard let seq = sequence else { throw LakeError(.invalidInput, "a record without SequenceNumber") }
                    out.append(line: s.slice(start..<s.position), sequence: seq, arrival: arrival)
                }
            } else if memcmpEqual(k, "NextShardIterator") {
                if s.current == UInt8(ascii: "\"") {
                    out.nextIterator = try s.parseString()
                } else {
                    try s.skipValue(depth: 1)
                }
            } else {
                try s.skipValue(depth: 1)
            }
        }
        return out
    }
}
