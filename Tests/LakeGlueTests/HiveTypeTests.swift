import LakeGlue
import LakeParquet
import Testing

/// Parquet columns to Hive types, as Hudi's hive sync writes them into the Glue catalog.
struct HiveTypeTests {
    @Test func primitivesFollowHiveSync() {
        #expect(HiveType.of(.boolean("b")) == "boolean")
        #expect(HiveType.of(.int32("i")) == "int")
        #expect(HiveType.of(.int64("l")) == "bigint")
        #expect(HiveType.of(.float("f")) == "float")
        #expect(HiveType.of(.double("d")) == "double")
        #expect(HiveType.of(.string("s")) == "string")
        #expect(HiveType.of(.binary("x")) == "binary")
        #expect(HiveType.of(.fixedBinary("x", width: 16)) == "binary")
        #expect(HiveType.of(.date("d")) == "date")
        #expect(HiveType.of(.timestamp("t", unit: .micros)) == "timestamp")
        #expect(HiveType.of(.timestamp("t", unit: .millis)) == "timestamp")
        #expect(HiveType.of(.decimal("m", precision: 10, scale: 2)) == "decimal(10,2)")
        #expect(HiveType.of(.decimal("m", precision: 30, scale: 4)) == "decimal(30,4)")
        #expect(HiveType.of(.primitive("t", .int32, logical: .integer(bitWidth: 8, isSigned: true))) == "tinyint")
        #expect(HiveType.of(.primitive("t", .int32, logical: .integer(bitWidth: 16, isSigned: true))) == "smallint")
        #expect(HiveType.of(.primitive("t", .int32, logical: .integer(bitWidth: 16, isSigned: false))) == "int")
        #expect(HiveType.of(.primitive("t", .int64, logical: .integer(bitWidth: 32, isSigned: false))) == "bigint")
        #expect(HiveType.of(.primitive("t", .int96)) == "timestamp")
    }

    @Test func nestedTypesNest() {
        let address = ParquetField.structure("address", [.string("city"), .int64("zip")])
        #expect(HiveType.of(address) == "struct<city:string,zip:bigint>")
        #expect(HiveType.of(.list("tags", element: .string("e"))) == "array<string>")
        #expect(HiveType.of(.map("m", key: .string("k"), value: .double("v"))) == "map<string,double>")
        let deep = ParquetField.list(
            "orders",
            element: .structure(
                "o", [.string("sku"), .map("attrs", key: .string("k"), value: .list("vs", element: .int32("v")))]))
        #expect(HiveType.of(deep) == "array<struct<sku:string,attrs:map<string,array<int>>>>")
        // A legacy two-level list (repeated primitive inside a LIST group) and a bare repeated field.
        let twoLevel = ParquetField(
            name: "l", repetition: .optional,
            kind: .group(
                [
                    ParquetField(
                        name: "array", repetition: .repeated,
                        kind: .primitive(.int64, typeLength: nil, logical: nil, converted: nil))
                ],
                logical: .list, converted: .list))
        #expect(HiveType.of(twoLevel) == "array<bigint>")
        let bare = ParquetField(
            name: "r", repetition: .repeated,
            kind: .primitive(.byteArray, typeLength: nil, logical: .string, converted: .utf8))
        #expect(HiveType.of(bare) == "array<string>")
    }
}
