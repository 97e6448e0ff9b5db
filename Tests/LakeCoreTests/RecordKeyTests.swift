import LakeTestSupport
import Testing
@testable import LakeCore

@Suite struct RecordKeyTests {
    @Test func simpleKeys() throws {
        #expect(try RecordKey.simple("1", field: "id") == "1")
        #expect((#expect(throws: LakeError.self) { try RecordKey.simple(nil, field: "id") })?.code == .invalidInput)
        #expect((#expect(throws: LakeError.self) { try RecordKey.simple("", field: "id") })?.code == .invalidInput)
    }

    @Test func complexKeysLikeJava() throws {
        #expect(try RecordKey.complex(fields: ["id", "name"], values: ["1", "Alice"]) == "id:1,name:Alice")
        #expect(try RecordKey.complex(fields: ["id"], values: ["1"]) == "id:1")
        #expect(try RecordKey.complex(fields: ["id", "name"], values: ["1", nil]) == "id:1,name:__null__")
        #expect(try RecordKey.complex(fields: ["id", "name"], values: ["", "x"]) == "id:__empty__,name:x")
        let e = #expect(throws: LakeError.self) { try RecordKey.complex(fields: ["a", "b"], values: [nil, ""]) }
        #expect(e?.code == .invalidInput)
    }

    @Test func complexKeysParseBack() throws {
        let fields = ["id", "name", "x"]
        for values: [String?] in [
            ["1", "Alice", "z"], ["1", nil, ""], ["a,b", "c:d", "e,name:f"], ["1", "2", "x:3,y"],
        ] {
            let key = try RecordKey.complex(fields: fields, values: values)
            #expect(RecordKey.parseComplex(key, fields: fields) == values, "\(key)")
        }
        #expect(RecordKey.parseComplex("id:1", fields: ["name"]) == nil)
        #expect(RecordKey.parseComplex("id:1", fields: ["id", "name"]) == nil)
    }

    /// Values that would give two rows one complex key are refused, with the reason; any other
    /// `,` or `:` is kept, and keys of distinct rows stay distinct.
    @Test func ambiguousComplexKeysAreRefused() throws {
        let fields = ["a", "b"]
        for (values, why) in [
            (["x,b:y", "z"], "contains ',b:'"), (["__null__", "z"], "writes for a null value"),
            (["x", "__empty__"], "writes for an empty value"), (["__null__"], "null value"),
        ] as [([String?], String)] {
            let e = #expect(throws: LakeError.self) {
                try RecordKey.complex(fields: Array(fields.prefix(values.count)), values: values)
            }
            #expect(e?.code == .invalidInput && e?.message.contains(why) == true, "\(values): \(e?.message ?? "")")
            #expect(e?.message.contains("record key field '") == true)
        }
        // The two rows Java would merge: one of them is refused, the other keeps its key.
        #expect(try RecordKey.complex(fields: fields, values: ["x", "y,b:z"]) == "a:x,b:y,b:z")
        // Separators elsewhere are harmless.
        for values: [String?] in [
            ["x:1", "y"], ["a,b", "c:d"], ["x,a:y", "z"], ["__null__x", ",b"], [nil, "q"], ["", "q"],
        ] {
            let key = try RecordKey.complex(fields: fields, values: values)
            #expect(RecordKey.parseComplex(key, fields: fields) == values, "\(key)")
        }
    }

    /// Distinct rows never share a key: every accepted pair of value tuples over a hostile
    /// alphabet gives distinct keys.
    @Test func acceptedComplexKeysAreInjective() throws {
        let atoms = ["", ",", ":", "b", "a", ",b:", ",a:", "__null__", "__empty__", "x"]
        var texts: Set<String> = []
        for x in atoms { for y in atoms { texts.insert(x + y) } }
        let values: [String?] = [nil] + texts.sorted()
        var seen: [String: [String?]] = [:]
        for v1 in values {
            for v2 in values {
                guard let key = try? RecordKey.complex(fields: ["a", "b"], values: [v1, v2]) else { continue }
                if let other = seen[key] { Issue.record("\(other) and \([v1, v2]) share key \(key)") }
                seen[key] = [v1, v2]
                #expect(RecordKey.parseComplex(key, fields: ["a", "b"]) == [v1, v2])
            }
        }
        #expect(seen.count > 3000)
    }

    /// The rows a write would refuse, one by one, as the write refuses them.
    @Test func recordKeyCheckFindsTheRowsAWriteRefuses() throws {
        let fields: [ParquetField] = [.string("a"), .string("b"), .string("p")]
        let rows: [[String: ModelValue]] = [
            ["a": .string("x"), "b": .string("y"), "p": .string("a/b")],
            ["a": .string("x,b:y"), "b": .string("z"), "p": .null],
            ["a": .null, "b": .null, "p": .string("q")],
            ["a": .string("__empty__"), "b": .string("1"), "p": .string("q")],
        ]
        let batch = RecordBatch.from(rows, fields: fields)
        let config = TableConfig(name: "t", recordKeyFields: ["a", "b"], partitionFields: ["p"])
        let problems = try RecordKeyCheck.problems(in: batch, config: config)
        #expect(problems.keys.sorted() == [1, 2, 3])
        #expect(problems[2]?.contains("all null or empty") == true)
        // A table that does not URL-encode cannot store 'a/b': that row too.
        var raw = config
        raw.urlEncodePartitioning = false
        #expect(try RecordKeyCheck.problems(in: batch, config: raw)[0]?.contains("contains '/'") == true)
        // A partition directory name no file system stores.
        let long = RecordBatch.from(
            [["a": .string("x"), "b": .string("y"), "p": .string(String(repeating: "é", count: 200))]],
            fields: fields)
        #expect(
            try RecordKeyCheck.problems(in: long, config: config)[0]?.contains("directory name of 402 bytes") == true)
        // Simple keys: empty and null are refused; a missing column is null in every row.
        let simple = TableConfig(name: "t", recordKeyFields: ["b"], keyGenerator: .simple)
        #expect(try RecordKeyCheck.problems(in: batch, config: simple).keys.sorted() == [2])
        let missing = TableConfig(name: "t", recordKeyFields: ["nope"], keyGenerator: .simple)
        #expect(try RecordKeyCheck.problems(in: batch, config: missing).count == 4)
    }

    /// The check's cheap pre-scan misses nothing: on random hostile rows it refuses exactly the
    /// rows a row-by-row application of the key format and the partition scheme refuses.
    @Test func recordKeyCheckAgreesWithTheRulesRowByRow() throws {
        var rng = SplitMix(seed: 42)
        let atoms = ["", ",", ":", "b", "a:", ",b:", "__null__", "__empty__", "__", "_", "/", ".", "x", "é", "%"]
        func value() -> ModelValue {
            if Int.random(in: 0..<8, using: &rng) == 0 { return .null }
            var s = ""
            for _ in 0..<Int.random(in: 0...3, using: &rng) { s += atoms[Int.random(in: 0..<atoms.count, using: &rng)] }
            if Int.random(in: 0..<20, using: &rng) == 0 {
                s += String(repeating: "é", count: Int.random(in: 40...140, using: &rng))
            }
            return .string(s)
        }
        let fields: [ParquetField] = [.string("a"), .string("b"), .string("p"), .int64("n")]
        for round in 0..<40 {
            let rows = (0..<200).map { _ in
                [
                    "a": value(), "b": value(), "p": value(),
                    "n": Bool.random(using: &rng) ? .int(Int64.random(in: -9...9, using: &rng)) : .null,
                ]
            }
            let batch = RecordBatch.from(rows, fields: fields)
            let keySets = [["a", "b"], ["a"], ["n", "a"], ["b", "n"]]
            var config = TableConfig(
                name: "t", recordKeyFields: keySets[round % 4], partitionFields: round % 3 == 0 ? ["p", "n"] : ["p"],
                hiveStylePartitioning: round % 2 == 0, urlEncodePartitioning: round % 5 != 0)
            if round % 7 == 0 { config.keyGenerator = .complex }
            var want: [Int: String] = [:]
            for (r, row) in rows.enumerated() {
                let keyValues = config.recordKeyFields.map { row[$0]?.text }
                do { _ = try config.recordKeyFormat.key(keyValues) } catch { want[r] = error.message; continue }
                let partValues = config.partitionFields.map { row[$0]?.text }
                do {
                    let path = try config.partitionScheme.path(for: partValues)
                    if path.split(separator: "/").contains(where: { $0.utf8.count > PartitionScheme.maxSegmentBytes }) {
                        want[r] = "too long"
                    }
                } catch { want[r] = error.message }
            }
            let got = try RecordKeyCheck.problems(in: batch, config: config)
            #expect(Set(got.keys) == Set(want.keys), "round \(round)")
            for (r, why) in want where why != "too long" { #expect(got[r] == why) }
        }
    }

    @Test func formatFollowsTheKeyGenerator() throws {
        #expect(try RecordKeyFormat(fields: ["id"], keyGenerator: .simple).key(["7"]) == "7")
        #expect(try RecordKeyFormat(fields: ["id"], keyGenerator: .complex).key(["7"]) == "id:7")
        #expect(try RecordKeyFormat(fields: ["id"], keyGenerator: .nonPartitioned).key(["7"]) == "7")
        #expect(try RecordKeyFormat(fields: ["id", "n"], keyGenerator: .nonPartitioned).key(["7", "x"]) == "id:7,n:x")
        #expect(
            try RecordKeyFormat(fields: ["id", "n"], keyGenerator: .other("Custom")).key(["7", "x"]) == "id:7,n:x")
        let f = RecordKeyFormat(fields: ["id", "name"], keyGenerator: .complex)
        #expect(f.values(of: "id:1,name:Alice") == ["1", "Alice"])
        #expect(RecordKeyFormat(fields: ["id"], keyGenerator: .simple).values(of: "5") == ["5"])
        #expect((#expect(throws: LakeError.self) { try f.key(["1"]) })?.code == .invalidArgument)
        #expect(
            (#expect(throws: LakeError.self) { try RecordKeyFormat(fields: [], keyGenerator: .simple).key([]) })?.code
                == .invalidArgument)
    }

    /// The keys in the reference tables' base files (footer min/max record keys).
    @Test func referenceTableKeyStyles() throws {
        let complex = try TableConfig.load(from: HudiFixtures.table("v6_complexkeygen_hivestyle")).recordKeyFormat
        #expect(try complex.key(["1", "Alice"]) == "id:1,name:Alice")
        let simple = try TableConfig.load(from: HudiFixtures.table("v6_simplekeygen_nonhivestyle")).recordKeyFormat
        #expect(try simple.key(["1"]) == "1")
        let nonPartitioned = try TableConfig.load(from: HudiFixtures.table("v6_nonpartitioned")).recordKeyFormat
        #expect(try nonPartitioned.key(["4"]) == "4")
    }
}
