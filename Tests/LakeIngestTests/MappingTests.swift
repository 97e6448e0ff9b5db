import Foundation
import Testing
@testable import LakeIngest

@Suite struct MappingTests {
    static let customerMapping = Fixtures.repositoryRoot + "/samples/customer/mapping.json"

    @Test func seedCustomerMapping() throws {
        let m = try IngestMapping.load(path: Self.customerMapping)
        #expect(m.columns.map(\.target) == ["id", "custName", "email", "registrationDate"])
        #expect(m.columns[0].source == .image(.newImage, [.init("id", .s)]))
        #expect(m.columns[0].sourceType == .s)
        #expect(m.columns[3].targetType == .date)
        #expect(m.derived.map(\.target) == ["update_ts", "partitionkey", "partitionkey2"])
        #expect(m.derived[1].expression == .call("substr", [.column("id"), .literal(.int(-1)), .literal(.int(1))]))
        #expect(m.table.recordKey == ["id"])
        #expect(m.table.partitionFields == ["partitionkey", "partitionkey2"])
        #expect(m.table.hiveStyle)
        #expect(m.table.precombine == nil && m.orderingColumn == EventOrder.columnName)
        #expect(m.table.cleanerCommitsRetained == 2 && m.table.properties.isEmpty)
    }

    @Test func seedCustomerRows() throws {
        let m = try IngestMapping.load(path: Self.customerMapping)
        let text = [
            CustomerStream.record(
                name: "INSERT", id: "C000123",
                new: .init(
                    id: "C000123", custName: "Ann", email: "ann@x.io", registrationDate: "2024-02-29", visits: 0),
                old: nil, time: 1_700_000_000, seq: 100, n: 0, wide: true),
            CustomerStream.record(
                name: "REMOVE", id: "C000045", new: nil, old: nil, time: 1_700_000_001, seq: 101, n: 1, wide: false),
        ].joined(separator: "\n")
        let b = try decode(text, mapping: m)
        #expect(b.issues.isEmpty, "\(b.issues)")
        #expect(
            schemaText(b.batch) == [
                "id: string", "custName: string", "email: string", "registrationDate: date", "update_ts: timestamp",
                "partitionkey: string", "partitionkey2: string", "_event_order: string", "_hoodie_is_deleted: boolean",
            ])
        #expect(
            try jsonRows(b.batch) == [
                #"{"id":"C000123","custName":"Ann","email":"ann@x.io","registrationDate":"2024-02-29","update_ts":"2024-02-29T00:00:00.000000Z","partitionkey":"3","partitionkey2":"2","_event_order":"001700000000000-0000000000000000000000000000000000000100","_hoodie_is_deleted":false}"#,
                // A delete from Keys only: the key and its derived partition values are there.
                #"{"id":"C000045","custName":null,"email":null,"registrationDate":null,"update_ts":null,"partitionkey":"5","partitionkey2":"4","_event_order":"001700000001000-0000000000000000000000000000000000000101","_hoodie_is_deleted":true}"#,
            ])
    }

    @Test func columnForms() throws {
        let json = """
            {"columns": [
                ["dynamodb.NewImage.id.S", "string", "id", "string"],
                {"source": "dynamodb.NewImage.n", "sourceType": "number", "target": "n", "targetType": "auto"},
                {"source": "dynamodb.Keys.id.S", "target": "key_id"},
                {"source": "dynamodb.OldImage.n.N", "target": "old_n", "targetType": "long"},
                {"source": "$event_order", "target": "ord"},
                ["eventName", "string", "op"]
             ],
             "derived": [{"name": "n2", "expr": "coalesce(old_n, 0)", "type": "double"}],
             "table": {"recordKey": "id", "precombine": "ord", "properties": {"hoodie.keep.max.commits": 40}},
             "unmappedAttributes": "infer"}
            """
        let m = try IngestMapping(json: Array(json.utf8))
        #expect(m.columns.map(\.target) == ["id", "n", "key_id", "old_n", "ord", "op"])
        #expect(m.columns[1].targetType == nil && m.columns[1].sourceType == .n)
        #expect(m.columns[2].source == .image(.keys, [.init("id", .s)]))
        #expect(m.columns[4].source == .eventOrder)
        #expect(m.columns[5].source == .record("eventName"))
        #expect(m.derived[0].targetType == .double)
        #expect(m.infers && m.table.precombine == "ord" && m.table.properties["hoodie.keep.max.commits"] == "40")
        let rec =
            #"{"eventName":"MODIFY","dynamodb":{"ApproximateCreationDateTime":5,"Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"},"n":{"N":"2"},"extra":{"BOOL":true}},"OldImage":{"id":{"S":"a"},"n":{"N":"1"}},"SequenceNumber":"9"}}"#
        let b = try decode(rec, mapping: m)
        #expect(b.issues.isEmpty, "\(b.issues)")
        #expect(b.orderingField == "ord")
        #expect(
            try jsonRows(b.batch) == [
                #"{"id":"a","n":2,"key_id":"a","old_n":1,"ord":"000000000005000-0000000000000000000000000000000000000009","op":"MODIFY","extra":true,"n2":1.0,"_hoodie_is_deleted":false}"#
            ])
    }

    /// Table settings in a mapping are checked as it loads, as `lake create --set` checks them.
    @Test func tableSettingsAreCheckedWhenTheMappingLoads() throws {
        for (properties, reason) in [
            (#"{"lake.x": 3}"#, "unknown setting 'lake.x'"),
            (#"{"cleaner.commit.retained": 3}"#, "did you mean 'cleaner.commits.retained'"),
            (#"{"hoodie.cleaner.commits.retained": 0}"#, "must be at least 1"),
        ] {
            let json =
                #"{"columns": [["dynamodb.NewImage.id.S", "S", "id", "string"]], "table": {"recordKey": "id", "properties": "#
                + properties + "}}"
            let e = #expect(throws: LakeError.self) { try IngestMapping(json: Array(json.utf8)) }
            #expect(e?.message.contains(reason) == true, "\(e?.message ?? "")")
        }
        let deep = (0..<31).reduce("long") { t, _ in "struct<a:\(t)>" }
        let json =
            #"{"columns": [["dynamodb.NewImage.id.S", "S", "id", "string"], ["dynamodb.NewImage.m.M", "M", "m", ""#
            + deep + #""]], "table": {"recordKey": "id"}}"#
        let e = #expect(throws: LakeError.self) { try IngestMapping(json: Array(json.utf8)) }
        #expect(e?.message.contains("column 'm' is nested too deeply") == true, "\(e?.message ?? "")")
    }

    @Test(arguments: [
        (#"[]"#, "must be a JSON object"),
        (#"{"colums": []}"#, "unknown key 'colums'"),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "target": "a", "targetType": "strin"}]}"#,
            "unknown type 'strin'"
        ),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "sourceType": "N", "target": "a"}]}"#,
            "contradicts the path's type S"
        ),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "sourceType": "Q", "target": "a"}]}"#,
            "unknown source type 'Q'"
        ),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "target": "a"}, ["dynamodb.NewImage.b.S", "S", "a", "string"]], "table": {"recordKey": "a"}}"#,
            "column 'a' is defined twice"
        ),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "target": "a"}], "derived": [{"target": "p", "expression": "substr(b, 1, 1)"}], "table": {"recordKey": "a"}}"#,
            "uses 'b', which is not a column"
        ),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "target": "a"}], "table": {"recordKey": "id"}}"#,
            "record key field 'id' is not a mapped or derived column"
        ),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "target": "a"}], "table": {"recordKey": "a", "partitionFields": ["p"]}}"#,
            "partition field 'p'"
        ),
        (#"{"columns": [{"source": "dynamodb.NewImage.a.S", "target": "a"}]}"#, "table.recordKey is missing"),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S.x", "target": "a"}], "table": {"recordKey": "a"}}"#,
            "must be followed by the type M"
        ),
        (
            #"{"columns": [{"source": "dynamodb.Nope.a", "target": "a"}], "table": {"recordKey": "a"}}"#,
            "'Nope' is not an image"
        ),
        (
            #"{"columns": [{"source": "dynamodb.NewImage.a.S", "target": "_hoodie_is_deleted"}], "table": {"recordKey": "a"}}"#,
            "is set by lake"
        ),
        (#"{"derived": [{"target": "p", "expression": "substr(b, 1"}]}"#, "expected ',' or ')'"),
        (#"{"table": {"cleanerCommitsRetained": 0}}"#, "positive integer"),
    ])
    func refusedMappings(_ json: String, _ reason: String) {
        do {
            _ = try IngestMapping(json: Array(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func sourcePathsRoundTrip() throws {
        for text in [
            "eventName", "dynamodb.ApproximateCreationDateTime", "dynamodb.NewImage.id.S", "dynamodb.Keys.pk",
            "dynamodb.OldImage.address.M.city.S", "dynamodb.NewImage.`a.b`.N", "$event_order", "dynamodb.NewImage.S",
        ] {
            #expect(try SourcePath(parsing: text).description == text)
        }
        #expect(try SourcePath(parsing: "dynamodb.NewImage.S") == .image(.newImage, [.init("S")]))
        for bad in ["", "a..b", "dynamodb", "dynamodb.NewImage", "x.y", "$nope", "dynamodb.NewImage.`open"] {
            #expect(throws: LakeError.self, "\(bad)") { try SourcePath(parsing: bad) }
        }
    }

    /// Naming the default ordering column explicitly is the same as leaving it out.
    @Test func explicitDefaultOrdering() throws {
        let json =
            #"{"columns": [["dynamodb.NewImage.id.S", "S", "id", "string"]], "table": {"recordKey": "id", "precombine": "_event_order"}}"#
        let m = try IngestMapping(json: Array(json.utf8))
        let b = try decode(
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":2,"NewImage":{"id":{"S":"a"}}}}"#,
            mapping: m)
        #expect(schemaText(b.batch) == ["id: string", "_event_order: string", "_hoodie_is_deleted: boolean"])
        #expect(b.orderingField == EventOrder.columnName)
    }

    @Test func productPriorityMappingLoads() throws {
        let m = try IngestMapping.load(path: Fixtures.repositoryRoot + "/samples/orders/product-priority.mapping.json")
        #expect(m.table.recordKey == ["item", "price"])
        #expect(m.columns.count == 19)
        let missing = try? IngestMapping.load(path: "/nonexistent/mapping.json")
        #expect(missing == nil)
    }
}
