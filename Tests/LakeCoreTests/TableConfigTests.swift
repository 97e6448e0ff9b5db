import Testing
@testable import LakeCore
import LakeBase

@Suite struct TableConfigTests {
    @Test func newTableDefaults() throws {
        let c = TableConfig(
            name: "orders", recordKeyFields: ["id"], partitionFields: ["partitionkey", "partitionkey2"],
            precombineField: "ts")
        #expect(c.keyGenerator == .complex)
        let p = c.properties
        #expect(
            p.values == [
                "hoodie.table.name": "orders",
                "hoodie.table.type": "COPY_ON_WRITE",
                "hoodie.table.version": "6",
                "hoodie.timeline.layout.version": "1",
                "hoodie.database.name": "default",
                "hoodie.table.recordkey.fields": "id",
                "hoodie.table.precombine.field": "ts",
                "hoodie.table.partition.fields": "partitionkey,partitionkey2",
                "hoodie.datasource.write.hive_style_partitioning": "true",
                "hoodie.datasource.write.partitionpath.urlencode": "true",
                "hoodie.datasource.write.drop.partition.columns": "false",
                "hoodie.table.keygenerator.class": "org.apache.hudi.keygen.ComplexKeyGenerator",
                "hoodie.table.base.file.format": "PARQUET",
                "hoodie.table.timeline.timezone": "UTC",
                "hoodie.populate.meta.fields": "true",
                "hoodie.compaction.payload.class": "org.apache.hudi.common.model.DefaultHoodieRecordPayload",
                "hoodie.archivelog.folder": "archived",
                "hoodie.table.checksum": String(HoodieProperties.tableChecksum(database: "default", table: "orders")),
            ])
        #expect(try TableConfig(properties: p) == c)
    }

    @Test func roundTripThroughTheFile() throws {
        var c = TableConfig(
            name: "t", recordKeyFields: ["a", "b"], database: nil, hiveStylePartitioning: false,
            urlEncodePartitioning: false, keyGenerator: .other("com.example.MyKeyGen"))
        c.lake["cleaner.policy"] = "KEEP_LATEST_COMMITS"
        c.lake["target.file.size"] = "134217728"
        c.additionalProperties["hoodie.table.cdc.enabled"] = "false"
        c.createSchema = #"{"type":"record","name":"t_record","namespace":"hoodie.t","fields":[]}"#
        c.payloadClass = nil
        c.timelineTimezone = .local
        let s = LocalStorage(root: try makeTempDirectory("config"))
        try c.save(to: s, savedAtMillis: 0)
        let back = try TableConfig.load(from: s)
        #expect(back == c)
        #expect(back.properties[TableConfig.Key.database] == nil)
        let raw = HoodieProperties(text: String(decoding: try s.read(HoodieProperties.path), as: UTF8.self))
        #expect(raw["lake.cleaner.policy"] == "KEEP_LATEST_COMMITS")
        #expect(raw["hoodie.table.checksum"] == String(CRC32.checksum(Array(".t".utf8))))
    }

    @Test func keyGeneratorInference() {
        #expect(KeyGeneratorType.inferred(recordKeyFields: ["id"], partitionFields: []) == .nonPartitioned)
        #expect(KeyGeneratorType.inferred(recordKeyFields: ["id"], partitionFields: ["p"]) == .simple)
        #expect(KeyGeneratorType.inferred(recordKeyFields: ["id", "n"], partitionFields: ["p"]) == .complex)
        #expect(KeyGeneratorType.inferred(recordKeyFields: ["id"], partitionFields: ["p", "q"]) == .complex)
        for k in [KeyGeneratorType.simple, .complex, .nonPartitioned, .other("x.Y")] {
            #expect(KeyGeneratorType(className: k.className) == k)
        }
    }

    @Test func referenceTables() throws {
        let complex = try TableConfig.load(from: HudiFixtures.table("v6_complexkeygen_hivestyle"))
        #expect(complex.name == "v6_complexkeygen_hivestyle")
        #expect(complex.database == "default")
        #expect(complex.recordKeyFields == ["id", "name"])
        #expect(complex.precombineField == "longField")
        #expect(complex.partitionFields == ["byteField", "shortField"])
        #expect(complex.hiveStylePartitioning && !complex.urlEncodePartitioning)
        #expect(complex.keyGenerator == .complex)
        #expect(complex.timelineTimezone == .local)
        #expect(complex.populateMetaFields)
        #expect(complex.payloadClass == nil)
        #expect(complex.isPartitioned)
        #expect(try AvroSchema(json: complex.createSchema!).record?.fields.count == 16)

        let simple = try TableConfig.load(from: HudiFixtures.table("v6_simplekeygen_nonhivestyle"))
        #expect(
            simple.keyGenerator == .simple && !simple.hiveStylePartitioning && simple.partitionFields == ["byteField"])
        #expect(simple.recordKeyFormat.isComplex == false)

        let nonPartitioned = try TableConfig.load(from: HudiFixtures.table("v6_nonpartitioned"))
        #expect(nonPartitioned.keyGenerator == .nonPartitioned && nonPartitioned.partitionFields.isEmpty)
        #expect(!nonPartitioned.isPartitioned)

        let empty = try TableConfig.load(from: HudiFixtures.table("v6_empty"))
        #expect(empty.precombineField == nil && empty.recordKeyFields == ["id"])
    }

    /// Reading a Java table and writing its properties back keeps every original key and value.
    @Test(arguments: HudiFixtures.tableNames)
    func referencePropertiesSurviveARoundTrip(table: String) throws {
        let original = try HoodieProperties(bytes: HudiFixtures.read(table, HoodieProperties.path))
        let config = try TableConfig(properties: original)
        let written = config.properties
        for (k, v) in original.values {
            #expect(written[k] == v, "\(k)")
        }
        #expect(try TableConfig(properties: written) == config)
    }

    @Test(arguments: [
        (["hoodie.table.type": "BOTH_AT_ONCE"], LakeError.Code.corruptTable),
        (["hoodie.table.version": "8"], .unsupported),
        (["hoodie.timeline.layout.version": "2"], .unsupported),
        (["hoodie.datasource.write.drop.partition.columns": "true"], .unsupported),
        (["hoodie.table.base.file.format": "ORC"], .unsupported),
        (["hoodie.table.version": "six"], .corruptTable),
        (["hoodie.datasource.write.hive_style_partitioning": "yes"], .corruptTable),
        (["hoodie.table.timeline.timezone": "CET"], .corruptTable),
        (["hoodie.table.checksum": "abc"], .corruptTable),
        (["hoodie.table.name": ""], .corruptTable),
    ])
    func invalidPropertiesAreRejected(change: [String: String], code: LakeError.Code) {
        var p = TableConfig(name: "t", recordKeyFields: ["id"]).properties
        for (k, v) in change { p[k] = v }
        #expect((#expect(throws: LakeError.self) { try TableConfig(properties: p) })?.code == code)
    }

    @Test func lenientDefaults() throws {
        let c = try TableConfig(properties: HoodieProperties(["hoodie.table.name": "t", "hoodie.table.type": "cow"]))
        #expect(c.tableVersion == 6 && c.timelineLayoutVersion == 1)
        #expect(!c.hiveStylePartitioning && !c.urlEncodePartitioning)
        #expect(c.keyGenerator == .nonPartitioned)
        #expect(c.database == nil)
        #expect(
            (#expect(throws: LakeError.self) { try TableConfig(properties: HoodieProperties()) })?.code == .corruptTable
        )
    }
}
