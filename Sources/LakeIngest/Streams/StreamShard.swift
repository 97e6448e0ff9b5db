import LakeCore

/// One shard of a Kinesis data stream or a DynamoDB stream, as `ListShards` / `DescribeStream`
/// describe it: an ordered run of records with increasing sequence numbers. A shard is *closed*
/// once it has an ending sequence number (it was split or merged, or DynamoDB rolled it over);
/// its children name it as a parent and are read only after it is drained.
public struct StreamShard: Sendable, Hashable {
    /// `shardId-000000000001` (Kinesis) or DynamoDB Streams' `shardId-00000001700000000000-…`.
    public var id: String
    /// The shard this one was split from, or the first of two merged ones.
    public var parentID: String?
    /// The second parent of a merge.
    public var adjacentParentID: String?
    /// The first sequence number the shard can hold.
    public var startingSequence: String?
    /// Set once the shard is closed: the last sequence number it can hold.
    public var endingSequence: String?

    public init(
        id: String, parentID: String? = nil, adjacentParentID: String? = nil,
        startingSequence: String? = nil, endingSequence: String? = nil
    ) {
        self.id = id
        self.parentID = parentID
        self.adjacentParentID = adjacentParentID
        self.startingSequence = startingSequence
        self.endingSequence = endingSequence
    }

    /// Whether no more records will be added.
    public var isClosed: Bool { endingSequence != nil }

    /// The parents (zero, one, or two for a merge).
    public var parents: [String] { [parentID, adjacentParentID].compactMap { $0 } }

    /// Parses one element of `Shards` (the same shape in both APIs).
    init(json v: JSONValue) throws(LakeError) {
        guard let id = v["ShardId"]?.stringValue else {
            throw LakeError(.invalidInput, "a shard without ShardId: \(v.jsonText)")
        }
        self.init(
            id: id, parentID: v["ParentShardId"]?.stringValue,
            adjacentParentID: v["AdjacentParentShardId"]?.stringValue,
            startingSequence: v["SequenceNumberRange"]?["StartingSequenceNumber"]?.stringValue,
            endingSequence: v["SequenceNumberRange"]?["EndingSequenceNumber"]?.stringValue)
    }
}

/// Sequence numbers are decimal strings up to 128 bits, compared as numbers.
public enum SequenceNumber {
    /// Whether `a` comes after `b` (leading zeros ignored).
    public static func isAfter(_ a: String, _ b: String) -> Bool {
        let x = a.drop { $0 == "0" }, y = b.drop { $0 == "0" }
        return x.count != y.count ? x.count > y.count : x > y
    }
}

/// Where a shard iterator starts (`ShardIteratorType` and its argument).
public enum ShardIteratorPosition: Sendable, Hashable, CustomStringConvertible {
    /// The oldest record still retained.
    case trimHorizon
    /// Just after the newest record: only records added from now on.
    case latest
    /// The record with this sequence number.
    case atSequence(String)
    /// The record after this sequence number.
    case afterSequence(String)
    /// The first record that arrived at or after this time (epoch milliseconds); Kinesis only.
    case atTimestamp(millis: Int64)

    /// The `ShardIteratorType` name.
    public var typeName: String {
        switch self {
        case .trimHorizon: "TRIM_HORIZON"
        case .latest: "LATEST"
        case .atSequence: "AT_SEQUENCE_NUMBER"
        case .afterSequence: "AFTER_SEQUENCE_NUMBER"
        case .atTimestamp: "AT_TIMESTAMP"
        }
    }

    public var description: String {
        switch self {
        case .atSequence(let s), .afterSequence(let s): "\(typeName) \(s)"
        case .atTimestamp(let t): "AT_TIMESTAMP \(t) ms"
        default: typeName
        }
    }

    /// The members this position adds to a `GetShardIterator` request (`sequenceKey`:
    /// `StartingSequenceNumber` for Kinesis, `SequenceNumber` for DynamoDB Streams).
    func appendMembers(to out: inout [UInt8], sequenceKey: String) {
        out += Array(#","ShardIteratorType":"#.utf8)
        JSONWriter.appendString(typeName, to: &out)
        switch self {
        case .atSequence(let s), .afterSequence(let s):
            out += Array(",\"\(sequenceKey)\":".utf8)
            JSONWriter.appendString(s, to: &out)
        case .atTimestamp(let t):
            // Seconds with a fraction, as botocore sends timestamps in JSON.
            out += Array(#","Timestamp":"#.utf8)
            out += Array("\(t / 1000).\(String(repeating: "0", count: 3 - String(t % 1000).count))\(t % 1000)".utf8)
        default: break
        }
    }
}
