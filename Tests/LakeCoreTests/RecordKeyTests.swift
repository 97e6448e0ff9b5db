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
        for values: [String?] in [["1", "Alice", "z"], ["1", nil, ""], ["a,b", "c:d", "e,name:f"], ["1", "2", "x:3,y"]] {
            let key = try RecordKey.complex(fields: fields, values: values)
            #expect(RecordKey.parseComplex(key, fields: fields) == values, "\(key)")
        }
        #expect(RecordKey.parseComplex("id:1", fields: ["name"]) == nil)
        #expect(RecordKey.parseComplex("id:1", fields: ["id", "name"]) == nil)
    }

    @Test func formatFollowsTheKeyGenerator() throws {
        #expect(try RecordKeyFormat(fields: ["id"], keyGenerator: .simple).key(["7"]) == "7")
        #expect(try RecordKeyFormat(fields: ["id"], keyGenerator: .complex).key(["7"]) == "id:7")
        #expect(try RecordKeyFormat(fields: ["id"], keyGenerator: .nonPartitioned).key(["7"]) == "7")
        #expect(try RecordKeyFormat(fields: ["id", "n"], keyGenerator: .nonPartitioned).key(["7", "x"]) == "id:7,n:x")
        #expect(try RecordKeyFormat(fields: ["id", "n"], keyGenerator: .other("Custom")).key(["7", "x"]) == "id:7,n:x")
        let f = RecordKeyFormat(fields: ["id", "name"], keyGenerator: .complex)
        #expect(f.values(of: "id:1,name:Alice") == ["1", "Alice"])
        #expect(RecordKeyFormat(fields: ["id"], keyGenerator: .simple).values(of: "5") == ["5"])
        #expect((#expect(throws: LakeError.self) { try f.key(["1"]) })?.code == .invalidArgument)
        #expect((#expect(throws: LakeError.self) { try RecordKeyFormat(fields: [], keyGenerator: .simple).key([]) })?.code == .invalidArgument)
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
