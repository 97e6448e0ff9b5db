import Testing
@testable import LakeCore

@Suite struct RowJSONDecoderTests {
    static let schema = ParquetSchema([
        .int64("id", nullable: false),
        .double("amount"),
        .string("name"),
        .list("tags", element: .string("e")),
        .structure("addr", [.string("city"), .int32("zip", nullable: false)]),
        .map("attrs", key: .string("k"), value: .int32("v")),
        .decimal("price", precision: 9, scale: 2),
        .timestamp("at", unit: .micros),
        .date("day"),
        .binary("blob"),
        .primitive("small", .int32, logical: .integer(bitWidth: 8, isSigned: true)),
    ])

    private func decode(
        _ text: String, schema: ParquetSchema = RowJSONDecoderTests.schema,
        options: RowJSONDecoder.Options = .init()
    ) throws(LakeError) -> RecordBatch {
        try RowJSONDecoder.decode(text, schema: schema, options: options)
    }

    private func message(_ text: String) -> String? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            #expect(error.code == .invalidInput)
            return error.message
        }
    }

    @Test func decodesCanonicalValues() throws {
        let b = try decode(
            """
            {"id": 1, "amount": 2.5, "name": "a\\u00e9", "tags": ["x", null], "addr": {"city": "Oslo", "zip": 150}, \
            "attrs": [{"key": "k", "value": 3}], "price": "-123.40", "at": "2024-02-29T12:00:00.000001Z", \
            "day": "2024-02-29", "blob": "AQID", "small": -128}

            {"id": 2}
            """)
        #expect(b.rowCount == 2)
        #expect(b.columns[0] == Column(.int64([1, 2])))
        #expect(b.columns[1] == Column(.double([2.5, 0]), validity: [true, false]))
        #expect(b.columns[2] == Column(.byteArray(ByteArrayValues(strings: ["aé", ""])), validity: [true, false]))
        #expect(
            b.columns[3]
                == Column(
                    .list(
                        offsets: [0, 2, 2],
                        element: Column(.byteArray(ByteArrayValues(strings: ["x", ""])), validity: [true, false])),
                    validity: [true, false]))
        #expect(
            b.columns[4]
                == Column(
                    .structure([
                        Column(.byteArray(ByteArrayValues(strings: ["Oslo", ""])), validity: [true, false]),
                        Column(.int32([150, 0])),
                    ]), validity: [true, false]))
        #expect(
            b.columns[5]
                == Column(
                    .map(
                        offsets: [0, 1, 1], keys: Column(.byteArray(ByteArrayValues(strings: ["k"]))),
                        values: Column(.int32([3]))),
                    validity: [true, false]))
        #expect(b.columns[6] == Column(.int32([-12340, 0]), validity: [true, false]))
        #expect(b.columns[7] == Column(.int64([1_709_208_000_000_001, 0]), validity: [true, false]))
        #expect(b.columns[8] == Column(.int32([19782, 0]), validity: [true, false]))
        #expect(
            b.columns[9] == Column(.byteArray(ByteArrayValues(arrays: [[1, 2, 3], []])), validity: [true, false]))
        #expect(b.columns[10] == Column(.int32([-128, 0]), validity: [true, false]))
    }

    @Test func lenientForms() throws {
        let b = try decode(
            """
            {"id": 1, "price": 1.5, "at": "2024-01-01 01:00:00+01:00", "day": 19782, "attrs": {"a": 1, "b": null}}
            {"id": 2, "price": "2", "at": 1, "day": "+002024-02-29", "amount": "-Infinity"}
            {"id": 3, "price": "3.100", "at": "2024-01-01T00:00:00.5Z", "amount": 1e2}
            """)
        #expect(b.columns[6] == Column(.int32([150, 200, 310])))
        #expect(b.columns[7] == Column(.int64([1_704_067_200_000_000, 1, 1_704_067_200_500_000])))
        #expect(b.columns[8] == Column(.int32([19782, 19782, 0]), validity: [true, true, false]))
        #expect(b.columns[1] == Column(.double([0, -.infinity, 100]), validity: [false, true, true]))
        #expect(
            b.columns[5]
                == Column(
                    .map(
                        offsets: [0, 2, 2, 2], keys: Column(.byteArray(ByteArrayValues(strings: ["a", "b"]))),
                        values: Column(.int32([1, 0]), validity: [true, false])), validity: [true, false, false]))
    }

    @Test func uuidTextIsAcceptedForSixteenByteFixed() throws {
        let s = ParquetSchema([.primitive("u", .fixedLenByteArray, logical: .uuid, typeLength: 16)])
        let b = try decode(
            "{\"u\": \"00010203-0405-0607-0809-0a0b0c0d0e0f\"}\n{\"u\": \"AAECAwQFBgcICQoLDA0ODw==\"}", schema: s)
        #expect(
            b.columns[0]
                == Column(.fixedByteArray(FixedByteArrayValues(width: 16, bytes: Array(0..<16) + Array(0..<16)))))
    }

    @Test func errorsNameTheLineAndTheField() {
        #expect(
            message("{\"id\": 1}\n\n{\"id\": 2, \"amount\": \"abc\"}")
                == "line 3, field 'amount': expected a number, found \"abc\" (the only strings allowed are \"NaN\", \"Infinity\", \"-Infinity\")"
        )
        #expect(message("{\"amount\": 1}") == "line 1, field 'id': missing required field")
        #expect(message("{\"id\": null}") == "line 1, field 'id': null is not allowed for a required field")
        #expect(message("{\"id\": 1.5}") == "line 1, field 'id': expected an integer, found 1.5")
        #expect(message("{\"id\": \"1\"}") == "line 1, field 'id': expected an integer, found \"1\"")
        #expect(
            message("{\"id\": 99999999999999999999}")
                == "line 1, field 'id': 99999999999999999999 is out of range for INT64 (-9223372036854775808…9223372036854775807)"
        )
        #expect(
            message("{\"id\": 1, \"small\": 128}") == "line 1, field 'small': 128 is out of range for INT(8) (-128…127)"
        )
        #expect(message("{\"id\": 1, \"tags\": [\"a\", 2]}") == "line 1, field 'tags[1]': expected a string, found 2")
        #expect(
            message("{\"id\": 1, \"addr\": {\"city\": \"x\"}}") == "line 1, field 'addr.zip': missing required field")
        #expect(
            message("{\"id\": 1, \"addr\": {\"zip\": 1, \"country\": \"x\"}}")
                == "line 1, field 'addr': unknown field \"country\" (fields: city, zip)")
        #expect(
            message("{\"id\": 1, \"attrs\": [{\"key\": \"a\", \"value\": \"x\"}]}")
                == "line 1, field 'attrs[0].value': expected an integer, found \"x\"")
        #expect(
            message("{\"id\": 1, \"price\": \"1.234\"}")
                == "line 1, field 'price': invalid DECIMAL(9,2) \"1.234\": more than 2 fraction digits for DECIMAL(9,2)"
        )
        #expect(
            message("{\"id\": 1, \"day\": \"2023-02-29\"}")
                == "line 1, field 'day': invalid date \"2023-02-29\": day 29 out of range for 2023-02 (1–28)")
        #expect(
            message("{\"id\": 1, \"at\": \"2024-01-01\"}")
                == "line 1, field 'at': invalid timestamp \"2024-01-01\": expected 'T' between date and time")
        #expect(
            message("{\"id\": 1, \"blob\": \"***\"}")
                == "line 1, field 'blob': invalid base64 \"***\": '*' at offset 0 is not a base64 character")
        #expect(message("{\"id\": 1, \"id\": 2}") == "line 1: duplicate field \"id\"")
        #expect(
            message("{\"id\": 1, \"nope\": 2}")?.hasPrefix("line 1: unknown field \"nope\" (fields: id, amount, name,")
                == true)
        #expect(message("[1]") == "line 1: expected a JSON object for the row, found '['")
        #expect(message("{\"id\": 1} x") == "line 1, column 11: unexpected x after the JSON value")
        #expect(
            message("{\"id\": 1 \"name\": \"a\"}")
                == "line 1, column 10: expected ',' or '}' after an object member, found \"name\"")
        #expect(
            message("{\"id\": 1, \"tags\": [\"a\" \"b\"]}")
                == "line 1, column 24, field 'tags': expected ',' or ']' after an array element, found \"b\"")
    }

    @Test func aFailedRowIsRolledBack() throws {
        let d = RowJSONDecoder(schema: Self.schema)
        try d.appendLines("{\"id\": 1, \"tags\": [\"a\"], \"addr\": {\"city\": \"c\", \"zip\": 1}}")
        #expect(throws: LakeError.self) {
            try d.appendLines("{\"id\": 2, \"tags\": [\"b\", \"c\"], \"addr\": {\"city\": \"d\"}}")
        }
        try d.appendLines("{\"id\": 3}")
        let b = d.makeBatch()
        #expect(b.rowCount == 2)
        #expect(b.columns[0] == Column(.int64([1, 3])))
        #expect(
            b.columns[3]
                == Column(
                    .list(offsets: [0, 1, 1], element: Column(.byteArray(ByteArrayValues(strings: ["a"])))),
                    validity: [true, false]))
        #expect(
            b.columns[4]
                == Column(
                    .structure([
                        Column(.byteArray(ByteArrayValues(strings: ["c", ""])), validity: [true, false]),
                        Column(.int32([1, 0])),
                    ]),
                    validity: [true, false]))
    }

    @Test func unknownFieldsCanBeIgnored() throws {
        let b = try decode(
            "{\"id\": 1, \"extra\": {\"deep\": [1, {\"x\": null}]}}", options: .init(ignoreUnknownFields: true))
        #expect(b.columns[0] == Column(.int64([1])))
    }

    @Test func repeatedFieldsTreatAbsentAsEmpty() throws {
        let s = ParquetSchema([
            ParquetField(
                name: "r", repetition: .repeated,
                kind: .primitive(.int32, typeLength: nil, logical: nil, converted: nil))
        ])
        let b = try decode("{\"r\": [1, 2]}\n{}\n{\"r\": null}", schema: s)
        #expect(b.columns[0] == Column(.list(offsets: [0, 2, 2, 2], element: Column(.int32([1, 2])))))
    }

    @Test func decimalsIntoFixedAndByteArrays() throws {
        let s = ParquetSchema([
            .decimal("d", precision: 38, scale: 2), .decimal("b", precision: 10, scale: 0, physical: .byteArray),
        ])
        let b = try decode(
            "{\"d\": \"-0.01\", \"b\": \"-128\"}\n{\"d\": \"999999999999999999999999999999999999.99\", \"b\": 255}",
            schema: s)
        #expect(
            b.columns[0]
                == Column(
                    .fixedByteArray(
                        FixedByteArrayValues(
                            width: 16,
                            bytes: [UInt8](repeating: 0xFF, count: 16)
                                + bigEndian16("99999999999999999999999999999999999999")))))
        #expect(b.columns[1] == Column(.byteArray(ByteArrayValues(arrays: [[0x80], [0x00, 0xFF]]))))
        #expect(throws: LakeError.self) { _ = try decode("{\"d\": \"1e37\"}", schema: s) }
    }

    @Test func floatsAcceptNonFiniteStrings() throws {
        let s = ParquetSchema([.float("f"), .primitive("h", .fixedLenByteArray, logical: .float16, typeLength: 2)])
        let b = try decode("{\"f\": \"NaN\", \"h\": \"-Infinity\"}\n{\"f\": 0.1, \"h\": 0.1}", schema: s)
        guard case .float(let f) = b.columns[0].data else { Issue.record("not floats"); return }
        #expect(f[0].isNaN && f[1] == 0.1)
        #expect(
            b.columns[1] == Column(.fixedByteArray(FixedByteArrayValues(width: 2, bytes: [0x00, 0xFC, 0x66, 0x2E]))))
        #expect(throws: LakeError.self) { _ = try decode("{\"h\": 70000}", schema: s) }
        #expect(throws: LakeError.self) { _ = try decode("{\"f\": 1e39}", schema: s) }
    }
}
