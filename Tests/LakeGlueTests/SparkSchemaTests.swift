import LakeCore
import LakeGlue
import LakeParquet
import Testing

/// The Spark data source schema Hudi's sync stores in `spark.sql.sources.schema.*`.
struct SparkSchemaTests {
    @Test func nestedTypesAndPartitionColumnsLast() throws {
        let fields: [ParquetField] = [
            .string("id", nullable: false), .string("day"), .int32("n"),
            .list("tags", element: .string("e", nullable: false)),
            .map("m", key: .string("k"), value: .decimal("v", precision: 10, scale: 2)),
            .structure("a", [.timestamp("t"), .date("d")]),
        ]
        let p = SparkSchema.parameters(fields, partitionFields: ["day"])
        #expect(p["spark.sql.sources.schema.numParts"] == "1")
        #expect(p["spark.sql.sources.schema.numPartCols"] == "1")
        #expect(p["spark.sql.sources.schema.partCol.0"] == "day")
        let json = try JSONValue(parsing: p["spark.sql.sources.schema.part.0"]!)
        let expected = try JSONValue(
            parsing: #"""
                {"type":"struct","fields":[
                 {"name":"id","type":"string","nullable":false,"metadata":{}},
                 {"name":"n","type":"integer","nullable":true,"metadata":{}},
                 {"name":"tags","type":{"type":"array","elementType":"string","containsNull":false},"nullable":true,"metadata":{}},
                 {"name":"m","type":{"type":"map","keyType":"string","valueType":"decimal(10,2)","valueContainsNull":true},"nullable":true,"metadata":{}},
                 {"name":"a","type":{"type":"struct","fields":[
                   {"name":"t","type":"timestamp","nullable":true,"metadata":{}},
                   {"name":"d","type":"date","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
                 {"name":"day","type":"string","nullable":true,"metadata":{}}]}
                """#)
        #expect(json == expected)
    }

    @Test func longSchemasAreCutIntoParts() throws {
        let fields = (0..<200).map { ParquetField.int64("a_rather_long_column_name_\($0)") }
        let p = SparkSchema.parameters(fields, partitionFields: [])
        let parts = Int(p["spark.sql.sources.schema.numParts"]!)!
        #expect(parts > 1)
        #expect(p["spark.sql.sources.schema.numPartCols"] == nil)
        let whole = (0..<parts).map { p["spark.sql.sources.schema.part.\($0)"]! }.joined()
        #expect(whole == SparkSchema.json(fields))
        #expect(
            (0..<parts - 1).allSatisfy { p["spark.sql.sources.schema.part.\($0)"]!.count == SparkSchema.partLength })
    }
}
