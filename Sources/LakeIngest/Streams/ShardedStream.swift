import LakeCore

/// The calls a sharded change stream answers — what ``StreamSource`` needs from Kinesis
/// (``KinesisStream``) or DynamoDB Streams (``DynamoDBStream``). Implementations are typed
/// wrappers over `AWSClient.call`; every call blocks and may be made from any thread.
public protocol ShardedStream: AnyObject, Sendable {
    /// The checkpoint kind: `kinesis` or `dynamodb`.
    var kind: String { get }
    /// The stream's identity in checkpoints (a stream ARN, a table ARN).
    var identity: String { get }
    /// A short name for messages (`kinesis://orders`).
    var displayName: String { get }
    /// How long records stay readable, in hours (24 for DynamoDB Streams).
    var retentionHours: Int { get }
    /// The shortest wait between `GetRecords` calls on one shard that the service allows
    /// (200 ms for Kinesis, 250 ms for DynamoDB Streams).
    var idlePollMillis: Int64 { get }
    /// Whether `GetShardIterator` accepts `AT_TIMESTAMP`.
    var supportsTimestampIterators: Bool { get }
    /// Every shard the stream lists now (open and closed, oldest first).
    func shards() throws(LakeError) -> [StreamShard]
    /// A shard iterator at `position`.
    func iterator(shard: String, at position: ShardIteratorPosition) throws(LakeError) -> String
    /// Up to `limit` records from `iterator`.
    /// - Throws: ``LakeError`` whose cause is the `AWSError` (`ExpiredIteratorException`,
    ///   `TrimmedDataAccessException`, throttling after retries…).
    func records(iterator: String, limit: Int) throws(LakeError) -> StreamRecords
}
