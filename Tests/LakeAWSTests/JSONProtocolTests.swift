import Foundation
import LakeTestSupport
import Testing

@testable import LakeAWS

/// The generic JSON-protocol call against moto's server standing in for Kinesis, DynamoDB Streams
/// and Glue (moto picks the service from the signature's credential scope, so a wrongly signed
/// call would reach the wrong service).
@Suite(.serialized) struct JSONProtocolTests {
    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func body(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object))
    }

    @Test func kinesisDynamoDBStreamsAndGlue() throws {
        let moto = try LocalMotoServer()
        defer { moto.shutdown() }
        let aws = AWSClient(configuration: try AWSConfiguration.resolve(environment: moto.environment))

        // Kinesis (JSON 1.1): create, list shards, put, read back.
        _ = try aws.call(
            .kinesis, target: "Kinesis_20131202.CreateStream",
            body: Self.body(["StreamName": "orders", "ShardCount": 2]),
            safety: .notRepeatable)
        let shards = try Self.json(
            try aws.call(.kinesis, target: "Kinesis_20131202.ListShards", body: Self.body(["StreamName": "orders"])))
        let shardList = try #require(shards["Shards"] as? [[String: Any]])
        #expect(shardList.count == 2)
        let record = Data(#"{"dish": "pizza", "cost": 42, "customer_id": 17}"#.utf8).base64EncodedString()
        let put = try Self.json(
            try aws.call(
                .kinesis, target: "Kinesis_20131202.PutRecord",
                body: Self.body(["StreamName": "orders", "Data": record, "PartitionKey": "17"]), safety: .notRepeatable)
        )
        let shardID = try #require(put["ShardId"] as? String)
        let iterator = try Self.json(
            try aws.call(
                .kinesis, target: "Kinesis_20131202.GetShardIterator",
                body: Self.body(["StreamName": "orders", "ShardId": shardID, "ShardIteratorType": "TRIM_HORIZON"])))
        let records = try Self.json(
            try aws.call(
                .kinesis, target: "Kinesis_20131202.GetRecords",
                body: Self.body(["ShardIterator": try #require(iterator["ShardIterator"] as? String), "Limit": 100])))
        let got = try #require(records["Records"] as? [[String: Any]])
        #expect(got.count == 1)
        #expect(got.first?["Data"] as? String == record)

        // A missing stream: the AWS error shape becomes a typed error naming target and service.
        let missing = #expect(throws: AWSError.self) {
            try aws.call(.kinesis, target: "Kinesis_20131202.ListShards", body: Self.body(["StreamName": "nope"]))
        }
        #expect(missing?.code == .notFound)
        #expect(missing?.serviceCode == "ResourceNotFoundException")
        #expect(missing?.message.contains("Kinesis_20131202.ListShards on kinesis") == true)

        // DynamoDB (JSON 1.0) and its stream through DynamoDB Streams.
        _ = try aws.call(
            .dynamoDB, target: "DynamoDB_20120810.CreateTable",
            body: Self.body([
                "TableName": "customers", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
                "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
                "StreamSpecification": ["StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"],
            ]), safety: .notRepeatable)
        let streams = try Self.json(
            try aws.call(
                .dynamoDBStreams, target: "DynamoDBStreams_20120810.ListStreams",
                body: Self.body(["TableName": "customers"])))
        let streamList = try #require(streams["Streams"] as? [[String: Any]])
        #expect(streamList.count == 1)
        let arn = try #require(streamList.first?["StreamArn"] as? String)
        let described = try Self.json(
            try aws.call(
                .dynamoDBStreams, target: "DynamoDBStreams_20120810.DescribeStream", body: Self.body(["StreamArn": arn])
            ))
        #expect((described["StreamDescription"] as? [String: Any])?["TableName"] as? String == "customers")

        // Glue (JSON 1.1).
        _ = try aws.call(
            .glue, target: "AWSGlue.CreateDatabase", body: Self.body(["DatabaseInput": ["Name": "lake_db"]]),
            safety: .notRepeatable)
        let database = try Self.json(
            try aws.call(.glue, target: "AWSGlue.GetDatabase", body: Self.body(["Name": "lake_db"])))
        #expect((database["Database"] as? [String: Any])?["Name"] as? String == "lake_db")
        let noTable = #expect(throws: AWSError.self) {
            try aws.call(
                .glue, target: "AWSGlue.GetTable", body: Self.body(["DatabaseName": "lake_db", "Name": "nope"]))
        }
        #expect(noTable?.code == .notFound)
        #expect(noTable?.serviceCode == "EntityNotFoundException")

        let metrics = aws.metrics
        #expect(metrics.requests[.post] == metrics.totalRequests)
        #expect(metrics.totalRequests == 12)
    }

    @Test func errorShapesAreRead() {
        let json = AWSResponse(
            status: 400, headers: [:],
            body: Array(
                (#"{"__type":"com.amazon.coral.service#ProvisionedThroughputExceededException","#
                    + #""message":"Rate \"exceeded\""}"#).utf8))
        #expect(
            AWSErrorBody(response: json)
                == AWSErrorBody(code: "ProvisionedThroughputExceededException", message: "Rate \"exceeded\""))
        let header = AWSResponse(
            status: 400, headers: ["x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/"], body: [])
        #expect(AWSErrorBody(response: header).code == "ThrottlingException")
        let xml = AWSResponse(
            status: 404, headers: [:],
            body: Array("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>a &amp; b</Message></Error>".utf8)
        )
        #expect(AWSErrorBody(response: xml) == AWSErrorBody(code: "NoSuchKey", message: "a & b"))
    }
}
