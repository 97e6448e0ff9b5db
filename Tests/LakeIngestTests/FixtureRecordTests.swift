import Foundation
import Testing
@testable import LakeIngest

/// Every captured record in ../shared/fixtures/cdc maps to the expected row, type by type.
@Suite struct FixtureRecordTests {
    static let mappingPath = Fixtures.repositoryRoot + "/samples/orders/product-priority.mapping.json"

    /// Expected data columns per record (same for both shapes), in file order.
    static let expectedData: [String] = [
        #"{"item":"pizza","price":"100.00","priority":"medium","inStock":true,"tags":null,"sizes":null,"thumb":null,"discontinued":null,"nutrition":null,"nutrition_json":null,"kcal":null,"blobs":null,"note":null,"calories":null,"event_name":"INSERT","event_id":"a66c12b7389b400989bad58deb7baabe","event_time":"2026-11-21T19:36:52.061Z"}"#,
        #"{"item":"burger","price":"100.00","priority":"medium","inStock":null,"tags":["grill","beef"],"sizes":[1.0,2.5],"thumb":"iVBORw0K","discontinued":null,"nutrition":{"kcal":540,"vegan":false,"allergens":["gluten","soy"]},"nutrition_json":"{\"kcal\":540,\"vegan\":false,\"allergens\":[\"gluten\",\"soy\"]}","kcal":540,"blobs":["AAE=","Ag=="],"note":null,"calories":null,"event_name":"INSERT","event_id":"c6ba5072e42a418eb36cfba685296648","event_time":"2026-11-21T19:36:52.081Z"}"#,
        #"{"item":"salad","price":"15.50","priority":"low","inStock":null,"tags":null,"sizes":null,"thumb":null,"discontinued":null,"nutrition":null,"nutrition_json":null,"kcal":null,"blobs":null,"note":null,"calories":null,"event_name":"INSERT","event_id":"344f4dd6b5e9480e89031b4b96e53267","event_time":"2026-11-21T19:36:52.085Z"}"#,
        #"{"item":"donut","price":"10.00","priority":"low","inStock":null,"tags":null,"sizes":null,"thumb":null,"discontinued":null,"nutrition":null,"nutrition_json":null,"kcal":null,"blobs":null,"note":"naïve café ☕ \"quoted\" \\ slash\nnewline","calories":null,"event_name":"INSERT","event_id":"afa719422a1f4c13a46ab67a7a089b74","event_time":"2026-11-21T19:36:52.088Z"}"#,
        #"{"item":"burger","price":"100.00","priority":"high","inStock":null,"tags":["grill","beef"],"sizes":[1.0,2.5],"thumb":"iVBORw0K","discontinued":null,"nutrition":{"kcal":540,"vegan":false,"allergens":["gluten","soy"]},"nutrition_json":"{\"kcal\":540,\"vegan\":false,\"allergens\":[\"gluten\",\"soy\"]}","kcal":540,"blobs":["AAE=","Ag=="],"note":null,"calories":null,"event_name":"MODIFY","event_id":"76a30e54e8a94a52be5a7e1fb5845830","event_time":"2026-11-21T19:36:52.094Z"}"#,
        #"{"item":"salad","price":"15.50","priority":"medium","inStock":null,"tags":null,"sizes":null,"thumb":null,"discontinued":null,"nutrition":null,"nutrition_json":null,"kcal":null,"blobs":null,"note":null,"calories":-125.0,"event_name":"MODIFY","event_id":"a4dfff7589604fdc9c3e905079c0e95a","event_time":"2026-11-21T19:36:52.098Z"}"#,
        // REMOVE: the row carries the OldImage's values and is marked deleted.
        #"{"item":"donut","price":"10.00","priority":"low","inStock":null,"tags":null,"sizes":null,"thumb":null,"discontinued":null,"nutrition":null,"nutrition_json":null,"kcal":null,"blobs":null,"note":"naïve café ☕ \"quoted\" \\ slash\nnewline","calories":null,"event_name":"REMOVE","event_id":"0c6059db2df64ae9bedce7f29e24635b","event_time":"2026-11-21T19:36:52.102Z"}"#,
        #"{"item":"donut","price":"10.00","priority":"high","inStock":null,"tags":null,"sizes":null,"thumb":null,"discontinued":null,"nutrition":null,"nutrition_json":null,"kcal":null,"blobs":null,"note":null,"calories":null,"event_name":"INSERT","event_id":"04fab24e35534662807908deffb501aa","event_time":"2026-11-21T19:36:52.105Z"}"#,
    ]
    static let dataColumns = [
        "item", "price", "priority", "inStock", "tags", "sizes", "thumb", "discontinued", "nutrition",
        "nutrition_json", "kcal", "blobs", "note", "calories", "event_name", "event_id", "event_time",
    ]
    static let millis: [Int64] = [
        1795289812061, 1795289812081, 1795289812085, 1795289812088, 1795289812094, 1795289812098, 1795289812102,
        1795289812105,
    ]

    @Test func streamsShapeMapsEveryRecord() throws {
        let mapping = try IngestMapping.load(path: Self.mappingPath)
        let batch = try decode(
            try Fixtures.lines("dynamodb-streams.jsonl"), mapping: mapping, file: "dynamodb-streams.jsonl")
        #expect(batch.issues.isEmpty)
        #expect(batch.recordsIn == 8 && batch.upserts == 7 && batch.deletes == 1)
        #expect(try jsonRows(batch.batch, columns: Self.dataColumns) == Self.expectedData)
        // Sequence numbers are exact decimals; the Kinesis shape has none.
        let seq = try jsonRows(batch.batch, columns: ["sequence_number", "source_table"])
        #expect(
            seq == (17454423009...17454423016).map { #"{"sequence_number":"11000000000\#($0)","source_table":null}"# })
        #expect(
            try jsonRows(batch.batch, columns: [ChangeBatch.deleteColumn]).map { $0.contains("true") } == [
                false, false, false, false, false, false, true, false,
            ])
        // The ordering value: millis, then the sequence number padded to 40 digits.
        let orders = try jsonRows(batch.batch, columns: [EventOrder.columnName])
        for (i, o) in orders.enumerated() {
            #expect(
                o
                    == #"{"_event_order":"\#(EventOrder.value(millis: Self.millis[i], sequence: "11000000000\(17454423009 + i)"))"}"#
            )
        }
        #expect(try jsonRows(batch.batch, columns: ["priority_rank"])[0] == #"{"priority_rank":"medium"}"#)
    }

    @Test func kinesisShapeMapsEveryRecord() throws {
        let mapping = try IngestMapping.load(path: Self.mappingPath)
        let batch = try decode(
            try Fixtures.lines("kinesis-wrapped.jsonl"), mapping: mapping, file: "kinesis-wrapped.jsonl")
        #expect(batch.issues.isEmpty)
        #expect(try jsonRows(batch.batch, columns: Self.dataColumns) == Self.expectedData)
        let seq = try jsonRows(batch.batch, columns: ["sequence_number", "source_table"])
        #expect(seq == Array(repeating: #"{"sequence_number":null,"source_table":"ProductPriority"}"#, count: 8))
        let orders = try jsonRows(batch.batch, columns: [EventOrder.columnName])
        for (i, o) in orders.enumerated() {
            #expect(o == #"{"_event_order":"\#(EventOrder.value(millis: Self.millis[i]))"}"#)
        }
    }

    /// Without a mapping: columns inferred from the NewImage attribute types.
    @Test func inferredColumnsFromFixtures() throws {
        for name in ["dynamodb-streams.jsonl", "kinesis-wrapped.jsonl"] {
            let batch = try decode(try Fixtures.lines(name), file: name)
            #expect(batch.issues.isEmpty)
            #expect(batch.recordKeyFields == ["item", "price"])
            #expect(
                schemaText(batch.batch) == [
                    "item: string", "price: string", "priority: string", "inStock: boolean", "tags: array<string>",
                    "sizes: array<double>", "thumb: binary",
                    "nutrition: struct<kcal:long,vegan:boolean,allergens:array<string>>",
                    "blobs: array<binary>", "note: string", "calories: long",
                    "_event_time: timestamp_millis", "_event_order: string", "_hoodie_is_deleted: boolean",
                ])
            let rows = try jsonRows(batch.batch, columns: ["item", "price", "sizes", "calories", "_event_time"])
            #expect(
                rows[2]
                    == #"{"item":"salad","price":"15.5","sizes":null,"calories":null,"_event_time":"2026-11-21T19:36:52.085Z"}"#
            )
            #expect(
                rows[5]
                    == #"{"item":"salad","price":"15.5","sizes":null,"calories":-125,"_event_time":"2026-11-21T19:36:52.098Z"}"#
            )
            #expect(
                rows[1]
                    == #"{"item":"burger","price":"100","sizes":[1.0,2.5],"calories":null,"_event_time":"2026-11-21T19:36:52.081Z"}"#
            )
        }
    }

    /// The two shapes give the same rows, apart from the sequence number.
    @Test func shapesAgree() throws {
        let a = try decode(try Fixtures.lines("dynamodb-streams.jsonl"))
        let b = try decode(try Fixtures.lines("kinesis-wrapped.jsonl"))
        let cols = a.batch.schema.fields.map(\.name).filter { $0 != EventOrder.columnName }
        #expect(try jsonRows(a.batch, columns: cols) == jsonRows(b.batch, columns: cols))
    }
}
