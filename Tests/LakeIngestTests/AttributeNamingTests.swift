import Foundation
import LakeCore
import Testing
@testable import LakeIngest
import LakeTestSupport

/// Attribute names that are not valid column names, or that are reserved, become columns by one
/// documented rule in every path, and two names never share a column.
@Suite struct AttributeNamingTests {
    static func rec(_ id: String, _ attrs: String, event: String = "INSERT", line: Int = 0) -> String {
        InferenceTests.rec(id, attrs, event: event, line: line)
    }

    /// Every reserved name: Hudi's five meta columns, its other `_hoodie_` names and lake's own.
    static let reservedNames =
        TableSchema.metaColumns + [
            "_hoodie_is_deleted", "_hoodie_operation", "_hoodie_", "_hoodie_anything", "_event_order", "_event_time",
        ]

    @Test func hudiSanitizationRule() {
        let cases: [(String, String)] = [
            ("id", "id"), ("Name_2", "Name_2"), ("_x", "_x"), ("order-id", "order__id"), ("a.b", "a__b"), ("é", "__"),
            ("", "__"), ("1st", "__st"), ("😀", "____"), ("a b", "a__b"), ("x,y:z", "x__y__z"), ("名前", "____"),
            ("__typename", "__typename"), ("a\u{1}", "a__"),
        ]
        for (name, column) in cases {
            #expect(AttributeNaming.sanitized(name) == column, "\(name)")
            #expect(AttributeNaming.isValid(AttributeNaming.columnName(forAttribute: name)))
        }
    }

    @Test(arguments: reservedNames)
    func reservedNamesGetTheMaskInFront(_ name: String) {
        #expect(AttributeNaming.columnName(forAttribute: name) == "__" + name)
        #expect(AttributeNaming.memberName(forKey: name) == name, "nothing is reserved inside a struct")
        #expect(AttributeNaming.columnName(forAttribute: "pk", taken: ["pk"]) == "__pk")
        #expect(AttributeNaming.columnName(forAttribute: "_hoodie-x") == "___hoodie__x")
    }

    /// A reserved attribute lands in its renamed column and changes nothing else: not the
    /// ordering, not the delete marker, not the meta columns; the rename is reported.
    @Test(arguments: reservedNames)
    func reservedAttributeIsRenamedInATable(_ name: String) throws {
        let dir = TemporaryDirectory()
        // Claims to be the newest change of all, or a delete: it is neither.
        let (value, shown) =
            name == "_hoodie_is_deleted"
            ? (#"{"BOOL":true}"#, "true") : (#"{"S":"999999999999999-9"}"#, #""999999999999999-9""#)
        try dir.write(
            "in.jsonl",
            [
                Self.rec("a", #""v":{"N":"1"}"#, line: 0),
                Self.rec("a", #""v":{"N":"2"},"\#(name)":\#(value)"#, line: 1),
                Self.rec("a", #""v":{"N":"3"}"#, line: 2),
                Self.rec("b", #""\#(name)":\#(value)"#, event: "INSERT", line: 3),
            ].joined(separator: "\n") + "\n")
        var o = PipelineOptions()
        o.maxRecords = 2
        let sink = try TableSink(path: dir.path + "/t")
        let s = try MicroBatchPipeline(source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, options: o)
            .run()
        #expect(s.errors == 0)
        #expect(s.renamedAttributes == ["__" + name: name])
        #expect(s.windows.first?.description.contains("1 attribute name renamed ('\(name)' → __\(name))") == true)
        let t = try Table.open(dir.path + "/t")
        let rows = try t.read(ReadOptions(columns: ["id", "v", "__" + name])).flatMap { try jsonRows($0) }
        #expect(
            rows.sorted() == [#"{"id":"a","v":3,"__\#(name)":null}"#, #"{"id":"b","v":null,"__\#(name)":\#(shown)}"#])
        // A later batch keeps filling the same column (the table's record of names).
        let extra = try #require(try sink.latestExtraMetadata { $0[ColumnOwners.key] != nil })
        #expect(try ColumnOwners(json: extra[ColumnOwners.key]!).owner(of: "__" + name) == name)
    }

    @Test func invalidNamesAreSanitizedAndNeverShareAColumn() throws {
        let b = try decode(
            [
                Self.rec("a", #""order-id":{"S":"1"},"a.b":{"S":"2"},"é":{"S":"3"}"#, line: 0),
                // '' and 'ü' would be column '__', which 'é' fills: refused, with both names.
                Self.rec("b", #""":{"S":"4"}"#, line: 1),
                Self.rec("c", #""ü":{"S":"5"},"order-id":{"S":"6"}"#, line: 2),
                // A literal name that a rename already took: refused too.
                Self.rec("d", #""order__id":{"S":"7"}"#, line: 3),
                // Two names for one column in one record.
                Self.rec("e", #""x-y":{"S":"8"},"x.y":{"S":"9"}"#, line: 4),
                Self.rec("f", #""order-id":{"S":"10"}"#, line: 5),
            ].joined(separator: "\n"))
        #expect(
            try jsonRows(b.batch, columns: ["id", "order__id", "a__b", "__"]) == [
                #"{"id":"a","order__id":"1","a__b":"2","__":"3"}"#,
                #"{"id":"f","order__id":"10","a__b":null,"__":null}"#,
            ])
        #expect(b.issues.map(\.position.line) == [2, 3, 4, 5])
        #expect(b.issues[0].reason.hasPrefix("attribute '' would be column '__', which attribute 'é' already fills"))
        #expect(b.issues[1].reason.contains("attribute 'ü' would be column '__', which attribute 'é' already fills"))
        #expect(
            b.issues[2].reason.contains("attribute 'order__id' would be column 'order__id', which attribute 'order-id'")
        )
        #expect(b.issues[3].reason.contains("attribute 'x.y' would be column 'x__y', which attribute 'x-y'"))
        #expect(b.columnOwners.owners == ["order__id": "order-id", "a__b": "a.b", "__": "é", "x__y": "x-y"])
        #expect(b.renamedAttributes == b.columnOwners.owners)
    }

    /// Ownership lasts across batches and restarts, in both directions, also past commits of a
    /// mapping that derives no names (they neither read nor overwrite the record).
    @Test func ownershipLastsForTheTable() throws {
        let dir = TemporaryDirectory()
        let sink = try TableSink(path: dir.path + "/t")
        func run(_ lines: [String], mapping: IngestMapping = .inferred) throws -> PipelineSummary {
            try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
            var o = PipelineOptions()
            o.resume = false
            return try MicroBatchPipeline(
                source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, mapping: mapping,
                options: o
            ).run()
        }
        #expect(try run([Self.rec("a", #""order-id":{"S":"1"},"literal__x":{"S":"2"}"#)]).errors == 0)
        let fixed = try IngestMapping(
            json: Array(#"{"table":{"recordKey":"id"},"columns":[["dynamodb.NewImage.id.S","S","id","string"]]}"#.utf8))
        #expect(!fixed.derivesNames && IngestMapping.inferred.derivesNames)
        #expect(try run([Self.rec("z", "", line: 9)], mapping: fixed).errors == 0)
        // The table's column order__id belongs to 'order-id'; literal__x to the name itself.
        let later = try run([
            Self.rec("b", #""order__id":{"S":"3"}"#, line: 1),
            Self.rec("c", #""literal-x":{"S":"4"}"#, line: 2),
            Self.rec("d", #""order-id":{"S":"5"},"literal__x":{"S":"6"}"#, line: 3),
        ])
        #expect(later.errors == 2)
        let t = try Table.open(dir.path + "/t")
        let rows = try t.read(ReadOptions(columns: ["id", "order__id", "literal__x"])).flatMap { try jsonRows($0) }
        #expect(
            rows.sorted() == [
                #"{"id":"a","order__id":"1","literal__x":"2"}"#, #"{"id":"d","order__id":"5","literal__x":"6"}"#,
                #"{"id":"z","order__id":null,"literal__x":null}"#,
            ])
    }

    @Test func structMembersAreNamedAndOwnedLikeColumns() throws {
        let dir = TemporaryDirectory()
        let sink = try TableSink(path: dir.path + "/t")
        func run(_ lines: [String]) throws -> PipelineSummary {
            try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
            var o = PipelineOptions()
            o.resume = false
            return try MicroBatchPipeline(source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, options: o)
                .run()
        }
        let first = try run([
            Self.rec("a", #""m":{"M":{"zip-code":{"S":"1"},"_hoodie_commit_time":{"S":"2"},"":{"S":"3"}}}"#),
            Self.rec("b", #""m":{"M":{"zip.code":{"S":"4"}}}"#, line: 1),
            Self.rec("c", #""m":{"M":{"x-y":{"S":"5"},"x.y":{"S":"6"}}}"#, line: 2),
        ])
        #expect(first.errors == 2)
        #expect(first.renamedAttributes == ["m.zip__code": "zip-code", "m.__": "", "m.x__y": "x-y"])
        let second = try run([
            Self.rec("d", #""m":{"M":{"zip-code":{"S":"7"},"_hoodie_commit_time":{"S":"8"}}}"#, line: 3),
            Self.rec("e", #""m":{"M":{"zip__code":{"S":"9"}}}"#, line: 4),
        ])
        #expect(second.errors == 1)
        let t = try Table.open(dir.path + "/t")
        let rows = try t.read(ReadOptions(columns: ["id", "m"])).flatMap { try jsonRows($0) }.sorted()
        // `x__y` was seen only in the refused record: a quarantined record types no column (the
        // name stays claimed by `x-y`, so a later `x-y` value fills it).
        #expect(
            rows == [
                #"{"id":"a","m":{"zip__code":"1","_hoodie_commit_time":"2","__":"3"}}"#,
                #"{"id":"d","m":{"zip__code":"7","_hoodie_commit_time":"8","__":null}}"#,
            ])
    }

    /// Deletes (REMOVE records, read from the OldImage) follow the same names.
    @Test func removeRecordsUseTheSameNames() throws {
        let remove =
            #"{"eventName":"REMOVE","dynamodb":{"ApproximateCreationDateTime":1700000009,"Keys":{"id":{"S":"a"}},"OldImage":{"id":{"S":"a"},"order-id":{"S":"1"}},"SequenceNumber":"9"}}"#
        let b = try decode([Self.rec("a", #""order-id":{"S":"1"}"#), remove].joined(separator: "\n"))
        #expect(b.issues.isEmpty && b.deletes == 1)
        #expect(
            try jsonRows(b.batch, columns: ["id", "order__id", "_hoodie_is_deleted"]).last
                == #"{"id":"a","order__id":"1","_hoodie_is_deleted":true}"#)
    }

    /// The key discovered from `Keys` is named like its column.
    @Test func discoveredKeysAreColumnNames() throws {
        let line =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1700000000,"Keys":{"order-id":{"S":"k"}},"NewImage":{"order-id":{"S":"k"}},"SequenceNumber":"1"}}"#
        let b = try decode(line)
        #expect(b.recordKeyFields == ["order__id"] && b.issues.isEmpty)
        let noKey = line.replacingOccurrences(
            of: #""NewImage":{"order-id":{"S":"k"}}"#, with: #""NewImage":{"v":{"S":"k"}}"#)
        #expect(
            try decode(line + "\n" + noKey).issues.first?.reason
                == "the record has no value for the key column 'order__id'")
    }

    /// A mapping's own column names are reserved for its inferred attributes, and its targets
    /// must be valid names; a column without a target is named by the same rule.
    @Test func mappingsFollowTheSameRule() throws {
        let json = #"""
            {"table": {"recordKey": ["pk"]},
             "columns": [{"source": "dynamodb.Keys.pk.S", "target": "pk"}, {"source": "dynamodb.NewImage.order-id.S"}],
             "derived": [{"target": "tag", "expression": "upper(pk)"}],
             "unmappedAttributes": "infer"}
            """#
        let m = try IngestMapping(json: Array(json.utf8))
        #expect(m.columns[1].target == "order__id")
        let line =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1700000000,"Keys":{"pk":{"S":"k"}},"NewImage":{"pk":{"S":"k"},"order-id":{"S":"o"},"tag":{"S":"t"},"_event_order":{"S":"e"}},"SequenceNumber":"1"}}"#
        let b = try decode(line, mapping: m)
        #expect(b.issues.isEmpty, "\(b.issues)")
        #expect(
            try jsonRows(b.batch, columns: ["pk", "order__id", "__pk", "__tag", "tag", "___event_order"])
                == [#"{"pk":"k","order__id":"o","__pk":"k","__tag":"t","tag":"K","___event_order":"e"}"#])
        for bad in ["order-id", "_hoodie_x", "é"] {
            let text =
                #"{"table":{"recordKey":["id"]},"columns":[{"source":"dynamodb.NewImage.id.S","target":"\#(bad)"}]}"#
            #expect(throws: LakeError.self) { try IngestMapping(json: Array(text.utf8)) }
        }
        #expect(throws: LakeError.self) { try ColumnType(parsing: "struct<a-b:string>") }
    }
}
