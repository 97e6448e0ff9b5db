import Foundation
import LakeAWS
import LakeCore
import LakeTestSupport
import Testing
@testable import LakeIngest

/// The typed Kinesis and DynamoDB Streams calls against moto's server (a real HTTP server speaking
/// both JSON protocols; records put with plain AWS calls, read back through the wrappers).
@Suite(.serialized) struct StreamWrapperTests {
    static let fixtures = RepositoryPaths.root + "/../shared/fixtures/cdc"

    static func put(_ aws: AWSClient, stream: String, line: String, hashKey: String) throws -> String {
        var body: [UInt8] = []
        JSONWriter.appendValue(
            .object([
                JSONMember("StreamName", .string(stream)),
                JSONMember("Data", .string(Base64.encode(Array(line.utf8)))),
                JSONMember("PartitionKey", .string("k")),
                JSONMember("ExplicitHashKey", .string(hashKey)),
            ]), to: &body)
        let answer = try aws.call(.kinesis, target: "Kinesis_20131202.PutRecord", body: body, safety: .notRepeatable)
        return try #require(
            try JSONValue(parsing: String(decoding: answer, as: UTF8.self))["SequenceNumber"]?.stringValue)
    }

    static func all(_ s: any ShardedStream, shard: String, from p: ShardIteratorPosition) throws -> StreamRecords {
        var out = StreamRecords()
        var it: String? = try s.iterator(shard: shard, at: p)
        for _ in 0..<5 {
            guard let i = it else { break }
            let r = try s.records(iterator: i, limit: 1000)
            for k in 0..<r.count {
                r.bytes[r.start(of: k)..<r.ends[k] - 1].withUnsafeBytes {
                    out.append(line: $0, sequence: r.sequences[k], arrival: r.arrivals[k])
                }
            }
            it = r.nextIterator
            if r.count == 0 { break }
        }
        return out
    }

    static func lines(_ r: StreamRecords) -> [String] {
        (0..<r.count).map { String(decoding: r.bytes[r.start(of: $0)..<r.ends[$0] - 1], as: UTF8.self) }
    }

    @Test func kinesisListsShardsAndReadsFromEveryIteratorType() throws {
        let moto = try LocalMotoServer()
        defer { moto.shutdown() }
        let aws = AWSClient(configuration: try AWSConfiguration.resolve(environment: moto.environment))
        _ = try aws.call(
            .kinesis, target: "Kinesis_20131202.CreateStream",
            body: Array(#"{"StreamName":"orders","ShardCount":2}"#.utf8), safety: .notRepeatable)
        let fixture = try String(contentsOfFile: Self.fixtures + "/kinesis-wrapped.jsonl", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        // The first shard holds hash keys below 2^127.
        var sequences: [String] = []
        for (i, line) in fixture.enumerated() {
            sequences.append(
                try Self.put(
                    aws, stream: "orders", line: line,
                    hashKey: i % 2 == 0 ? "1" : "170141183460469231731687303715884105729"))
        }
        let stream = try KinesisStream(aws, name: "orders")
        #expect(stream.arn == "arn:aws:kinesis:us-east-1:123456789012:stream/orders")
        #expect(stream.retentionHours == 24)
        let shards = try stream.shards()
        #expect(shards.map(\.id) == ["shardId-000000000000", "shardId-000000000001"])
        #expect(shards.allSatisfy { !$0.isClosed && $0.parents.isEmpty })

        // TRIM_HORIZON: every record, its Data decoded byte for byte, in sequence order per shard.
        let first = try Self.all(stream, shard: shards[0].id, from: .trimHorizon)
        let second = try Self.all(stream, shard: shards[1].id, from: .trimHorizon)
        #expect(Self.lines(first) == fixture.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        #expect(Self.lines(second) == fixture.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        #expect(first.sequences == sequences.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        #expect(first.arrivals.allSatisfy { $0 > 1_700_000_000_000 })

        // AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER.
        let at = try Self.all(stream, shard: shards[0].id, from: .atSequence(first.sequences[1]))
        #expect(at.sequences == Array(first.sequences.dropFirst()))
        let after = try Self.all(stream, shard: shards[0].id, from: .afterSequence(first.sequences[1]))
        #expect(after.sequences == Array(first.sequences.dropFirst(2)))

        // AT_TIMESTAMP: from the epoch everything, from the future nothing.
        #expect(try Self.all(stream, shard: shards[0].id, from: .atTimestamp(millis: 0)).count == first.count)
        let future = Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000
        #expect(try Self.all(stream, shard: shards[0].id, from: .atTimestamp(millis: future)).count == 0)

        // LATEST: only what is put afterwards.
        let latest = try stream.iterator(shard: shards[0].id, at: .latest)
        let newest = try Self.put(aws, stream: "orders", line: fixture[0], hashKey: "1")
        #expect(try stream.records(iterator: latest, limit: 100).sequences == [newest])

        // A split closes the parent; its children name it.
        _ = try aws.call(
            .kinesis, target: "Kinesis_20131202.SplitShard",
            body: Array(
                #"{"StreamName":"orders","ShardToSplit":"shardId-000000000000","NewStartingHashKey":"85070591730234615865843651857942052864"}"#
                    .utf8),
            safety: .notRepeatable)
        let split = try stream.shards()
        #expect(split.count == 4)
        #expect(split.first { $0.id == "shardId-000000000000" }?.isClosed == true)
        #expect(split.filter { $0.parentID == "shardId-000000000000" }.count == 2)

        // A stream that does not exist: the error names it.
        let missing = #expect(throws: LakeError.self) { try KinesisStream(aws, name: "nope") }
        #expect(missing?.code == .notFound)
        #expect(missing?.message.contains("kinesis://nope") == true)
    }

    @Test func dynamoDBStreamFindsTheTablesStreamAndReadsItsRecords() throws {
        let moto = try LocalMotoServer()
        defer { moto.shutdown() }
        let aws = AWSClient(configuration: try AWSConfiguration.resolve(environment: moto.environment))
        func ddb(_ op: String, _ body: String) throws {
            _ = try aws.call(
                .dynamoDB, target: "DynamoDB_20120810.\(op)", body: Array(body.utf8), safety: .notRepeatable)
        }
        let schema =
            #""AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST""#
        try ddb(
            "CreateTable",
            #"{"TableName":"customers",\#(schema),"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}"#
        )
        try ddb("CreateTable", #"{"TableName":"quiet",\#(schema)}"#)
        try ddb(
            "PutItem",
            #"{"TableName":"customers","Item":{"id":{"S":"c1"},"name":{"S":"Ada\nLovelace"},"visits":{"N":"1"}}}"#)
        try ddb("PutItem", #"{"TableName":"customers","Item":{"id":{"S":"c2"},"visits":{"N":"7"}}}"#)
        try ddb("PutItem", #"{"TableName":"customers","Item":{"id":{"S":"c1"},"name":{"S":"Ada"},"visits":{"N":"2"}}}"#)
        try ddb("DeleteItem", #"{"TableName":"customers","Key":{"id":{"S":"c2"}}}"#)

        let stream = try DynamoDBStream(aws, table: "customers")
        #expect(stream.tableARN == "arn:aws:dynamodb:us-east-1:123456789012:table/customers")
        #expect(stream.streamARN.hasPrefix(stream.tableARN + "/stream/"))
        let shards = try stream.shards()
        #expect(shards.count == 1)
        let records = try Self.all(stream, shard: shards[0].id, from: .trimHorizon)
        let lines = Self.lines(records)
        #expect(lines.count == 4)
        let events = try lines.map { try JSONValue(parsing: $0)["eventName"]?.stringValue }
        #expect(events == ["INSERT", "INSERT", "MODIFY", "REMOVE"])
        // Each line is the record object as sent, one line (the name's newline stays escaped).
        #expect(lines.allSatisfy { !$0.contains("\n") && $0.hasPrefix("{") })
        #expect(
            try JSONValue(parsing: lines[0])["dynamodb"]?["NewImage"]?["name"]?["S"]?.stringValue == "Ada\nLovelace")
        for (i, line) in lines.enumerated() {
            #expect(try JSONValue(parsing: line)["dynamodb"]?["SequenceNumber"]?.stringValue == records.sequences[i])
        }
        #expect(records.arrivals.allSatisfy { $0 > 1_700_000_000_000 })
        let after = try Self.all(stream, shard: shards[0].id, from: .afterSequence(records.sequences[1]))
        #expect(after.sequences == Array(records.sequences.dropFirst(2)))
        let at = try Self.all(stream, shard: shards[0].id, from: .atSequence(records.sequences[1]))
        #expect(at.sequences == Array(records.sequences.dropFirst(1)))

        let off = #expect(throws: LakeError.self) { try DynamoDBStream(aws, table: "quiet") }
        #expect(off?.code == .invalidArgument)
        #expect(off?.message.contains("dynamodb://quiet: the table has no stream") == true)
        let missing = #expect(throws: LakeError.self) { try DynamoDBStream(aws, table: "nope") }
        #expect(missing?.code == .notFound)
    }

    @Test func rowsBecomeInsertsWithTypedAttributes() throws {
        var out: [UInt8] = []
        RowPayload.wrap(
            Array(
                #"{"dish": "pi\"zza", "cost": 42.50, "customer_id": 17, "veg": true, "note": null, "tags": ["a", 1], "m": {"x": {}}}"#
                    .utf8),
            arrivalMillis: 1_796_666_400_123, into: &out)
        #expect(
            String(decoding: out, as: UTF8.self)
                == #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1796666400123,"NewImage":{"dish":{"S":"pi\"zza"},"cost":{"N":"42.50"},"customer_id":{"N":"17"},"veg":{"BOOL":true},"note":{"NULL":true},"tags":{"L":[{"S":"a"},{"N":"1"}]},"m":{"M":{"x":{"M":{}}}}}}}"#
        )
        out.removeAll()
        RowPayload.wrap(Array("[1,2]".utf8), arrivalMillis: 0, into: &out)
        #expect(out == Array("[1,2]".utf8))
        out.removeAll()
        RowPayload.wrap(Array(#"{"a":1"#.utf8), arrivalMillis: 0, into: &out)
        #expect(out == Array(#"{"a":1"#.utf8))
    }

    @Test func startPositionsParse() throws {
        #expect(try StreamStart(parsing: "trim-horizon") == .trimHorizon)
        #expect(try StreamStart(parsing: "latest") == .latest)
        #expect(
            try StreamStart(parsing: "at-timestamp:2026-12-07T18:00:00Z") == .atTimestamp(millis: 1_796_666_400_000))
        #expect(try StreamStart(parsing: "at-timestamp:1796666400") == .atTimestamp(millis: 1_796_666_400_000))
        let bad = #expect(throws: LakeError.self) { try StreamStart(parsing: "yesterday") }
        #expect(bad?.message.contains("'yesterday' is not a start position") == true)
        #expect(throws: LakeError.self) { try StreamStart(parsing: "at-timestamp:noon") }
    }
}
