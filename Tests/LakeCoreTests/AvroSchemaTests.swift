import Testing
@testable import LakeCore

@Suite struct AvroSchemaTests {
    /// Every schema in the reference tables: each completed commit's `extraMetadata.schema` and
    /// the table's `hoodie.table.create.schema`.
    static func referenceSchemas() throws -> [(table: String, source: String, json: String)] {
        var out: [(String, String, String)] = []
        for table in HudiFixtures.tableNames {
            let storage = try HudiFixtures.table(table)
            let config = try TableConfig.load(from: storage)
            if let create = config.createSchema { out.append((table, "create", create)) }
            let timeline = try Timeline.load(from: storage)
            for i in timeline.completedCommits {
                if let s = try timeline.commitMetadata(of: i, in: storage).schema { out.append((table, i.fileName, s)) }
            }
        }
        return out
    }

    @Test func everyReferenceSchemaConverts() throws {
        let schemas = try Self.referenceSchemas()
        #expect(schemas.count == 14)
        for (table, source, json) in schemas {
            let avro = try AvroSchema(json: json)
            let parquet = try avro.parquetSchema()
            #expect(parquet.fields.count == avro.record?.fields.count, "\(table) \(source)")
            // Back to Avro, Hudi style: identical to what Java wrote in commit metadata.
            let again = try AvroSchema.tableSchema(fromParquet: parquet.fields, tableName: table)
            #expect(try again.parquetSchema() == parquet, "\(table) \(source)")
            if source != "create" {
                #expect(again.jsonString == json, "\(table) \(source)")
            }
        }
    }

    @Test func createSchemaAndCommitSchemaDescribeTheSameColumns() throws {
        let storage = try HudiFixtures.table("v6_complexkeygen_hivestyle")
        let create = try AvroSchema(json: TableConfig.load(from: storage).createSchema!).parquetSchema()
        let timeline = try Timeline.load(from: storage)
        let commit = try AvroSchema(json: timeline.latestSchema(in: storage)!.schema).parquetSchema()
        #expect(create == commit)
    }

    @Test func referenceSchemaMapsToTheExpectedParquetTypes() throws {
        let storage = try HudiFixtures.table("v6_nonpartitioned")
        let schema = try AvroSchema(json: Timeline.load(from: storage).latestSchema(in: storage)!.schema)
        let fields = try schema.parquetFields()
        func field(_ n: String) -> ParquetField { fields.first { $0.name == n }! }
        #expect(field("id") == .int32("id"))
        #expect(field("name") == .string("name"))
        #expect(field("isActive") == .boolean("isActive"))
        #expect(field("longField") == .int64("longField"))
        #expect(field("floatField") == .float("floatField"))
        #expect(field("doubleField") == .double("doubleField"))
        #expect(
            field("decimalField")
                == .primitive(
                    "decimalField", .fixedLenByteArray, logical: .decimal(precision: 10, scale: 5), typeLength: 5))
        #expect(field("dateField") == .date("dateField"))
        #expect(field("timestampField") == .timestamp("timestampField", unit: .micros))
        #expect(field("binaryField") == .binary("binaryField"))
        #expect(
            field("arrayField")
                == .list(
                    "arrayField", element: .structure("element", [.string("arr_struct_f1"), .int32("arr_struct_f2")])))
        #expect(
            field("mapField")
                == .map(
                    "mapField", key: .string("key", nullable: false),
                    value: .structure(
                        "value", [.double("map_field_value_struct_f1"), .boolean("map_field_value_struct_f2")])))
        #expect(
            field("structField")
                == .structure(
                    "structField",
                    [
                        .string("field1"), .int32("field2"),
                        .structure("child_struct", [.double("child_field1"), .boolean("child_field2")]),
                    ]))
    }

    @Test func parquetToAvroFollowsHudiNaming() throws {
        let fields: [ParquetField] = [
            .int64("id", nullable: false),
            .string("name"),
            .decimal("price", precision: 10, scale: 2),
            .list("tags", element: .string("x", nullable: false)),
            .structure("addr", [.string("city"), .structure("geo", [.double("lat")])]),
        ]
        let s = try AvroSchema.tableSchema(fromParquet: fields, tableName: "orders")
        #expect(
            s.jsonString == """
                {"type":"record","name":"orders_record","namespace":"hoodie.orders","fields":[\
                {"name":"id","type":"long"},\
                {"name":"name","type":["null","string"],"default":null},\
                {"name":"price","type":["null",{"type":"fixed","name":"fixed","namespace":"hoodie.orders.orders_record.price","size":5,"logicalType":"decimal","precision":10,"scale":2}],"default":null},\
                {"name":"tags","type":["null",{"type":"array","items":"string"}],"default":null},\
                {"name":"addr","type":["null",{"type":"record","name":"addr","namespace":"hoodie.orders.orders_record","fields":[\
                {"name":"city","type":["null","string"],"default":null},\
                {"name":"geo","type":["null",{"type":"record","name":"geo","namespace":"hoodie.orders.orders_record.addr","fields":[\
                {"name":"lat","type":["null","double"],"default":null}]}],"default":null}]}],"default":null}]}
                """)
        #expect(try AvroSchema(json: s.jsonString) == s)
        let names = AvroSchema.recordNameAndNamespace(forTable: "my-table.v2")
        #expect(names.name == "my_table_v2_record" && names.namespace == "hoodie.my_table_v2")
    }

    @Test func typeMappingTable() throws {
        let cases: [(ParquetField, String)] = [
            (.boolean("c"), #"["null","boolean"]"#),
            (.primitive("c", .int32, logical: .integer(bitWidth: 8, isSigned: true)), #"["null","int"]"#),
            (.primitive("c", .int32, logical: .integer(bitWidth: 16, isSigned: false)), #"["null","int"]"#),
            (.primitive("c", .int32, logical: .integer(bitWidth: 32, isSigned: false)), #"["null","long"]"#),
            (.date("c"), #"["null",{"type":"int","logicalType":"date"}]"#),
            (
                .primitive("c", .int32, logical: .time(isAdjustedToUTC: true, unit: .millis)),
                #"["null",{"type":"int","logicalType":"time-millis"}]"#
            ),
            (
                .primitive("c", .int64, logical: .time(isAdjustedToUTC: true, unit: .micros)),
                #"["null",{"type":"long","logicalType":"time-micros"}]"#
            ),
            (.timestamp("c", unit: .millis), #"["null",{"type":"long","logicalType":"timestamp-millis"}]"#),
            (.timestamp("c", unit: .nanos), #"["null",{"type":"long","logicalType":"timestamp-nanos"}]"#),
            (
                .primitive("c", .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .micros)),
                #"["null",{"type":"long","logicalType":"local-timestamp-micros"}]"#
            ),
            (.primitive("c", .byteArray, logical: .json), #"["null","string"]"#),
            (.primitive("c", .byteArray, logical: .enum), #"["null","string"]"#),
            (
                .primitive("c", .byteArray, logical: .decimal(precision: 30, scale: 3)),
                #"["null",{"type":"bytes","logicalType":"decimal","precision":30,"scale":3}]"#
            ),
            (
                .decimal("c", precision: 5, scale: 1),
                #"["null",{"type":"fixed","name":"fixed","namespace":"hoodie.t.t_record.c","size":3,"logicalType":"decimal","precision":5,"scale":1}]"#
            ),
            (
                .fixedBinary("c", width: 16),
                #"["null",{"type":"fixed","name":"fixed","namespace":"hoodie.t.t_record.c","size":16}]"#
            ),
            (
                .map("c", key: .string("k"), value: .int64("v", nullable: false)),
                #"["null",{"type":"map","values":"long"}]"#
            ),
            (.list("c", element: .int32("e")), #"["null",{"type":"array","items":["null","int"]}]"#),
            (
                ParquetField(
                    name: "c", repetition: .repeated,
                    kind: .primitive(.int32, typeLength: nil, logical: nil, converted: nil)),
                #"{"type":"array","items":"int"}"#
            ),
            (
                ParquetField(
                    name: "c", repetition: .optional,
                    kind: .group(
                        [
                            ParquetField(
                                name: "array", repetition: .repeated,
                                kind: .group([.string("s")], logical: nil, converted: nil))
                        ], logical: .list, converted: .list)),
                #"["null",{"type":"array","items":{"type":"record","name":"c","namespace":"hoodie.t.t_record","fields":[{"name":"s","type":["null","string"],"default":null}]}}]"#
            ),
        ]
        for (field, type) in cases {
            let s = try AvroSchema.tableSchema(fromParquet: [field], tableName: "t")
            let json = s.jsonString
            let prefix = #"{"type":"record","name":"t_record","namespace":"hoodie.t","fields":[{"name":"c","type":"#
            #expect(json.hasPrefix(prefix + type), "\(field.name): \(json)")
            #expect(try AvroSchema(json: json) == s)
        }
    }

    @Test func unconvertibleParquetIsRejected() {
        let cases: [(ParquetField, LakeError.Code)] = [
            (.primitive("c", .int96), .unsupported),
            (.primitive("c", .fixedLenByteArray, logical: .float16, typeLength: 2), .unsupported),
            (.primitive("c", .int64, logical: .integer(bitWidth: 64, isSigned: false)), .unsupported),
            (.map("c", key: .int32("k"), value: .int32("v")), .unsupported),
            (.int32("bad-name"), .invalidArgument),
            (.int32("1abc"), .invalidArgument),
        ]
        for (f, code) in cases {
            let e = #expect(throws: LakeError.self) { try AvroSchema.tableSchema(fromParquet: [f], tableName: "t") }
            #expect(e?.code == code, "\(f.name)")
            #expect(e?.message.contains("'\(f.name)'") == true)
        }
        let dup = #expect(throws: LakeError.self) {
            try AvroSchema.tableSchema(fromParquet: [.int32("a"), .int64("a")], tableName: "t")
        }
        #expect(dup?.code == .invalidArgument)
    }

    @Test func avroParsingHandlesNamesReferencesAndLogicalTypes() throws {
        let json = """
            {"type":"record","name":"a.b.R","doc":"top","fields":[
              {"name":"e","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]},"default":"RED"},
              {"name":"e2","type":"Color"},
              {"name":"f","type":{"type":"fixed","name":"F","namespace":"x.y","size":4}},
              {"name":"f2","type":"x.y.F"},
              {"name":"u","type":{"type":"string","logicalType":"uuid"}},
              {"name":"bad","type":{"type":"int","logicalType":"timestamp-millis"}},
              {"name":"unknown","type":{"type":"long","logicalType":"foo"}},
              {"name":"n","type":["long","null"],"default":1,"doc":"d"},
              {"name":"s","type":{"type":"string","avro.java.string":"String"}},
              {"name":"ts","type":{"type":"long","logicalType":"local-timestamp-millis"}}
            ]}
            """
        let s = try AvroSchema(json: json)
        let r = try #require(s.record)
        #expect(r.name == "R" && r.namespace == "a.b" && r.doc == "top" && r.fullName == "a.b.R")
        #expect(
            r.field("e")?.type == .enumeration(AvroEnum(name: "Color", namespace: "a.b", symbols: ["RED", "GREEN"])))
        #expect(r.field("e")?.defaultValue == .json(#""RED""#))
        #expect(r.field("e2")?.type == .reference("a.b.Color"))
        #expect(r.field("f2")?.type == .reference("x.y.F"))
        #expect(r.field("u")?.type == .primitive(.string, logical: .uuid))
        #expect(r.field("bad")?.type == .int)
        #expect(r.field("unknown")?.type == .long)
        #expect(r.field("n")?.defaultValue == .json("1"))
        #expect(r.field("n")?.type.nonNullBranch == .long)
        #expect(r.field("s")?.type == .string)
        let rendered = s.jsonString
        #expect(rendered.contains(#"{"name":"e2","type":"Color"}"#))
        #expect(rendered.contains(#"{"name":"f2","type":"x.y.F"}"#))
        #expect(rendered.contains(#"{"name":"n","type":["long","null"],"doc":"d","default":1}"#))
        #expect(try AvroSchema(json: rendered) == s)
        let parquet = try s.parquetFields()
        #expect(parquet.map(\.name) == r.fields.map(\.name))
        #expect(parquet[1] == .primitive("e2", .byteArray, logical: .enum, nullable: false))
        #expect(parquet[3] == .fixedBinary("f2", width: 4, nullable: false))
        #expect(parquet[7] == .int64("n"))
        #expect(
            parquet[9]
                == .primitive("ts", .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .millis), nullable: false)
        )
    }

    @Test func nullNamespaceInsideANamedOneIsWrittenEmpty() throws {
        let inner = AvroRecord(name: "Inner", namespace: nil, fields: [AvroField(name: "x", type: .int)])
        let outer = AvroSchema.record(
            AvroRecord(name: "Outer", namespace: "n", fields: [AvroField(name: "i", type: .record(inner))]))
        #expect(
            outer.jsonString
                == #"{"type":"record","name":"Outer","namespace":"n","fields":[{"name":"i","type":{"type":"record","name":"Inner","namespace":"","fields":[{"name":"x","type":"int"}]}}]}"#
        )
        #expect(try AvroSchema(json: outer.jsonString) == outer)
    }

    @Test(arguments: [
        "not json", "42", #"{"type":"record","name":"R"}"#, #"{"type":"array"}"#, #"{"type":"map"}"#,
        #"{"type":"fixed","name":"F"}"#, #""Undefined""#, #"{"type":"record","name":"R","fields":[{"type":"int"}]}"#,
        #"{"name":"x"}"#,
    ])
    func invalidAvroIsRejected(json: String) {
        #expect((#expect(throws: LakeError.self) { try AvroSchema(json: json) })?.code == .invalidInput)
    }

    @Test func avroShapesParquetCannotHold() throws {
        let cases = [
            #"{"type":"record","name":"R","fields":[{"name":"u","type":["int","string"]}]}"#,
            #"{"type":"record","name":"R","fields":[{"name":"u","type":"null"}]}"#,
            #"{"type":"record","name":"R","fields":[{"name":"u","type":["null"]}]}"#,
            #"{"type":"record","name":"R","fields":[{"name":"next","type":["null","R"]}]}"#,
        ]
        for json in cases {
            let s = try AvroSchema(json: json)
            #expect((#expect(throws: LakeError.self) { try s.parquetFields() })?.code == .unsupported, "\(json)")
        }
        #expect((#expect(throws: LakeError.self) { try AvroSchema.int.parquetFields() })?.code == .invalidArgument)
    }

    @Test func avroNames() {
        #expect(
            AvroNames.isValid("_a1") && AvroNames.isValid("A") && !AvroNames.isValid("1a") && !AvroNames.isValid("a-b")
                && !AvroNames.isValid(""))
        #expect(AvroNames.sanitized("1st table") == "_1st_table")
        #expect(AvroNames.fullName("R", "") == "R" && AvroNames.fullName("R", "a.b") == "a.b.R")
    }
}
