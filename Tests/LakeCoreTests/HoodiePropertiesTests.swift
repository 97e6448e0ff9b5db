import Testing
@testable import LakeCore

@Suite struct HoodiePropertiesTests {
    @Test func parsingRules() {
        let text = """
            #Properties saved on 2024-04-18T22:32:13.522Z
            ! also a comment
              hoodie.table.name = orders  \r
            hoodie.a=x=y=z

            hoodie.schema={"type"\\:"record"}
            hoodie.escaped=a\\,b
            line without separator
            =no key
            hoodie.empty=
            hoodie.a=second wins
            """
        let p = HoodieProperties(text: text)
        #expect(p["hoodie.table.name"] == "orders")
        #expect(p["hoodie.a"] == "second wins")
        #expect(p["hoodie.schema"] == #"{"type":"record"}"#)
        #expect(p["hoodie.escaped"] == #"a\,b"#)  // no other escapes are processed
        #expect(p["hoodie.empty"] == "")
        #expect(p.values.count == 5)
        #expect(HoodieProperties(text: "k=x=y")["k"] == "x=y")
    }

    @Test func writesJavaStyleHeaderSortedKeysChecksumLast() throws {
        var p = HoodieProperties()
        p["hoodie.table.name"] = "t"
        p["hoodie.table.checksum"] = "123"
        p["a.first"] = "1"
        p["hoodie.table.create.schema"] = #"{"type":"record","name":"t_record"}"#
        p["lake.url"] = "s3://bucket/x"
        // 2024-04-18T22:32:13.522Z
        let text = String(decoding: try p.serialized(savedAtMillis: 1_713_479_533_522), as: UTF8.self)
        #expect(
            text == """
                #Properties saved on 2024-04-18T22:32:13.522Z
                #Thu Apr 18 22:32:13 UTC 2024
                a.first=1
                hoodie.table.create.schema={"type"\\:"record","name"\\:"t_record"}
                hoodie.table.name=t
                lake.url=s3://bucket/x
                hoodie.table.checksum=123

                """)
        #expect(HoodieProperties(text: text) == p)
    }

    @Test func unwritableValuesAreRejected() {
        for (k, v) in [("k", "a\nb"), ("k", " lead"), ("k=x", "v"), ("", "v"), ("#k", "v"), ("k", "trail\t")] {
            let p = HoodieProperties([k: v])
            #expect((#expect(throws: LakeError.self) { try p.serialized(savedAtMillis: 0) })?.code == .invalidArgument)
        }
    }

    @Test func invalidUTF8IsCorrupt() {
        #expect(
            (#expect(throws: LakeError.self) { try HoodieProperties(bytes: [0x6B, 0x3D, 0xFF]) })?.code == .corruptTable
        )
    }

    @Test func referenceTableCreateSchemaIsUnescaped() throws {
        let p = try HoodieProperties(bytes: HudiFixtures.read("v6_complexkeygen_hivestyle", HoodieProperties.path))
        let schema = try #require(p["hoodie.table.create.schema"])
        #expect(schema.hasPrefix(#"{"type":"record","name":"v6_complexkeygen_hivestyle_record""#))
        #expect(!schema.contains("\\"))
        #expect(p["hoodie.table.partition.fields"] == "byteField,shortField")
        #expect(p.values.count == 15)
        // Writing it back escapes the create schema the way Java did.
        let text = String(decoding: try p.serialized(savedAtMillis: 0), as: UTF8.self)
        let original = String(
            decoding: try HudiFixtures.read("v6_complexkeygen_hivestyle", HoodieProperties.path), as: UTF8.self)
        let schemaLine = original.split(separator: "\n").first { $0.hasPrefix("hoodie.table.create.schema=") }!
        #expect(text.contains(schemaLine + "\n"))
        #expect(text.hasSuffix("hoodie.table.checksum=281415413\n"))
    }
}
