import PropertyBased
import Testing
@testable import LakeCore

@Suite struct PartitionPathTests {
    @Test func javaEscapeSet() {
        var escaped: [UInt32] = []
        for v in UInt32(0)...0x7F where PartitionPath.needsEscape(Unicode.Scalar(v)!) { escaped.append(v) }
        let expected: [UInt32] =
            Array(0...0x1F) + [
                0x22, 0x23, 0x25, 0x27, 0x2A, 0x2F, 0x3A, 0x3D, 0x3F, 0x5B, 0x5C, 0x5D, 0x5E, 0x7B, 0x7F,
            ]
        #expect(escaped == expected)
        #expect(PartitionPath.escape("a/b") == "a%2Fb")
        #expect(PartitionPath.escape("x=y") == "x%3Dy")
        #expect(PartitionPath.escape("50%") == "50%25")
        #expect(PartitionPath.escape("2024-01-01 10:00:00") == "2024-01-01 10%3A00%3A00")
        #expect(PartitionPath.escape("über") == "über")
        #expect(PartitionPath.escape("tab\there") == "tab%09here")
        #expect(PartitionPath.escape("a.b-c_d~e") == "a.b-c_d~e")
    }

    @Test func unescapeDecodesLikeJavaAndUTF8() {
        #expect(PartitionPath.unescape("a%2Fb") == "a/b")
        #expect(PartitionPath.unescape("a%2fb") == "a/b")
        #expect(PartitionPath.unescape("%C3%BC") == "ü")
        #expect(PartitionPath.unescape("%FC") == "ü")  // Latin-1 fallback, as Java
        #expect(PartitionPath.unescape("100%") == "100%")
        #expect(PartitionPath.unescape("%zz%4") == "%zz%4")
        #expect(PartitionPath.unescape("plain") == "plain")
    }

    @Test func hiveAndPlainPaths() throws {
        let hive = PartitionScheme(fields: ["byteField", "shortField"], hiveStyle: true, urlEncode: false)
        #expect(try hive.path(for: ["10", "300"]) == "byteField=10/shortField=300")
        #expect(try hive.values(of: "byteField=10/shortField=300") == ["10", "300"])
        #expect(
            try hive.path(for: [nil, ""])
                == "byteField=__HIVE_DEFAULT_PARTITION__/shortField=__HIVE_DEFAULT_PARTITION__")
        #expect(try hive.values(of: "byteField=__HIVE_DEFAULT_PARTITION__/shortField=x=y") == [nil, "x=y"])
        let plain = PartitionScheme(fields: ["byteField"], hiveStyle: false, urlEncode: false)
        #expect(try plain.path(for: ["10"]) == "10")
        #expect(try plain.values(of: "10") == ["10"])
        let none = PartitionScheme(fields: [], hiveStyle: true, urlEncode: true)
        #expect(try none.path(for: []) == "")
        #expect(try none.values(of: "") == [])
        #expect(PartitionPath.depth("") == 0 && PartitionPath.depth("a=1/b=2") == 2)
    }

    /// A value whose directory name would exceed 255 bytes is bad data, reported in a short
    /// message naming the field and the value's start, not an I/O error quoting the whole path.
    @Test func overlongSegmentsAreBadData() throws {
        let hive = PartitionScheme(fields: ["p"], hiveStyle: true, urlEncode: true)
        #expect(try hive.path(for: [String(repeating: "x", count: 253)]).utf8.count == 255)
        for (scheme, value) in [
            (hive, String(repeating: "x", count: 254)), (hive, String(repeating: "/", count: 90)),
            (PartitionScheme(fields: ["p"], hiveStyle: false, urlEncode: false), String(repeating: "é", count: 10_000)),
        ] {
            let e = #expect(throws: LakeError.self) { try scheme.path(for: [value]) }
            #expect(e?.code == .invalidInput)
            #expect(e?.message.contains("partition field p") == true && e?.message.contains("at most 255") == true)
            #expect((e?.message.count ?? .max) < 300, "\(e?.message ?? "")")
        }
    }

    @Test func encodedPaths() throws {
        let hive = PartitionScheme(fields: ["p", "q"], hiveStyle: true, urlEncode: true)
        #expect(try hive.path(for: ["a/b", "50%"]) == "p=a%2Fb/q=50%25")
        #expect(try hive.values(of: "p=a%2Fb/q=50%25") == ["a/b", "50%"])
        #expect(try hive.path(for: ["..", "."]) == "p=../q=.")
        let plain = PartitionScheme(fields: ["p", "q"], hiveStyle: false, urlEncode: true)
        #expect(try plain.path(for: ["..", ".hoodie"]) == "%2E./%2Ehoodie")
        #expect(try plain.values(of: "%2E./%2Ehoodie") == ["..", ".hoodie"])
        #expect(try plain.path(for: ["metadata", "metadata"]) == "%6Detadata/metadata")
        #expect(try plain.path(for: ["_delta_log", "x"]) == "%5Fdelta_log/x")
        #expect(try plain.values(of: "%6Detadata/metadata") == ["metadata", "metadata"])
    }

    @Test func rawTablesRefuseValuesThatWouldBreakThePath() throws {
        let hive = PartitionScheme(fields: ["p"], hiveStyle: true, urlEncode: false)
        #expect((#expect(throws: LakeError.self) { try hive.path(for: ["a/b"]) })?.code == .invalidInput)
        #expect(try hive.path(for: [".."]) == "p=..")
        let plain = PartitionScheme(fields: ["p"], hiveStyle: false, urlEncode: false)
        for bad in ["..", ".", ".hoodie", "metadata", "a/b", "a\0b"] {
            let e = #expect(throws: LakeError.self) { try plain.path(for: [bad]) }
            #expect(e?.code == .invalidInput)
            #expect(e?.message.contains("urlencode") == true)
        }
        #expect(try plain.path(for: ["a:b c"]) == "a:b c")
    }

    @Test func malformedPathsAndFieldsAreRejected() {
        let hive = PartitionScheme(fields: ["p", "q"], hiveStyle: true, urlEncode: true)
        #expect((#expect(throws: LakeError.self) { try hive.values(of: "p=1") })?.code == .corruptTable)
        #expect((#expect(throws: LakeError.self) { try hive.values(of: "p=1/r=2") })?.code == .corruptTable)
        #expect((#expect(throws: LakeError.self) { try hive.path(for: ["1"]) })?.code == .invalidArgument)
        #expect(
            (#expect(throws: LakeError.self) {
                try PartitionScheme(fields: [], hiveStyle: false, urlEncode: true).values(of: "x")
            })?.code == .corruptTable)
        for field in ["", "a/b", "a=b", ".x"] {
            let s = PartitionScheme(fields: [field], hiveStyle: true, urlEncode: true)
            #expect((#expect(throws: LakeError.self) { try s.path(for: ["1"]) })?.code == .invalidArgument)
        }
    }

    static let alphabet = [
        "a", "Z", "0", "/", ".", "..", "%", "%2F", "=", ":", "#", "?", "*", "\\", "\"", "'",
        "[", "]", "{", "^", " ", "\t", "\n", "\0", "\u{7F}", "ü", "日本", "🙂", "-", "_",
        "metadata", "_delta_log", ".hoodie", "__HIVE", "~", "+", ",",
    ]
    static let value = Gen.int(in: 0...(alphabet.count - 1)).array(of: 1...8).map { $0.map { alphabet[$0] }.joined() }

    @Test func anyValueRoundTripsAndStaysInsideTheRoot() async {
        await propertyCheck(count: 300, input: zip(Self.value, Self.value, Gen.bool)) { a, b, hive in
            let scheme = PartitionScheme(fields: ["f1", "f2"], hiveStyle: hive, urlEncode: true)
            let path = try scheme.path(for: [a, b])
            #expect(try scheme.values(of: path) == [a, b], "\(path)")
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            #expect(segments.count == 2)
            for s in segments {
                #expect(!s.isEmpty && s != "." && s != ".." && !s.hasPrefix("."))
                #expect(!s.unicodeScalars.contains { $0.value < 0x20 || $0 == "\\" })
            }
            #expect(!PartitionScheme.reservedTopLevel.contains(String(segments[0])))
            try StoragePath.validate(path)
        }
    }

    @Test func partitionMetadataFile() throws {
        let m = PartitionMetadata(commitTime: "20240707001301554", partitionDepth: 1)
        let text = String(decoding: m.serialized(savedAtMillis: 1_720_329_181_000), as: UTF8.self)
        #expect(
            text
                == "#partition metadata\n#Sun Jul 07 05:13:01 UTC 2024\ncommitTime=20240707001301554\npartitionDepth=1\n"
        )
        #expect(try PartitionMetadata(bytes: Array(text.utf8)) == m)
        let java = try PartitionMetadata(
            bytes: HudiFixtures.read(
                "v6_complexkeygen_hivestyle", "byteField=10/shortField=300/.hoodie_partition_metadata"))
        #expect(java == PartitionMetadata(commitTime: "20240418173213674", partitionDepth: 2))
        let root = try PartitionMetadata(bytes: HudiFixtures.read("v6_nonpartitioned", ".hoodie_partition_metadata"))
        #expect(root.partitionDepth == 0)
        #expect(
            (#expect(throws: LakeError.self) { try PartitionMetadata(bytes: Array("commitTime=1\n".utf8)) })?.code
                == .corruptTable)
        #expect(
            (#expect(throws: LakeError.self) { try PartitionMetadata(bytes: Array("partitionDepth=1\n".utf8)) })?.code
                == .corruptTable)
    }

    @Test(arguments: HudiFixtures.tableNames)
    func referencePartitionMetadataDepthsMatchPaths(table: String) throws {
        let storage = try HudiFixtures.table(table)
        for f in try storage.walkFiles(under: "") where f.name == PartitionMetadata.fileName {
            let m = try PartitionMetadata(bytes: storage.read(f.path))
            #expect(m.partitionDepth == PartitionPath.depth(StoragePath.parent(f.path)))
        }
    }
}
