import Testing
import PropertyBased
@testable import LakeCore
import LakeTestSupport

@Suite struct JSONParserTests {
    static let valid: [String] = [
        "null", "true", "false", "0", "-0", "1", "-1", "12.5e-3", "1E+2", "0.0", "-0.5e0",
        "\"\"", "\"a\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0041\\u00e9\\u20AC\"", "\"\\ud83d\\ude00\"",
        "\"é€😀\"", "[]", "[1,2,3]", "[ [ ] , { } ]", "{}", "{\"a\":1}", "{ \"a\" : [ true , null ] }",
        " \t\r\n 1 \t\r\n ", "{\"a\":1,\"a\":2}", "\"\\u0000\"", "123456789012345678901234567890",
    ]

    static let invalid: [(String, String)] = [
        ("", "expected a value, found end of input"),
        ("  ", "expected a value"),
        ("nul", "expected null, found nul"),
        ("True", "expected a value"),
        ("01", "leading zeros"),
        ("-", "a digit after '-'"),
        ("1.", "a digit after the decimal point"),
        (".5", "expected a value"),
        ("1e", "a digit in the exponent"),
        ("+1", "expected a value"),
        ("NaN", "expected a value"),
        ("Infinity", "expected a value"),
        ("0x10", "after the JSON value"),
        ("[1,]", "expected a value"),
        ("[1 2]", "',' or ']'"),
        ("{\"a\" 1}", "':' after an object key"),
        ("{\"a\":1,}", "a string key"),
        ("{a:1}", "a string key"),
        ("{'a':1}", "a string key"),
        ("{\"a\":1", "',' or '}'"),
        ("[", "expected a value"),
        ("\"abc", "unterminated string"),
        ("\"a\u{1}b\"", "control character U+0001"),
        ("\"a\nb\"", "control character U+000A"),
        ("\"\\x\"", "invalid escape '\\x'"),
        ("\"\\u12G4\"", "not a hex digit"),
        ("\"\\ud83d\"", "not followed by a low surrogate"),
        ("\"\\ud83d\\u0041\"", "not a low surrogate"),
        ("\"\\ude00\"", "unpaired low surrogate"),
        ("1 2", "after the JSON value"),
        ("{} x", "after the JSON value"),
        ("[1]]", "after the JSON value"),
    ]

    @Test(arguments: JSONParserTests.valid)
    func acceptsValidDocuments(_ text: String) throws {
        _ = try JSONParser().parse(text)
    }

    @Test(arguments: JSONParserTests.invalid)
    func rejectsInvalidDocuments(_ text: String, _ expected: String) {
        #expect {
            _ = try JSONParser().parse(text)
        } throws: { error in
            guard let e = error as? LakeError else { return false }
            return e.code == .invalidInput && e.message.contains(expected) && e.message.hasPrefix("column ")
        }
    }

    @Test func rejectsInvalidUTF8() throws {
        for bytes: [UInt8] in [
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        ] {
            #expect(throws: LakeError.self) { _ = try JSONParser().parse(bytes) }
        }
        #expect(try JSONParser().parse([0x22, 0xE2, 0x82, 0xAC, 0x22]) == .string("€"))
    }

    @Test func errorNamesTheColumn() throws {
        let e = try #require(throws: LakeError.self) { _ = try JSONParser().parse("{\"a\": [1, 2,, 3]}") }
        #expect(e.message == "column 13: expected a value, found ','")
    }

    @Test func parsesStructureInDocumentOrder() throws {
        let v = try JSONParser().parse("{\"b\": [1, \"x\", null, true], \"a\": {\"c\": -2.50}}")
        #expect(
            v
                == .object([
                    JSONMember("b", .array([.number(JSONNumber("1")!), .string("x"), .null, .bool(true)])),
                    JSONMember("a", .object([JSONMember("c", .number(JSONNumber("-2.50")!))])),
                ]))
        #expect(v["a"]?["c"]?.numberValue?.text == "-2.50")
        #expect(v["b"]?[1]?.stringValue == "x")
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser().parse("\"\\ud83d\\ude00 \\u00e9\\n\\/\"") == .string("😀 é\n/"))
        #expect(try JSONParser().parse("\"\\uDBFF\\uDFFF\"") == .string("\u{10FFFF}"))
        #expect(try JSONParser().parse("\"\\u0000\"") == .string("\u{0}"))
    }

    @Test func numbersKeepTheirExactText() throws {
        let big = "12345678901234567890123456789012345678"
        let n = try #require(try JSONParser().parse(big).numberValue)
        #expect(n.text == big)
        #expect(n.int64 == nil)
        #expect(n.uint64 == nil)
        #expect(n.double == 1.2345678901234568e37)
        #expect(JSONNumber("9223372036854775807")!.int64 == .max)
        #expect(JSONNumber("-9223372036854775808")!.int64 == .min)
        #expect(JSONNumber("9223372036854775808")!.int64 == nil)
        #expect(JSONNumber("9223372036854775808")!.uint64 == 9_223_372_036_854_775_808)
        #expect(JSONNumber("18446744073709551615")!.uint64 == .max)
        #expect(JSONNumber("18446744073709551616")!.uint64 == nil)
        #expect(JSONNumber("-1")!.uint64 == nil)
        #expect(JSONNumber("1.0")!.int64 == nil)
        #expect(JSONNumber("1e400")!.double == nil)
        #expect(JSONNumber("1e-400")!.double == 0)
        #expect(JSONNumber("0.1")!.double == 0.1)
        #expect(JSONNumber("9007199254740993")!.double == 9_007_199_254_740_992)
        #expect(JSONNumber("2.2250738585072011e-308")!.double == Double("2.2250738585072011e-308")!)
        #expect(JSONNumber("3.4028235e38")!.float == Float.greatestFiniteMagnitude)
        #expect(JSONNumber("3.4028236e38")!.float == nil)
        #expect(JSONNumber("1e39")!.float == nil)
        #expect(JSONNumber("0.000001")!.float == Float("0.000001"))
        #expect(JSONNumber("1.5")?.isInteger == false)
        #expect(JSONNumber("01") == nil)
        #expect(JSONNumber("1 ") == nil)
    }

    @Test func fastDoublePathAgreesWithTheStandardLibrary() async {
        await propertyCheck(
            count: 300, input: Gen<Int64>.value(in: -999_999_999_999...999_999_999_999), Gen.int(in: -30...30)
        ) { m, e in
            let text = "\(m)e\(e)"
            let parsed = text.utf8CString.withUnsafeBytes {
                JSONNumber.double(fromText: UnsafeRawBufferPointer(rebasing: $0.dropLast()))
            }
            #expect(parsed == Double(text))
            let parsedFloat = text.utf8CString.withUnsafeBytes {
                JSONNumber.float(fromText: UnsafeRawBufferPointer(rebasing: $0.dropLast()))
            }
            if let f = Float(text), f.isFinite { #expect(parsedFloat == f) }
        }
    }

    @Test func nestingIsLimited() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONParser().parse(ok)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let e = try #require(throws: LakeError.self) { _ = try JSONParser().parse(deep) }
        #expect(e.message.contains("nesting deeper than 512"))
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: LakeError.self) { _ = try JSONParser().parse(hostile) }
        var s = JSONScanner(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(throws: LakeError.self) { try s.skipValue() }
    }

    @Test func skipValueValidatesLikeParse() throws {
        for text in Self.valid {
            var t = text
            try t.withUTF8 { b in
                var s = JSONScanner(UnsafeRawBufferPointer(b))
                try s.skipValue()
                try s.expectEnd()
            }
        }
        for (text, _) in Self.invalid {
            var t = text
            let failed = t.withUTF8 { b -> Bool in
                var s = JSONScanner(UnsafeRawBufferPointer(b))
                do {
                    try s.skipValue()
                    try s.expectEnd()
                    return false
                } catch { return true }
            }
            #expect(failed, "skipValue accepted \(text)")
        }
    }

    @Test func randomValuesSurviveWriteThenParse() async {
        await propertyCheck(count: 300, input: Gen<UInt64>.value()) { seed in
            var rng = SplitMix(seed: seed)
            let v = randomJSON(&rng, depth: 0)
            let text = v.jsonText
            let back = try JSONParser().parse(text)
            #expect(back == v, "\(text)")
        }
    }
}

func randomString(_ rng: inout SplitMix, maxLength: Int = 8) -> String {
    var s = ""
    for _ in 0..<Int.random(in: 0...maxLength, using: &rng) {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0..<0x20, using: &rng)))
        case 1: s += ["\"", "\\", "/", "\u{7F}"].randomElement(using: &rng)!
        case 2: s.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0x80...0xD7FF, using: &rng))!)
        case 3: s.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0x10000...0x10FFFF, using: &rng))!)
        default: s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0x20..<0x7F, using: &rng)))
        }
    }
    return s
}

func randomJSON(_ rng: inout SplitMix, depth: Int) -> JSONValue {
    let kinds = depth > 4 ? 4 : 6
    switch Int.random(in: 0..<kinds, using: &rng) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2:
        let texts = [
            "0", "-0", "\(Int64.random(in: .min ... .max, using: &rng))",
            "\(UInt64.random(in: 0 ... .max, using: &rng))",
            "\(Int.random(in: -999...999, using: &rng)).\(Int.random(in: 0...999, using: &rng))e\(Int.random(in: -40...40, using: &rng))",
            "123456789012345678901234567890.123456789", "\(Double.random(in: -1e9...1e9, using: &rng))",
        ]
        return .number(JSONNumber(texts.randomElement(using: &rng)!)!)
    case 3: return .string(randomString(&rng))
    case 4:
        return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomJSON(&rng, depth: depth + 1) })
    default:
        return .object(
            (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                JSONMember(randomString(&rng, maxLength: 4), randomJSON(&rng, depth: depth + 1))
            })
    }
}
