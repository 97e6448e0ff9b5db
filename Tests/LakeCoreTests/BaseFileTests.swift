import PropertyBased
import Testing
@testable import LakeCore

@Suite struct BaseFileTests {
    @Test func parsesJavaNames() throws {
        let b = try BaseFile(fileName: "a22e8257-e249-45e9-ba46-115bc85adcba-0_0-161-223_20240418173235694.parquet")
        #expect(b.fileId == "a22e8257-e249-45e9-ba46-115bc85adcba-0")
        #expect(b.writeToken == "0-161-223")
        #expect(b.instantTime == "20240418173235694")
        #expect(b.fileName == "a22e8257-e249-45e9-ba46-115bc85adcba-0_0-161-223_20240418173235694.parquet")
    }

    @Test func formatsFromParts() throws {
        let b = try BaseFile(
            fileId: "f-0", writeToken: BaseFile.writeToken(taskPartition: 0, stage: 0, attempt: 0),
            instantTime: "20250101120000000")
        #expect(b.fileName == "f-0_0-0-0_20250101120000000.parquet")
        #expect(try BaseFile(fileName: b.fileName) == b)
        #expect(BaseFile.parse("nope.parquet") == nil)
    }

    @Test(arguments: [
        "part-0000.parquet", "a_b_c_20250101120000000.parquet", "f-0_0-0-0_20250101120000000.orc",
        "f-0_0-0-0_2025010112.parquet", "f-0_0-0-0_20250101120000000x.parquet", "_0-0-0_20250101120000000.parquet",
        "f-0__20250101120000000.parquet", "f.0_0-0-0_20250101120000000.parquet", "f-0_0-0-0_20250101120000000",
        "f-0_0-0-0_20250101120000000.parquet.crc", ".hoodie_partition_metadata",
    ])
    func rejectsNonBaseFileNames(name: String) {
        let e = #expect(throws: LakeError.self) { try BaseFile(fileName: name) }
        #expect(e?.code == .corruptTable)
        #expect(e?.message.contains(name) == true)
    }

    @Test func rejectsInvalidParts() {
        let e = #expect(throws: LakeError.self) {
            try BaseFile(fileId: "a_b", writeToken: "0-0-0", instantTime: "20250101120000000")
        }
        #expect(e?.code == .invalidArgument)
        #expect(e?.message.contains("'_'") == true)
        #expect(throws: LakeError.self) {
            try BaseFile(fileId: "a", writeToken: "0/0", instantTime: "20250101120000000")
        }
        #expect(throws: LakeError.self) { try BaseFile(fileId: "a", writeToken: "", instantTime: "20250101120000000") }
        #expect(throws: LakeError.self) { try BaseFile(fileId: "a", writeToken: "1", instantTime: "2025") }
    }

    @Test func validPartsRoundTrip() async {
        let part = Gen.letterOrNumber.string(of: 1...12)
        await propertyCheck(count: 200, input: zip(part, part, Gen.int(in: 0...9_999_999))) { id, token, n in
            let instant = "2025010112" + String(n).leftPadded(to: 7)
            let b = try BaseFile(fileId: id + "-0", writeToken: token, instantTime: instant)
            #expect(try BaseFile(fileName: b.fileName) == b)
        }
    }

    @Test func fileIdGeneration() {
        var g = FileIdGenerator(seed: 42)
        var h = FileIdGenerator(seed: 42)
        let ids = (0..<100).map { _ in g.next() }
        #expect(ids == (0..<100).map { _ in h.next() })
        #expect(Set(ids).count == 100)
        for id in ids {
            #expect(FileIdGenerator.isValid(id))
            #expect(id.utf8.count == 38 && id.hasSuffix("-0"))
            let uuid = Array(id.utf8)
            #expect(uuid[14] == UInt8(ascii: "4"))  // version 4
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(uuid[19]))
            #expect(uuid[8] == UInt8(ascii: "-") && uuid[13] == UInt8(ascii: "-"))
        }
        var system = FileIdGenerator()
        #expect(system.next(index: 3).hasSuffix("-3"))
        #expect(system.nextUUID() != system.nextUUID())
        #expect(!FileIdGenerator.isValid("a_b"))
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
