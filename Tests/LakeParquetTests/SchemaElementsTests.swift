import PropertyBased
import Testing
@testable import LakeParquet
import LakeTestSupport

/// The error building a schema from `elements` throws, or `nil`.
func schemaError(_ elements: [SchemaElement]) -> ParquetError? {
    do throws(ParquetError) {
        _ = try ParquetSchema(elements: elements)
        return nil
    } catch {
        return error
    }
}

@Suite struct SchemaElementsTests {
    @Test func flattensDepthFirstWithChildCountsAndBothTypeAnnotations() {
        let schema = ParquetSchema([
            .int64("id", nullable: false),
            .list("tags", element: .string("element")),
            .decimal("d", precision: 38, scale: 10),
        ])
        #expect(
            schema.elements() == [
                SchemaElement(name: "schema", numChildren: 3),
                SchemaElement(type: .int64, repetitionType: .required, name: "id"),
                SchemaElement(
                    repetitionType: .optional, name: "tags", numChildren: 1, convertedType: .list, logicalType: .list),
                SchemaElement(repetitionType: .repeated, name: "list", numChildren: 1),
                SchemaElement(
                    type: .byteArray, repetitionType: .optional, name: "element", convertedType: .utf8,
                    logicalType: .string),
                SchemaElement(
                    type: .fixedLenByteArray, typeLength: 16, repetitionType: .optional, name: "d",
                    convertedType: .decimal, scale: 10, precision: 38, logicalType: .decimal(precision: 38, scale: 10)),
            ])
    }

    @Test func roundTripProperty() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(seed: seed)
            let schema = RandomSchema.schema(&rng)
            let elements = schema.elements()
            #expect(elements.count == 1 + schema.fields.reduce(0) { $0 + Self.nodeCount($1) })
            let rebuilt = try ParquetSchema(elements: elements)
            #expect(rebuilt == schema)
            #expect(rebuilt.elements() == elements)

            // And through the footer bytes.
            let footer = FileMetaData(schema: elements, numRows: 0, rowGroups: [])
            let bytes = footer.thriftEncoded()
            let decoded = try bytes.withUnsafeBytes { raw in try FileMetaData(thriftBytes: raw) }
            #expect(try ParquetSchema(elements: decoded.schema) == schema)
        }
    }

    static func nodeCount(_ f: ParquetField) -> Int {
        1 + f.children.reduce(0) { $0 + nodeCount($1) }
    }

    // MARK: Legacy converted types

    @Test(arguments: [
        (PhysicalType.byteArray, ConvertedType.utf8, LogicalType.string),
        (.byteArray, .enum, .enum),
        (.byteArray, .json, .json),
        (.byteArray, .bson, .bson),
        (.int32, .date, .date),
        (.int32, .timeMillis, .time(isAdjustedToUTC: true, unit: .millis)),
        (.int64, .timeMicros, .time(isAdjustedToUTC: true, unit: .micros)),
        (.int64, .timestampMillis, .timestamp(isAdjustedToUTC: true, unit: .millis)),
        (.int64, .timestampMicros, .timestamp(isAdjustedToUTC: true, unit: .micros)),
        (.int32, .int8, .integer(bitWidth: 8, isSigned: true)),
        (.int32, .int16, .integer(bitWidth: 16, isSigned: true)),
        (.int32, .int32, .integer(bitWidth: 32, isSigned: true)),
        (.int64, .int64, .integer(bitWidth: 64, isSigned: true)),
        (.int32, .uint8, .integer(bitWidth: 8, isSigned: false)),
        (.int32, .uint16, .integer(bitWidth: 16, isSigned: false)),
        (.int32, .uint32, .integer(bitWidth: 32, isSigned: false)),
        (.int64, .uint64, .integer(bitWidth: 64, isSigned: false)),
    ])
    func convertedOnlyLeafGetsTheLogicalType(
        _ type: PhysicalType, _ converted: ConvertedType, _ logical: LogicalType
    ) throws {
        let schema = try ParquetSchema(elements: [
            SchemaElement(name: "root", numChildren: 1),
            SchemaElement(type: type, repetitionType: .optional, name: "c", convertedType: converted),
        ])
        #expect(schema.rootName == "root")
        #expect(schema.fields[0].logicalType == logical)
        #expect(schema.fields[0].convertedType == converted)
    }

    @Test func legacyDecimalTakesPrecisionAndScaleFromTheElement() throws {
        let schema = try ParquetSchema(elements: [
            SchemaElement(name: "schema", numChildren: 2),
            SchemaElement(
                type: .fixedLenByteArray, typeLength: 5, repetitionType: .optional, name: "d",
                convertedType: .decimal, scale: 2, precision: 11),
            SchemaElement(type: .int32, repetitionType: .required, name: "n", convertedType: .decimal, precision: 9),
        ])
        #expect(schema.fields[0].logicalType == .decimal(precision: 11, scale: 2))
        #expect(schema.fields[1].logicalType == .decimal(precision: 9, scale: 0))
        let written = schema.elements()
        #expect(written[1].logicalType == .decimal(precision: 11, scale: 2))
        #expect(written[1].convertedType == .decimal && written[1].precision == 11 && written[1].scale == 2)
    }

    @Test func legacyDecimalWithoutPrecisionIsCorrupt() {
        let e = schemaError([
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(type: .int32, repetitionType: .required, name: "n", convertedType: .decimal, scale: 2),
        ])
        #expect(e?.code == .corrupt)
        #expect(e?.message.contains("'n' (index 1)") == true && e?.message.contains("precision") == true)
    }

    @Test func legacyListAndMapGroups() throws {
        // parquet-mr 1.x: optional group m (MAP) { repeated group map (MAP_KEY_VALUE) { required binary key (UTF8); optional int32 value; } }
        let elements = [
            SchemaElement(name: "spark_schema", numChildren: 2),
            SchemaElement(repetitionType: .optional, name: "m", numChildren: 1, convertedType: .map),
            SchemaElement(repetitionType: .repeated, name: "map", numChildren: 2, convertedType: .mapKeyValue),
            SchemaElement(type: .byteArray, repetitionType: .required, name: "key", convertedType: .utf8),
            SchemaElement(type: .int32, repetitionType: .optional, name: "value"),
            SchemaElement(repetitionType: .optional, name: "l", numChildren: 1, convertedType: .list),
            SchemaElement(repetitionType: .repeated, name: "bag", numChildren: 1),
            SchemaElement(type: .int64, repetitionType: .optional, name: "array"),
        ]
        let schema = try ParquetSchema(elements: elements)
        #expect(schema.fields[0].logicalType == .map && schema.fields[0].convertedType == .map)
        #expect(schema.fields[0].children[0].logicalType == .map)
        #expect(schema.fields[0].children[0].convertedType == .mapKeyValue)
        #expect(schema.fields[1].logicalType == .list && schema.fields[1].convertedType == .list)
        #expect(schema.leaves.map(\.dottedPath) == ["m.map.key", "m.map.value", "l.bag.array"])

        // Written back: MAP_KEY_VALUE stays a converted type only; everything else gains its logical type.
        let written = schema.elements()
        #expect(written[2].convertedType == .mapKeyValue && written[2].logicalType == nil)
        #expect(written[1].logicalType == .map && written[3].logicalType == .string)
        #expect(try ParquetSchema(elements: written) == schema)
    }

    @Test func logicalTypeWithoutConvertedGainsItOnWrite() throws {
        let schema = try ParquetSchema(elements: [
            SchemaElement(name: "schema", numChildren: 2),
            SchemaElement(
                type: .int64, repetitionType: .optional, name: "ts",
                logicalType: .timestamp(isAdjustedToUTC: true, unit: .millis)),
            SchemaElement(
                type: .int64, repetitionType: .optional, name: "ns",
                logicalType: .timestamp(isAdjustedToUTC: true, unit: .nanos)),
        ])
        #expect(schema.fields[0].convertedType == nil)
        let written = schema.elements()
        #expect(written[1].convertedType == .timestampMillis)
        #expect(written[2].convertedType == nil)  // NANOS has no converted type
    }

    @Test func intervalKeepsItsConvertedTypeWithoutLogical() throws {
        let elements = [
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(
                type: .fixedLenByteArray, typeLength: 12, repetitionType: .optional, name: "iv",
                convertedType: .interval),
        ]
        let schema = try ParquetSchema(elements: elements)
        #expect(schema.fields[0].logicalType == nil && schema.fields[0].convertedType == .interval)
        #expect(schema.elements() == elements)
    }

    @Test func leafWithZeroChildrenAndEmptyGroups() throws {
        let schema = try ParquetSchema(elements: [
            SchemaElement(name: "schema", numChildren: 2),
            SchemaElement(type: .int32, repetitionType: .required, name: "a", numChildren: 0),
            SchemaElement(repetitionType: .optional, name: "empty", numChildren: 0),
        ])
        #expect(schema.fields[0].physicalType == .int32)
        #expect(!schema.fields[1].isPrimitive && schema.fields[1].children.isEmpty)
        #expect(try ParquetSchema(elements: [SchemaElement(name: "schema")]).fields.isEmpty)
    }

    // MARK: Malformed element lists

    @Test func malformedListsAreCorruptAndNamed() {
        let leaf = SchemaElement(type: .int32, repetitionType: .required, name: "a")
        let cases: [([SchemaElement], String)] = [
            ([], "no elements"),
            ([SchemaElement(type: .int32, name: "root")], "root must be a group"),
            ([SchemaElement(name: "schema", numChildren: -1)], "negative child count -1"),
            ([SchemaElement(name: "schema", numChildren: 3), leaf], "claims 3 children but only 1 elements follow"),
            ([SchemaElement(name: "schema", numChildren: 1), leaf, leaf], "covers 2 elements but the footer lists 3"),
            (
                [
                    SchemaElement(name: "schema", numChildren: 1),
                    SchemaElement(repetitionType: .optional, name: "g", numChildren: 2), leaf,
                ], "'g' (index 1) claims 2 children"
            ),
            (
                [
                    SchemaElement(name: "schema", numChildren: 1),
                    SchemaElement(repetitionType: .optional, name: "g", numChildren: -5), leaf,
                ], "'g' (index 1) has a negative child count"
            ),
            (
                [SchemaElement(name: "schema", numChildren: 1), SchemaElement(repetitionType: .optional, name: "x")],
                "'x' (index 1) is a leaf without a physical type"
            ),
            (
                [SchemaElement(name: "schema", numChildren: 1), SchemaElement(type: .int32, name: "x")],
                "'x' (index 1) has no repetition type"
            ),
            (
                [
                    SchemaElement(name: "schema", numChildren: 1),
                    SchemaElement(type: .fixedLenByteArray, repetitionType: .optional, name: "f"),
                ], "FIXED_LEN_BYTE_ARRAY without a positive type length"
            ),
            (
                [
                    SchemaElement(name: "schema", numChildren: 1),
                    SchemaElement(type: .fixedLenByteArray, typeLength: 0, repetitionType: .optional, name: "f"),
                ], "(got 0)"
            ),
            (
                [
                    SchemaElement(name: "schema", numChildren: 1),
                    SchemaElement(type: .int32, repetitionType: .optional, name: "both", numChildren: 1), leaf,
                ],
                "both physical type INT32 and 1 children"
            ),
        ]
        for (elements, detail) in cases {
            let e = schemaError(elements)
            #expect(e?.code == .corrupt, "\(detail)")
            #expect(e?.message.contains(detail) == true, "\(e?.message ?? "no error") should mention \(detail)")
        }
    }

    @Test func deepNestingIsCapped() {
        var elements = [SchemaElement(name: "schema", numChildren: 1)]
        for i in 0..<100 { elements.append(SchemaElement(repetitionType: .optional, name: "g\(i)", numChildren: 1)) }
        elements.append(SchemaElement(type: .int32, repetitionType: .optional, name: "leaf"))
        let e = schemaError(elements)
        #expect(e?.code == .corrupt)
        #expect(e?.message.contains("nested deeper than 64") == true)

        var ok = [SchemaElement(name: "schema", numChildren: 1)]
        for i in 0..<63 { ok.append(SchemaElement(repetitionType: .optional, name: "g\(i)", numChildren: 1)) }
        ok.append(SchemaElement(type: .int32, repetitionType: .optional, name: "leaf"))
        #expect(schemaError(ok) == nil)
    }

    @Test func hugeChildCountsFailFast() {
        let e = schemaError([SchemaElement(name: "schema", numChildren: .max)])
        #expect(e?.code == .corrupt)
    }
}
