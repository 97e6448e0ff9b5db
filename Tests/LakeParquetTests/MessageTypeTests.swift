import PropertyBased
import Testing
@testable import LakeParquet
import LakeTestSupport

/// The parse error `text` produces, or `nil` if it parses.
func messageTypeError(_ text: String) -> ParquetError? {
    do throws(ParquetError) {
        _ = try ParquetSchema(messageType: text)
        return nil
    } catch {
        return error
    }
}

@Suite struct MessageTypeTests {
    static let example = """
        message schema { required int64 id; optional binary name (STRING); optional fixed_len_byte_array(16) d (DECIMAL(38,10));
          optional int64 ts (TIMESTAMP(MICROS,true)); optional group tags (LIST) { repeated group list { optional binary element (STRING); } } }
        """

    static let exampleSchema = ParquetSchema([
        .int64("id", nullable: false),
        .string("name"),
        .decimal("d", precision: 38, scale: 10),
        .timestamp("ts", unit: .micros),
        .list("tags", element: .string("element")),
    ])

    @Test func parsesTheDocumentedExample() throws {
        let schema = try ParquetSchema(messageType: Self.example)
        #expect(schema == Self.exampleSchema)
        #expect(schema.leaves.map(\.dottedPath) == ["id", "name", "d", "ts", "tags.list.element"])
        #expect(schema.leaves[4].maxDefinitionLevel == 3)
        #expect(schema.leaves[4].maxRepetitionLevel == 1)
    }

    @Test func printsParquetMrLayout() {
        let expected = """
            message schema {
              required int64 id;
              optional binary name (STRING);
              optional fixed_len_byte_array(16) d (DECIMAL(38,10));
              optional int64 ts (TIMESTAMP(MICROS,true));
              optional group tags (LIST) {
                repeated group list {
                  optional binary element (STRING);
                }
              }
            }

            """
        #expect(Self.exampleSchema.messageType() == expected)
    }

    @Test func printsFieldIdsAndOtherAnnotations() throws {
        var id = ParquetField.int32("a", nullable: false)
        id.fieldId = 7
        var kv = ParquetField(
            name: "key_value", repetition: .repeated,
            kind: .group([.string("key", nullable: false), .int32("value")], logical: .map, converted: .mapKeyValue))
        kv.fieldId = -2
        let schema = ParquetSchema(
            [
                id,
                ParquetField(name: "legacy", repetition: .optional, kind: .group([kv], logical: .map, converted: .map)),
                ParquetField(
                    name: "iv", repetition: .required,
                    kind: .primitive(.fixedLenByteArray, typeLength: 12, logical: nil, converted: .interval)),
                .primitive("u8", .int32, logical: .integer(bitWidth: 8, isSigned: false)),
                .primitive("t", .int64, logical: .time(isAdjustedToUTC: false, unit: .nanos), nullable: false),
            ], rootName: "m")
        let text = schema.messageType()
        #expect(
            text == """
                message m {
                  required int32 a = 7;
                  optional group legacy (MAP) {
                    repeated group key_value (MAP_KEY_VALUE) = -2 {
                      required binary key (STRING);
                      optional int32 value;
                    }
                  }
                  required fixed_len_byte_array(12) iv (INTERVAL);
                  optional int32 u8 (INTEGER(8,false));
                  required int64 t (TIME(NANOS,false));
                }

                """)
        #expect(try ParquetSchema(messageType: text) == schema)
    }

    @Test func printParseRoundTripProperty() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            let schema = RandomSchema.schema(&rng)
            let text = schema.messageType()
            let parsed = try ParquetSchema(messageType: text)
            #expect(parsed == schema, "\(text)")
            #expect(parsed.messageType() == text)
        }
    }

    @Test func keywordsAreCaseInsensitive() throws {
        let schema = try ParquetSchema(
            messageType: """
                MESSAGE m {
                  REQUIRED INT32 a (date);
                  Optional Group g (list) { Repeated GROUP list { required BINARY element (utf8); } }
                  optional Fixed_Len_Byte_Array(16) u (uuid);
                  optional int64 ts (timestamp(millis,FALSE));
                }
                """)
        #expect(
            schema
                == ParquetSchema(
                    [
                        .date("a", nullable: false),
                        .list("g", element: .string("element", nullable: false)),
                        .primitive("u", .fixedLenByteArray, logical: .uuid, typeLength: 16),
                        .primitive("ts", .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .millis)),
                    ], rootName: "m"))
    }

    @Test func legacyAnnotationsMeanTheirModernSpelling() throws {
        let pairs = [
            ("binary x (UTF8)", "binary x (STRING)"),
            ("int64 x (TIMESTAMP_MICROS)", "int64 x (TIMESTAMP(MICROS,true))"),
            ("int64 x (TIMESTAMP_MILLIS)", "int64 x (TIMESTAMP(MILLIS,true))"),
            ("int32 x (TIME_MILLIS)", "int32 x (TIME(MILLIS,true))"),
            ("int64 x (TIME_MICROS)", "int64 x (TIME(MICROS,true))"),
            ("int32 x (INT_8)", "int32 x (INTEGER(8,true))"),
            ("int32 x (INT_16)", "int32 x (INTEGER(16,true))"),
            ("int32 x (INT_32)", "int32 x (INTEGER(32,true))"),
            ("int64 x (INT_64)", "int64 x (INTEGER(64,true))"),
            ("int32 x (UINT_8)", "int32 x (INTEGER(8,false))"),
            ("int32 x (UINT_16)", "int32 x (INTEGER(16,false))"),
            ("int32 x (UINT_32)", "int32 x (INTEGER(32,false))"),
            ("int64 x (UINT_64)", "int64 x (INTEGER(64,false))"),
        ]
        for (legacy, modern) in pairs {
            let a = try ParquetSchema(messageType: "message m { optional \(legacy); }")
            let b = try ParquetSchema(messageType: "message m { optional \(modern); }")
            #expect(a == b, "\(legacy)")
            #expect(a.fields[0].convertedType != nil, "\(legacy)")
        }
        let json = try ParquetSchema(
            messageType: "message m { required binary j (JSON); required binary b (BSON); required binary e (ENUM); }")
        #expect(json.fields.map(\.logicalType) == [.json, .bson, .enum])
        #expect(json.fields.map(\.convertedType) == [.json, .bson, .enum])
    }

    @Test func fieldIdsAndOptionalSemicolonsAfterGroups() throws {
        let schema = try ParquetSchema(
            messageType: """
                message m {
                  required int32 a = 1;
                  optional group s = 2 {
                    optional double d (UNKNOWN) = 3;
                  };
                  optional fixed_len_byte_array(2) h (FLOAT16);
                  optional group empty {
                  }
                };
                """)
        #expect(schema.fields.map(\.fieldId) == [1, 2, nil, nil])
        #expect(schema.fields[1].children[0].fieldId == 3)
        #expect(schema.fields[1].children[0].logicalType == .unknown)
        #expect(schema.fields[2].logicalType == .float16)
        #expect(schema.fields[3].children.isEmpty)
    }

    // MARK: Errors

    @Test func missingSemicolonNamesLineColumnAndToken() {
        let e = messageTypeError("message m {\n  required int32 a\n}")
        #expect(e?.code == .invalidArgument)
        #expect(e?.message == "message type line 3, column 1: expected ';' after field 'a', found '}'")
    }

    @Test(arguments: [
        ("message m { required int33 a; }", "line 1, column 22", "found 'int33'"),
        ("message m { requird int32 a; }", "line 1, column 13", "found 'requird'"),
        ("message m {\n  required int32 a;", "line 2, column 20", "found end of input"),
        ("m { required int32 a; }", "line 1, column 1", "expected 'message'"),
        ("message { }", "line 1, column 9", "expected the message name"),
        ("message m { required int32 a; } x", "line 1, column 33", "found 'x'"),
        ("message m { required int32 a (FOO); }", "line 1, column 31", "unknown annotation 'FOO'"),
        ("message m { required int32 a (STRING); }", "line 1, column 31", "not valid for INT32"),
        ("message m { required binary a (LIST); }", "line 1, column 32", "only valid on a group"),
        ("message m { optional group g (DATE) { required int32 a; } }", "line 1, column 31", "not valid on group 'g'"),
        ("message m { required fixed_len_byte_array(0) a; }", "line 1, column 43", "must be positive"),
        ("message m { required fixed_len_byte_array(x) a; }", "line 1, column 43", "found 'x'"),
        ("message m { required int32 a (DECIMAL(5,7)); }", "line 1, column 41", "scale"),
        ("message m { required int32 a (DECIMAL(10,2)); }", "line 1, column 31", "not valid for INT32"),
        ("message m { required int32 a (DECIMAL(5)); }", "line 1, column 31", "takes 2 arguments"),
        ("message m { required int32 a (INTEGER(7,true)); }", "line 1, column 39", "bit width"),
        ("message m { required int64 a (TIMESTAMP(SECONDS,true)); }", "line 1, column 41", "time unit"),
        ("message m { required int64 a (TIMESTAMP(MICROS,yes)); }", "line 1, column 48", "true or false"),
        ("message m { required int32 a (TIME(MICROS,true)); }", "line 1, column 31", "not valid for INT32"),
        ("message m { required fixed_len_byte_array(8) a (UUID); }", "line 1, column 49", "not valid"),
        ("message m { required binary a (STRING(1)); }", "line 1, column 39", "takes no arguments"),
        ("message m { required int32 a = x; }", "line 1, column 32", "expected a field id"),
        ("message m { required binary a (INTERVAL); }", "line 1, column 32", "INTERVAL requires"),
    ])
    func errorsNameTheProblem(_ text: String, _ location: String, _ detail: String) {
        let e = messageTypeError(text)
        #expect(e?.code == .invalidArgument)
        #expect(e?.message.contains(location) == true, "\(e?.message ?? "no error")")
        #expect(e?.message.contains(detail) == true, "\(e?.message ?? "no error")")
    }

    @Test func deepNestingIsRejected() {
        var text = "message m {"
        for i in 0..<100 { text += " optional group g\(i) {" }
        text += " required int32 a;" + String(repeating: " }", count: 100) + " }"
        let e = messageTypeError(text)
        #expect(e?.code == .invalidArgument)
        #expect(e?.message.contains("nested deeper than 64") == true)
    }
}

// MARK: - Random schemas

/// Random schemas whose fields carry the converted type their logical type implies, so that
/// both the textual and the footer forms round-trip.
enum RandomSchema {
    static func name(_ rng: inout SplitMix) -> String {
        let first = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
        let rest = first + Array("0123456789")
        var s = String(first.randomElement(using: &rng)!)
        for _ in 0..<Int.random(in: 0...7, using: &rng) { s.append(rest.randomElement(using: &rng)!) }
        return s
    }

    static func repetition(_ rng: inout SplitMix) -> Repetition {
        Repetition.allCases.randomElement(using: &rng)!
    }

    static func primitive(_ rng: inout SplitMix) -> ParquetField {
        let n = name(&rng)
        var f: ParquetField
        switch Int.random(in: 0..<16, using: &rng) {
        case 0: f = .primitive(n, PhysicalType.allCases.filter { $0 != .fixedLenByteArray }.randomElement(using: &rng)!)
        case 1: f = .fixedBinary(n, width: Int32.random(in: 1...40, using: &rng))
        case 2:
            f = .primitive(
                n, .byteArray, logical: [LogicalType.string, .enum, .json, .bson].randomElement(using: &rng)!)
        case 3: f = .primitive(n, .fixedLenByteArray, logical: .uuid, typeLength: 16)
        case 4: f = .primitive(n, .fixedLenByteArray, logical: .float16, typeLength: 2)
        case 5:
            f = ParquetField(
                name: n, repetition: .optional,
                kind: .primitive(.fixedLenByteArray, typeLength: 12, logical: nil, converted: .interval))
        case 6: f = .date(n)
        case 7:
            let p = Int32.random(in: 1...38, using: &rng)
            f = .decimal(n, precision: p, scale: Int32.random(in: 0...p, using: &rng))
        case 8:
            let p = Int32.random(in: 1...60, using: &rng)
            f = .decimal(n, precision: p, scale: Int32.random(in: 0...p, using: &rng), physical: .byteArray)
        case 9:
            let unit = [TimeUnit.millis, .micros, .nanos].randomElement(using: &rng)!
            f = .primitive(
                n, unit == .millis ? .int32 : .int64,
                logical: .time(isAdjustedToUTC: Bool.random(using: &rng), unit: unit))
        case 10, 11:
            let unit = [TimeUnit.millis, .micros, .nanos].randomElement(using: &rng)!
            f = .primitive(n, .int64, logical: .timestamp(isAdjustedToUTC: Bool.random(using: &rng), unit: unit))
        case 12:
            let bits = [Int8(8), 16, 32, 64].randomElement(using: &rng)!
            f = .primitive(
                n, bits == 64 ? .int64 : .int32, logical: .integer(bitWidth: bits, isSigned: Bool.random(using: &rng)))
        case 13:
            f = .primitive(
                n, PhysicalType.allCases.filter { $0 != .fixedLenByteArray }.randomElement(using: &rng)!,
                logical: .unknown)
        default: f = .string(n)
        }
        f.repetition = repetition(&rng)
        return f
    }

    static func field(_ rng: inout SplitMix, depth: Int) -> ParquetField {
        var f: ParquetField
        if depth >= 4 || Int.random(in: 0..<10, using: &rng) < 6 {
            f = primitive(&rng)
        } else {
            let n = name(&rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:
                let children = (0..<Int.random(in: 0...4, using: &rng)).map { _ in field(&rng, depth: depth + 1) }
                f = .structure(n, children)
            case 1: f = .list(n, element: field(&rng, depth: depth + 2))
            case 2: f = .map(n, key: primitive(&rng), value: field(&rng, depth: depth + 2))
            default:
                var key = primitive(&rng)
                key.name = "key"
                key.repetition = .required
                let kv = ParquetField(
                    name: "map", repetition: .repeated,
                    kind: .group([key, field(&rng, depth: depth + 2)], logical: .map, converted: .mapKeyValue))
                f = ParquetField(name: n, repetition: .optional, kind: .group([kv], logical: .map, converted: .map))
            }
            f.repetition = repetition(&rng)
        }
        if Int.random(in: 0..<4, using: &rng) == 0 { f.fieldId = Int32.random(in: -5...1000, using: &rng) }
        return f
    }

    static func schema(_ rng: inout SplitMix) -> ParquetSchema {
        ParquetSchema((0..<Int.random(in: 0...6, using: &rng)).map { _ in field(&rng, depth: 1) }, rootName: name(&rng))
    }
}
