import Testing
@testable import LakeCore

@Suite struct JSONWriterTests {
    private func written(_ body: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        body(&out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapesOnlyWhatJSONRequires() {
        #expect(
            written { JSONWriter.appendString("a\"b\\c/\n\r\t\u{8}\u{C}\u{1}\u{1F}é😀\u{7F}", to: &$0) }
                == "\"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0001\\u001Fé😀\u{7F}\"")
        #expect(written { JSONWriter.appendString("", to: &$0) } == "\"\"")
        let long = String(repeating: "abcdefgh", count: 20) + "\"" + String(repeating: "x", count: 13)
        #expect(
            written { JSONWriter.appendString(long, to: &$0) } == "\"" + long.replacingOccurrences("\"", "\\\"") + "\"")
    }

    @Test func replacesInvalidUTF8() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0xE2, 0x82, 0x63, 0xF0, 0x9F, 0x98, 0x80]
        let s = bytes.withUnsafeBytes { b in written { JSONWriter.appendString(utf8: b, to: &$0) } }
        #expect(s == "\"a\u{FFFD}b\u{FFFD}\u{FFFD}c😀\"")
        #expect((try? JSONParser().parse(s)) != nil)
    }

    @Test func integers() {
        #expect(written { JSONWriter.appendInteger(Int64.min, to: &$0) } == "-9223372036854775808")
        #expect(written { JSONWriter.appendInteger(Int64(0), to: &$0) } == "0")
        #expect(written { JSONWriter.appendInteger(UInt64.max, to: &$0) } == "18446744073709551615")
        #expect(written { JSONWriter.appendPadded(7, width: 3, to: &$0) } == "007")
    }

    @Test func floatingPointIsShortestAndNonFiniteIsAString() {
        #expect(written { JSONWriter.appendDouble(0.1, to: &$0) } == "0.1")
        #expect(written { JSONWriter.appendDouble(5, to: &$0) } == "5.0")
        #expect(written { JSONWriter.appendDouble(-0.0, to: &$0) } == "-0.0")
        #expect(written { JSONWriter.appendDouble(1e16, to: &$0) } == "1e+16")
        #expect(written { JSONWriter.appendDouble(123456789012345.0, to: &$0) } == "123456789012345.0")
        #expect(written { JSONWriter.appendDouble(.nan, to: &$0) } == "\"NaN\"")
        #expect(written { JSONWriter.appendDouble(.infinity, to: &$0) } == "\"Infinity\"")
        #expect(written { JSONWriter.appendDouble(-.infinity, to: &$0) } == "\"-Infinity\"")
        #expect(written { JSONWriter.appendFloat(0.1, to: &$0) } == "0.1")
        #expect(written { JSONWriter.appendFloat(-.infinity, to: &$0) } == "\"-Infinity\"")
        for v in [0.30000000000000004, 1e-7, 2.5e300, -123.456, Double.leastNonzeroMagnitude] {
            let text = written { JSONWriter.appendDouble(v, to: &$0) }
            #expect(JSONNumber(text)?.double == v)
        }
    }

    @Test func writesValuesCompactly() throws {
        let v = JSONValue.object([
            JSONMember("a", .array([.null, .bool(false), .number(JSONNumber("1.50")!)])),
            JSONMember("b\n", .string("x")),
        ])
        #expect(v.jsonText == "{\"a\":[null,false,1.50],\"b\\n\":\"x\"}")
    }
}

@Suite struct JSONLinesTests {
    private func lines(_ text: String, first: Int = 1) -> [(Int, String)] {
        var t = text
        return t.withUTF8 { b in
            let raw = UnsafeRawBufferPointer(b)
            return JSONLines(raw, firstLineNumber: first).map {
                ($0.number, String(decoding: raw[$0.range], as: UTF8.self))
            }
        }
    }

    @Test func splitsSkipsBlankLinesAndKeepsNumbers() {
        let got = lines("{\"a\":1}\r\n\n   \t\r\n{\"a\":2}\n{\"a\":3}")
        #expect(got.map(\.0) == [1, 4, 5])
        #expect(got.map(\.1) == ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"])
        #expect(lines("x\n", first: 10).map(\.0) == [10])
        #expect(lines("").isEmpty)
        #expect(lines("\n\n\r\n").isEmpty)
    }

    @Test func completePrefix() {
        var t = "a\nbc\nde"
        let n = t.withUTF8 { JSONLines.completePrefixLength(of: UnsafeRawBufferPointer($0)) }
        #expect(n == 5)
        let c = t.withUTF8 { JSONLines.newlineCount(in: UnsafeRawBufferPointer($0)) }
        #expect(c == 2)
        var none = "abc"
        #expect(none.withUTF8 { JSONLines.completePrefixLength(of: UnsafeRawBufferPointer($0)) } == 0)
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
