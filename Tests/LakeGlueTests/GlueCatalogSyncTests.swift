import Foundation
import LakeAWS
import LakeCore
import LakeGlue
import LakeParquet
import LakeTestSupport
import Testing

/// ``GlueCatalogSync`` against moto's Glue Data Catalog (a real HTTP server speaking AWSGlue JSON
/// 1.1): the catalog is read back with plain AWS calls and compared with a model of the rows written.
@Suite(.serialized) struct GlueCatalogSyncTests {
    static func rows(_ list: [(String, String, String)]) throws -> RecordBatch {
        let schema = ParquetSchema([.string("id", nullable: false), .string("day"), .string("region")])
        return try RecordBatch(
            schema: schema,
            columns: [
                Column(.byteArray(ByteArrayValues(strings: list.map(\.0)))),
                Column(.byteArray(ByteArrayValues(strings: list.map(\.1)))),
                Column(.byteArray(ByteArrayValues(strings: list.map(\.2)))),
            ])
    }

    static func catalogPartitions(_ aws: AWSClient, db: String, table: String) throws -> Set<[String]> {
        var out: Set<[String]> = []
        var token: String?
        repeat {
            var body = #"{"DatabaseName":"\#(db)","TableName":"\#(table)""#
            if let token { body += #","NextToken":"\#(token)""# }
            body += "}"
            let page = try JSONValue(
                parsing: String(
                    decoding: try aws.call(.glue, target: "AWSGlue.GetPartitions", body: Array(body.utf8)),
                    as: UTF8.self))
            if case .array(let list)? = page["Partitions"] {
                for p in list {
                    if case .array(let v)? = p["Values"] { out.insert(v.compactMap(\.stringValue)) }
                }
            }
            token = page["NextToken"]?.stringValue
        } while token != nil
        return out
    }

    @Test func partitionsFollowWritesInBatchesAndAFailedSyncIsCaughtUp() throws {
        let moto = try LocalMotoServer()
        defer { moto.shutdown() }
        let dir = TemporaryDirectory()
        let aws = AWSClient(configuration: try AWSConfiguration.resolve(environment: moto.environment))
        let config = TableConfig(name: "sales", recordKeyFields: ["id"], partitionFields: ["day", "region"])
        let table = try Table.create(at: dir.sub("sales"), config: config)
        let sync = GlueCatalogSync(aws, database: "db", table: "sales")

        var model: Set<[String]> = []
        var rows: [(String, String, String)] = []
        for i in 0..<120 { rows.append(("k\(i)", "d1", "r\(i)")) }
        _ = try table.write(try Self.rows(rows), operation: .upsert)
        model.formUnion(rows.map { [$0.1, $0.2] })
        let first = try sync.sync(table)
        #expect(first.createdDatabase && first.createdTable)
        #expect(first.partitionsAdded.count == 120)
        #expect(try Self.catalogPartitions(aws, db: "db", table: "sales") == model)

        // The table's columns: meta columns first, the partition fields as keys.
        let t = try JSONValue(
            parsing: String(
                decoding: try aws.call(
                    .glue, target: "AWSGlue.GetTable", body: Array(#"{"DatabaseName":"db","Name":"sales"}"#.utf8)),
                as: UTF8.self))["Table"]
        guard case .array(let columns)? = t?["StorageDescriptor"]?["Columns"],
            case .array(let keys)? = t?["PartitionKeys"]
        else {
            Issue.record("GetTable answered without columns")
            return
        }
        #expect(columns.compactMap { $0["Name"]?.stringValue } == TableSchema.metaColumns + ["id"])
        #expect(keys.compactMap { $0["Name"]?.stringValue } == ["day", "region"])

        // Delete 30 partitions (two BatchDeletePartition calls) while the catalog is unreachable.
        let dead = AWSClient(
            configuration: try AWSConfiguration.resolve(
                environment: moto.environment.merging(
                    ["AWS_ENDPOINT_URL_GLUE": "http://127.0.0.1:\(ServerProcess.freePorts(1)[0])"]) { $1 }))
        let gone = (0..<30).map { "day=d1/region=r\($0)" }
        _ = try table.write(try Self.rows([]), operation: .deletePartitions(gone))
        model.subtract((0..<30).map { ["d1", "r\($0)"] })
        #expect(throws: LakeError.self) { try GlueCatalogSync(aws: dead).sync(table) }
        #expect(try Self.catalogPartitions(aws, db: "db", table: "sales").count == 120)
        let repaired = try sync.sync(table)
        #expect(repaired.partitionsDropped.count == 30 && repaired.partitionsAdded.isEmpty)
        #expect(try Self.catalogPartitions(aws, db: "db", table: "sales") == model)
    }
}

extension GlueCatalogSync {
    init(aws: AWSClient) { self.init(aws, database: "db", table: "sales") }
}
