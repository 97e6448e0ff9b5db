import Testing
@testable import LakeIngest

/// Columns inferred from NewImage attribute types, schema evolution, and refused changes.
@Suite struct InferenceTests {
    static func rec(_ id: String, _ attrs: String, event: String = "INSERT", line: Int = 0) -> String {
        let image = #"{"id":{"S":"\#(id)"}\#(attrs.isEmpty ? "" : ",")\#(attrs)}"#
        return
            #"{"eventName":"\#(event)","dynamodb":{"ApproximateCreationDateTime":\#(1_700_000_000 + line),"Keys":{"id":{"S":"\#(id)"}},"NewImage":\#(image),"SequenceNumber":"\#(line + 1)"}}"#
    }

    @Test func everyAttributeTypeInferred() throws {
        let b = try decode(
            Self.rec(
                "a",
                #""s":{"S":"x"},"n":{"N":"1"},"f":{"N":"1.5"},"b":{"B":"AAE="},"t":{"BOOL":true},"z":{"NULL":true},"ss":{"SS":["p"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AAE="]},"l":{"L":[{"S":"q"}]},"m":{"M":{"k":{"N":"3"},"inner":{"M":{"deep":{"BOOL":false}}}}}"#
            ))
        #expect(b.issues.isEmpty)
        #expect(
            schemaText(b.batch) == [
                "id: string", "s: string", "n: long", "f: double", "b: binary", "t: boolean", "ss: array<string>",
                "ns: array<long>",
                "bs: array<binary>", "l: array<string>", "m: struct<k:long,inner:struct<deep:boolean>>",
                "_event_time: timestamp_millis", "_event_order: string", "_hoodie_is_deleted: boolean",
            ])
        #expect(
            try jsonRows(b.batch, columns: ["s", "n", "f", "b", "t", "ss", "ns", "bs", "l", "m"]) == [
                #"{"s":"x","n":1,"f":1.5,"b":"AAE=","t":true,"ss":["p"],"ns":[1,2],"bs":["AAE="],"l":["q"],"m":{"k":3,"inner":{"deep":false}}}"#
            ])
    }

    /// Inside one batch: new attributes add nullable columns, numbers widen long → double.
    @Test func evolutionWithinABatch() throws {
        let text = [
            Self.rec("a", #""n":{"N":"1"}"#, line: 0),
            Self.rec("b", #""n":{"N":"2.5"},"extra":{"S":"new"}"#, line: 1),
            Self.rec("c", #""m":{"M":{"x":{"N":"1"}}}"#, line: 2),
            Self.rec("d", #""m":{"M":{"y":{"S":"later"}}},"l":{"L":[]}"#, line: 3),
            Self.rec("e", #""l":{"L":[{"N":"1"},{"N":"1.5"}]}"#, line: 4),
        ].joined(separator: "\n")
        let b = try decode(text)
        #expect(b.issues.isEmpty, "\(b.issues)")
        #expect(
            try jsonRows(b.batch, columns: ["id", "n", "extra", "m", "l"]) == [
                #"{"id":"a","n":1.0,"extra":null,"m":null,"l":null}"#,
                #"{"id":"b","n":2.5,"extra":"new","m":null,"l":null}"#,
                #"{"id":"c","n":null,"extra":null,"m":{"x":1,"y":null},"l":null}"#,
                #"{"id":"d","n":null,"extra":null,"m":{"x":null,"y":"later"},"l":[]}"#,
                #"{"id":"e","n":null,"extra":null,"m":null,"l":[1.0,1.5]}"#,
            ])
    }

    /// Across batches: the table's columns are the starting point; new attributes and wider
    /// numbers evolve it (the sink's schema evolves like the engine's).
    @Test func evolutionAcrossBatches() throws {
        let sink = MemorySink()
        func run(_ text: String) throws -> ChangeBatch {
            let b = try ChangeBatchBuilder(
                mapping: .inferred, tableSchema: sink.tableSchema, keyFields: sink.recordKeyFields, onError: .quarantine
            )
            try b.append(SourceChunk(bytes: Array(text.utf8), file: "x.jsonl"))
            let batch = try b.finish()
            _ = try sink.commit(batch, extraMetadata: [:])
            return batch
        }
        _ = try run(Self.rec("a", #""n":{"N":"1"},"small":{"N":"7"}"#))
        #expect(sink.tableSchema?.field(named: "n").flatMap { ColumnType(field: $0) } == .int64)
        let second = try run(Self.rec("b", #""n":{"N":"0.5"},"tags":{"SS":["x"]}"#))
        #expect(schemaText(second.batch).contains("n: double"))
        #expect(sink.tableSchema?.field(named: "n").flatMap { ColumnType(field: $0) } == .double)
        #expect(sink.tableSchema?.field(named: "tags") != nil && sink.tableSchema?.field(named: "small") != nil)
        // The table now says double: integers are built as doubles.
        let third = try run(Self.rec("c", #""n":{"N":"3"}"#))
        #expect(try jsonRows(third.batch, columns: ["n", "small", "tags"]) == [#"{"n":3.0,"small":null,"tags":null}"#])
        // A table column of int widens to long when a value needs it.
        sink.schema = TableSchema([.string("id"), .int32("i")])
        let fourth = try run(Self.rec("d", #""i":{"N":"5000000000"}"#))
        #expect(try jsonRows(fourth.batch, columns: ["i"]) == [#"{"i":5000000000}"#])
        #expect(schemaText(fourth.batch).contains("i: long"))
    }

    /// An incompatible change is refused, naming the attribute, the record and both types.
    @Test func incompatibleChangeIsRefused() throws {
        let text = [
            Self.rec("a", #""n":{"N":"1"}"#),
            Self.rec("b", #""n":{"S":"one"}"#),
            Self.rec("c", #""m":{"M":{"x":{"N":"1"}}}"#),
            Self.rec("d", #""m":{"M":{"x":{"BOOL":true}}}"#),
            Self.rec("e", #""l":{"L":[{"N":"1"},{"S":"two"}]}"#),
        ].joined(separator: "\n")
        let b = try decode(text, file: "changes.jsonl")
        #expect(b.rowCount == 2 && b.recordsIn == 5)
        #expect(
            b.issues.map(\.description) == [
                "changes.jsonl:2: attribute 'n': the value is S (string) but the column is long",
                "changes.jsonl:4: attribute 'm': member 'x': the value is BOOL (boolean) but the column is long",
                "changes.jsonl:5: attribute 'l': element 1: the value is S (string) but the column is long",
            ])
        #expect(throws: LakeError.self) { try decode(text, onError: .fail) }
        do {
            _ = try decode(text, onError: .fail, file: "changes.jsonl")
        } catch {
            #expect(
                (error as? LakeError)?.message
                    == "changes.jsonl:2: attribute 'n': the value is S (string) but the column is long")
        }
        // Against the table's schema.
        let table = TableSchema([.string("id"), .string("n")])
        let t = try decode(Self.rec("x", #""n":{"N":"1"}"#), tableSchema: table, keys: ["id"], file: "c.jsonl")
        #expect(
            t.issues.map(\.description) == [
                "c.jsonl:1: attribute 'n': the value is N (number) but the column is string"
            ])
    }

    /// Numeric key attributes are kept as their exact text, so keys never change form.
    @Test func numericKeysStayExact() throws {
        let text =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1,"Keys":{"pk":{"N":"100"},"sk":{"N":"15.50"}},"NewImage":{"pk":{"N":"100"},"sk":{"N":"15.50"},"v":{"N":"3"}}}}"#
        let b = try decode(text)
        #expect(b.recordKeyFields == ["pk", "sk"])
        #expect(try jsonRows(b.batch, columns: ["pk", "sk", "v"]) == [#"{"pk":"100","sk":"15.50","v":3}"#])
    }

    /// Columns whose values were all NULL so far have no type yet and are left out.
    @Test func nullOnlyAttributesWait() throws {
        let b = try decode(Self.rec("a", #""z":{"NULL":true},"e":{"L":[]},"m":{"M":{"q":{"NULL":true}}}"#))
        #expect(!schemaText(b.batch).contains { $0.hasPrefix("z:") || $0.hasPrefix("e:") || $0.hasPrefix("m:") })
    }
}
