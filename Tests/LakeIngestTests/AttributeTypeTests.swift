import Testing
@testable import LakeIngest

/// Every DynamoDB attribute type into every column type it can fill, and the refusals.
@Suite struct AttributeTypeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var attribute: String
        var type: String
        /// The canonical JSON of the value, or nil when the record must be refused.
        var expected: String?
        /// A part of the refusal's reason.
        var reason: String = ""
        var testDescription: String { "\(attribute) as \(type)" }
    }

    static func record(_ attribute: String) -> String {
        #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1700000000,"Keys":{"k":{"S":"1"}},"NewImage":{"k":{"S":"1"},"v":\#(attribute)},"SequenceNumber":"7"}}"#
    }

    static func mapping(_ type: String, source: String = "dynamodb.NewImage.v") throws -> IngestMapping {
        IngestMapping(
            columns: [
                MappedColumn(
                    source: try SourcePath(parsing: "dynamodb.NewImage.k.S"), target: "k", targetType: .string),
                MappedColumn(
                    source: try SourcePath(parsing: source), target: "v", targetType: try ColumnType(parsing: type)),
            ], table: TableSettings(recordKey: ["k"]))
    }

    static let cases: [Case] = [
        // S
        Case(attribute: #"{"S":"abc"}"#, type: "string", expected: #""abc""#),
        Case(attribute: #"{"S":"a\"b\\c\u00e9\n"}"#, type: "string", expected: #""a\"b\\cé\n""#),
        Case(attribute: #"{"S":"abc"}"#, type: "json", expected: #""\"abc\"""#),
        Case(attribute: #"{"S":"12"}"#, type: "long", expected: "12"),
        Case(attribute: #"{"S":"x"}"#, type: "long", expected: nil, reason: "'x' is not a number"),
        Case(attribute: #"{"S":"1.5"}"#, type: "decimal(5,2)", expected: #""1.50""#),
        Case(attribute: #"{"S":"2024-02-29"}"#, type: "date", expected: #""2024-02-29""#),
        Case(attribute: #"{"S":"2024-02-30"}"#, type: "date", expected: nil, reason: "is not a date"),
        Case(
            attribute: #"{"S":"2024-01-02T03:04:05.5+01:00"}"#, type: "timestamp",
            expected: #""2024-01-02T02:04:05.500000Z""#),
        Case(attribute: #"{"S":"2024-01-02"}"#, type: "timestamp_millis", expected: #""2024-01-02T00:00:00.000Z""#),
        Case(attribute: #"{"S":"abc"}"#, type: "binary", expected: #""YWJj""#),
        Case(attribute: #"{"S":"true"}"#, type: "boolean", expected: "true"),
        Case(attribute: #"{"S":"yes"}"#, type: "boolean", expected: nil, reason: "is not a boolean"),
        // N
        Case(attribute: #"{"N":"42"}"#, type: "long", expected: "42"),
        Case(attribute: #"{"N":"-9223372036854775808"}"#, type: "long", expected: "-9223372036854775808"),
        Case(
            attribute: #"{"N":"9223372036854775808"}"#, type: "long", expected: nil, reason: "is not a 64-bit integer"),
        Case(attribute: #"{"N":"1E+2"}"#, type: "long", expected: "100"),
        Case(attribute: #"{"N":"2.5"}"#, type: "long", expected: nil, reason: "'2.5' is not a 64-bit integer"),
        Case(attribute: #"{"N":"42"}"#, type: "int", expected: "42"),
        Case(attribute: #"{"N":"99999999999"}"#, type: "int", expected: nil, reason: "does not fit a 32-bit int"),
        Case(attribute: #"{"N":"2.5"}"#, type: "double", expected: "2.5"),
        Case(attribute: #"{"N":"-1.25E+2"}"#, type: "double", expected: "-125.0"),
        Case(attribute: #"{"N":"0.1"}"#, type: "float", expected: "0.1"),
        Case(attribute: #"{"N":"12.345"}"#, type: "decimal(10,3)", expected: #""12.345""#),
        Case(
            attribute: #"{"N":"12.3456"}"#, type: "decimal(10,3)", expected: nil, reason: "does not fit decimal(10,3)"),
        Case(
            attribute: #"{"N":"12345678901234567890123456789012345678"}"#, type: "decimal(38,0)",
            expected: #""12345678901234567890123456789012345678""#),
        Case(
            attribute: #"{"N":"-0.00000000000000000000000000000000001"}"#, type: "decimal(38,38)",
            expected: #""-0.00000000000000000000000000000000001000""#),
        Case(attribute: #"{"N":"42"}"#, type: "string", expected: #""42""#),
        Case(attribute: #"{"N":"4.20"}"#, type: "json", expected: #""4.20""#),
        Case(attribute: #"{"N":"1700000000"}"#, type: "timestamp", expected: #""2023-11-14T22:13:20.000000Z""#),
        Case(attribute: #"{"N":"1700000000123"}"#, type: "timestamp_millis", expected: #""2023-11-14T22:13:20.123Z""#),
        Case(attribute: #"{"N":"1700000000"}"#, type: "date", expected: #""2023-11-14""#),
        Case(attribute: #"{"N":"abc"}"#, type: "double", expected: nil, reason: "'abc' is not a number"),
        // B
        Case(attribute: #"{"B":"AAE="}"#, type: "binary", expected: #""AAE=""#),
        Case(attribute: #"{"B":"iVBORw0K"}"#, type: "binary", expected: #""iVBORw0K""#),
        Case(attribute: #"{"B":"!!"}"#, type: "binary", expected: nil, reason: "is not valid base64"),
        Case(attribute: #"{"B":"AAE="}"#, type: "string", expected: #""AAE=""#),
        Case(attribute: #"{"B":"AAE="}"#, type: "json", expected: #""\"AAE=\"""#),
        // BOOL
        Case(attribute: #"{"BOOL":true}"#, type: "boolean", expected: "true"),
        Case(attribute: #"{"BOOL":false}"#, type: "string", expected: #""false""#),
        Case(attribute: #"{"BOOL":true}"#, type: "json", expected: #""true""#),
        Case(
            attribute: #"{"BOOL":true}"#, type: "long", expected: nil,
            reason: "the value is BOOL (boolean) but the column is long"),
        Case(attribute: #"{"BOOL":"yes"}"#, type: "boolean", expected: nil, reason: "expected true or false"),
        // NULL
        Case(attribute: #"{"NULL":true}"#, type: "string", expected: "null"),
        Case(attribute: #"{"NULL":true}"#, type: "long", expected: "null"),
        Case(attribute: #"{"NULL":true}"#, type: "array<string>", expected: "null"),
        Case(attribute: #"{"NULL":true}"#, type: "struct<a:long>", expected: "null"),
        Case(attribute: #"{"NULL":true}"#, type: "json", expected: "null"),
        // Sets
        Case(attribute: #"{"SS":["a","b"]}"#, type: "array<string>", expected: #"["a","b"]"#),
        Case(attribute: #"{"SS":["a","b"]}"#, type: "json", expected: #""[\"a\",\"b\"]""#),
        Case(
            attribute: #"{"SS":["a"]}"#, type: "string", expected: nil,
            reason: "the value is SS (string set) but the column is string"),
        Case(attribute: #"{"NS":["1","2.5"]}"#, type: "array<double>", expected: "[1.0,2.5]"),
        Case(attribute: #"{"NS":["1","2.5"]}"#, type: "array<decimal(3,1)>", expected: #"["1.0","2.5"]"#),
        Case(
            attribute: #"{"NS":["1","2.5"]}"#, type: "array<long>", expected: nil,
            reason: "'2.5' is not a 64-bit integer"),
        Case(attribute: #"{"NS":["1","2.5"]}"#, type: "json", expected: #""[1,2.5]""#),
        Case(attribute: #"{"BS":["AAE=","Ag=="]}"#, type: "array<binary>", expected: #"["AAE=","Ag=="]"#),
        Case(attribute: #"{"SS":[]}"#, type: "array<string>", expected: "[]"),
        // L
        Case(attribute: #"{"L":[{"S":"a"},{"N":"1"},{"NULL":true}]}"#, type: "json", expected: #""[\"a\",1,null]""#),
        Case(
            attribute: #"{"L":[{"S":"a"},{"N":"1"},{"NULL":true}]}"#, type: "array<string>",
            expected: #"["a","1",null]"#),
        Case(
            attribute: #"{"L":[{"M":{"x":{"N":"1"}}},{"M":{"y":{"S":"z"}}}]}"#, type: "array<struct<x:long,y:string>>",
            expected: #"[{"x":1,"y":null},{"x":null,"y":"z"}]"#),
        Case(attribute: #"{"L":[{"L":[{"N":"1"}]},{"L":[]}]}"#, type: "array<array<long>>", expected: "[[1],[]]"),
        Case(
            attribute: #"{"L":[{"BOOL":true}]}"#, type: "array<long>", expected: nil,
            reason: "element 0: the value is BOOL (boolean) but the column is long"),
        Case(
            attribute: #"{"L":[{"Q":"x"}]}"#, type: "array<string>", expected: nil,
            reason: "'Q' is not a DynamoDB attribute type"),
        // M
        Case(
            attribute: #"{"M":{"a":{"N":"1"},"b":{"S":"x"},"zz":{"S":"skipped"}}}"#,
            type: "struct<a:long,b:string,c:boolean>",
            expected: #"{"a":1,"b":"x","c":null}"#),
        Case(
            attribute: #"{"M":{"a":{"N":"1"},"b":{"M":{"c":{"BOOL":true}}}}}"#, type: "json",
            expected: #""{\"a\":1,\"b\":{\"c\":true}}""#),
        Case(
            attribute: #"{"M":{"a":{"S":"x"}}}"#, type: "struct<a:long>", expected: nil,
            reason: "member 'a': 'x' is not a number"),
        Case(
            attribute: #"{"M":{"a":{"N":"1"},"a":{"N":"2"}}}"#, type: "struct<a:long>", expected: nil,
            reason: "map key 'a' appears twice"),
        Case(attribute: #"{"M":{}}"#, type: "struct<a:long>", expected: #"{"a":null}"#),
        // Malformed attribute values
        Case(attribute: #"{"S":"a","N":"1"}"#, type: "string", expected: nil, reason: "more than one type key"),
        Case(attribute: #""plain""#, type: "string", expected: nil, reason: "expected an attribute value object"),
        Case(attribute: #"{"S":1}"#, type: "string", expected: nil, reason: "expected a string"),
    ]

    @Test(arguments: cases)
    func attribute(_ c: Case) throws {
        let batch = try decode(Self.record(c.attribute), mapping: try Self.mapping(c.type))
        if let expected = c.expected {
            #expect(batch.issues.isEmpty, "\(batch.issues)")
            #expect(try jsonRows(batch.batch, columns: ["v"]) == [#"{"v":\#(expected)}"#])
        } else {
            #expect(batch.rowCount == 0)
            let issue = try #require(batch.issues.first)
            #expect(issue.reason.contains(c.reason), "\(issue.reason)")
            #expect(issue.reason.contains("attribute 'v'") || issue.reason.contains("column"), "\(issue.reason)")
            #expect(issue.position == SourcePosition(file: "test.jsonl", line: 1, offset: 0))
        }
    }

    /// A path naming the type (`v.S`) refuses another type, but takes NULL.
    @Test func pathTypeIsChecked() throws {
        let m = try Self.mapping("string", source: "dynamodb.NewImage.v.S")
        let refused = try decode(Self.record(#"{"N":"1"}"#), mapping: m)
        #expect(refused.issues.first?.reason == "attribute 'v' is N (number), but the mapping reads it as S")
        let null = try decode(Self.record(#"{"NULL":true}"#), mapping: m)
        #expect(try jsonRows(null.batch, columns: ["v"]) == [#"{"v":null}"#])
    }

    /// Paths into maps read nested attributes.
    @Test func nestedPaths() throws {
        var m = try Self.mapping("string", source: "dynamodb.NewImage.v.M.city.S")
        m.columns.append(
            MappedColumn(
                source: try SourcePath(parsing: "dynamodb.NewImage.v.M.geo.M.lat.N"), target: "lat", targetType: .double
            ))
        m.columns.append(
            MappedColumn(source: try SourcePath(parsing: "dynamodb.NewImage.v"), target: "whole", targetType: .json))
        let b = try decode(Self.record(#"{"M":{"city":{"S":"Oslo"},"geo":{"M":{"lat":{"N":"59.9"}}}}}"#), mapping: m)
        #expect(b.issues.isEmpty, "\(b.issues)")
        #expect(
            try jsonRows(b.batch, columns: ["v", "lat", "whole"]) == [
                #"{"v":"Oslo","lat":59.9,"whole":"{\"city\":\"Oslo\",\"geo\":{\"lat\":59.9}}"}"#
            ])
        let notMap = try decode(Self.record(#"{"S":"Oslo"}"#), mapping: m)
        #expect(notMap.issues.first?.reason.contains("reads members of it as a map") == true)
    }

    @Test func descriptorsRoundTrip() {
        for t in AttributeType.allCases {
            #expect(AttributeType(descriptor: t.description) == t)
            var d = t.description
            #expect(d.withUTF8 { AttributeType.match(UnsafeRawBufferPointer($0)) } == t)
        }
        #expect(AttributeType(descriptor: "s") == nil)
    }

    @Test func columnTypeNamesRoundTrip() throws {
        let names = [
            "string", "long", "int", "double", "float", "boolean", "binary", "json", "date", "timestamp",
            "timestamp_millis", "timestamp_nanos", "decimal(38,10)", "array<array<string>>",
            "struct<a:long,b:array<struct<c:date>>>",
        ]
        for n in names { #expect(try ColumnType(parsing: n).description == n) }
        #expect(try ColumnType(parsing: "BIGINT") == .int64)
        #expect(try ColumnType(parsing: "decimal(10)") == .decimal(precision: 10, scale: 0))
        #expect(throws: LakeError.self) { try ColumnType(parsing: "decimal(39,0)") }
        #expect(throws: LakeError.self) { try ColumnType(parsing: "map<string,long>") }
        #expect(throws: LakeError.self) { try ColumnType(parsing: "struct<a:long,a:long>") }
        // Every type has a Parquet field that converts back.
        for n in names {
            let t = try ColumnType(parsing: n)
            let back = ColumnType(field: t.field(named: "x"))
            #expect(back == (t == .json ? .string : t))
        }
    }
}
