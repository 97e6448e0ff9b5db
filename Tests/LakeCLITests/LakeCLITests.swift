import Foundation
import Testing
import LakeCore

@Suite
struct LakeCLIHelpTests {
    @Test(arguments: [
        (["--help"], "lake parquet cat data.parquet --format table --limit 20"),
        (["parquet", "--help"], "lake parquet schema data.parquet"),
        (["parquet", "schema", "--help"], "lake parquet schema data.parquet > schema.txt"),
        (["parquet", "meta", "--help"], "lake parquet meta data.parquet --json"),
        (["parquet", "cat", "--help"], "lake parquet cat data.parquet --columns id,name --format table --limit 10"),
        (
            ["parquet", "write", "--help"],
            "lake parquet write --schema @schema.txt --input in.jsonl --output out.parquet"
        ),
    ])
    func helpShowsAnExample(_ args: [String], _ example: String) throws {
        let r = try LakeBinary.run(args)
        #expect(r.status == 0)
        #expect(r.stdout.contains(example), "\(r.stdout)")
        #expect(r.stdout.contains("USAGE: lake"))
    }

    @Test func rootHelpExplainsLakeAndExitCodes() throws {
        let r = try LakeBinary.run(["--help"])
        #expect(r.stdout.contains("Apache Hudi"))
        #expect(r.stdout.contains("64 usage error"))
        #expect(r.stdout.contains("66 input not found"))
    }
}

@Suite
struct LakeCLIExitCodeTests {
    static let schema = "message m { required int64 id; optional binary name (STRING); }"

    @Test(arguments: ["schema", "meta", "cat"])
    func missingFileIs66(_ command: String) throws {
        let r = try LakeBinary.run(["parquet", command, "/nonexistent/no.parquet"])
        #expect(r.status == 66)
        #expect(r.stderr.hasPrefix("lake: error: "))
        #expect(r.stderr.contains("/nonexistent/no.parquet"))
        #expect(r.stdout.isEmpty)
    }

    @Test func missingInputOrSchemaFileIs66() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missingInput = try LakeBinary.run(
            ["parquet", "write", "--schema", Self.schema, "--input", "none.jsonl", "--output", "o.parquet"], in: dir)
        #expect(missingInput.status == 66)
        let missingSchema = try LakeBinary.run(
            ["parquet", "write", "--schema", "@none.txt", "--input", "-", "--output", "o.parquet"], input: "", in: dir)
        #expect(missingSchema.status == 66)
        #expect(missingSchema.stderr.contains("none.txt"))
    }

    @Test func notAParquetFileIs65() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{\"id\": 1}\n".utf8).write(to: dir.appendingPathComponent("rows.jsonl"))
        let r = try LakeBinary.run(["parquet", "cat", "rows.jsonl"], in: dir)
        #expect(r.status == 65)
        #expect(r.stderr.hasPrefix("lake: error: "))
    }

    @Test func malformedSchemaIs64() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try LakeBinary.run(
            [
                "parquet", "write", "--schema", "message m { required int64 id }", "--input", "-", "--output",
                "o.parquet",
            ],
            input: "{\"id\": 1}\n", in: dir)
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("lake: error: --schema: "))
        #expect(r.stderr.contains("hint: "))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o.parquet").path))
    }

    @Test func badRowIs65AndLeavesNoFile() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try LakeBinary.run(
            ["parquet", "write", "--schema", Self.schema, "--input", "-", "--output", "o.parquet"],
            input: "{\"id\": 1}\n\n{\"id\": \"two\"}\n", in: dir)
        #expect(r.status == 65)
        #expect(r.stderr.contains("line 3, field 'id': expected an integer, found \"two\""))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left.isEmpty, "\(left)")
    }

    @Test func usageErrorsAre64() throws {
        let missingOption = try LakeBinary.run(["parquet", "write", "--schema", Self.schema, "--input", "-"])
        #expect(missingOption.status == 64)
        #expect(missingOption.stderr.hasPrefix("lake: error: "))
        let badFormat = try LakeBinary.run(["parquet", "cat", "x.parquet", "--format", "xml"])
        #expect(badFormat.status == 64)
        let badMeta = try LakeBinary.run([
            "parquet", "write", "--schema", Self.schema, "--input", "-", "--output", "o.parquet", "--meta", "novalue",
        ])
        #expect(badMeta.status == 64)
    }
}

@Suite
struct LakeCLIRoundTripTests {
    static let schema = """
        message m {
          required int64 id;
          optional binary name (STRING);
          optional int32 price (DECIMAL(9,2));
          optional int64 at (TIMESTAMP(MICROS,true));
          optional group tags (LIST) {
            repeated group list {
              optional binary element (STRING);
            }
          }
        }

        """
    static let rows = """
        {"id":1,"name":"alice","price":"12.50","at":"2024-02-29T12:00:00.000001Z","tags":["a",null]}
        {"id":2,"name":"b,\\"c\\"","price":null,"at":null,"tags":[]}
        {"id":3,"name":null,"price":"-0.05","at":"1969-12-31T23:59:59.999999Z","tags":null}

        """

    private func writeSample(_ dir: URL, _ extra: [String] = []) throws {
        try Data(Self.schema.utf8).write(to: dir.appendingPathComponent("schema.txt"))
        let r = try LakeBinary.run(
            ["parquet", "write", "--schema", "@schema.txt", "--input", "-", "--output", "t.parquet"] + extra,
            input: Self.rows, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func writeThenCatGivesTheSameRows() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSample(dir, ["--codec", "snappy", "--row-group-rows", "2", "--meta", "k=v=w"])
        let cat = try LakeBinary.run(["parquet", "cat", "t.parquet"], in: dir)
        #expect(cat.status == 0)
        #expect(cat.stdout == Self.rows)
        let schema = try LakeBinary.run(["parquet", "schema", "t.parquet"], in: dir)
        #expect(schema.stdout == Self.schema)
    }

    @Test func catProjectsLimitsAndFormats() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSample(dir)
        let csv = try LakeBinary.run(
            ["parquet", "cat", "t.parquet", "--columns", "name,id", "--format", "csv", "--limit", "2"], in: dir)
        #expect(csv.stdout == "name,id\nalice,1\n\"b,\"\"c\"\"\",2\n")
        let table = try LakeBinary.run(
            ["parquet", "cat", "t.parquet", "--columns", "id,price", "--format", "table"], in: dir)
        #expect(table.stdout == " id | price\n----+-------\n  1 | 12.50\n  2 |  null\n  3 | -0.05\n(3 rows)\n")
        let unknown = try LakeBinary.run(["parquet", "cat", "t.parquet", "--columns", "nope"], in: dir)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("nope"))
    }

    @Test func metaJSONFollowsTheContract() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSample(dir, ["--row-group-rows", "2", "--meta", "source=test", "--no-dictionary", "--codec", "none"])
        let r = try LakeBinary.run(["parquet", "meta", "t.parquet", "--json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let v = try JSONParser().parse(r.stdout)
        #expect(v["num_rows"]?.numberValue?.int64 == 3)
        #expect(v["key_value_metadata"]?["source"]?.stringValue == "test")
        #expect(v["schema"]?.stringValue == Self.schema)
        #expect(v["created_by"]?.stringValue != nil)
        guard case .array(let groups) = v["row_groups"] else { Issue.record("no row_groups"); return }
        #expect(groups.count == 2)
        #expect(groups[0]["num_rows"]?.numberValue?.int64 == 2)
        #expect(groups[0]["total_byte_size"]?.numberValue != nil)
        guard case .array(let columns) = groups[0]["columns"] else { Issue.record("no columns"); return }
        #expect(columns.map { $0["path"]?.stringValue } == ["id", "name", "price", "at", "tags.list.element"])
        let price = columns[2]
        #expect(price["physical_type"]?.stringValue == "INT32")
        #expect(price["codec"]?.stringValue == "UNCOMPRESSED")
        #expect(price["encodings"]?[0] != nil)
        #expect(price["num_values"]?.numberValue?.int64 == 2)
        #expect(price["statistics"]?["min"] == .string("12.50"))
        #expect(price["statistics"]?["max"] == .string("12.50"))
        #expect(price["statistics"]?["null_count"]?.numberValue?.int64 == 1)
        let at = columns[3]["statistics"]
        #expect(at?["min"] == .string("2024-02-29T12:00:00.000001Z"))
        #expect(columns[0]["total_compressed_size"]?.numberValue != nil)
        #expect(columns[0]["total_uncompressed_size"]?.numberValue != nil)
    }

    @Test func metaTextReport() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSample(dir, ["--meta", "long=" + String(repeating: "x", count: 500)])
        let r = try LakeBinary.run(["parquet", "meta", "t.parquet"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("row group 0: 3 rows"))
        #expect(r.stdout.contains("codec:       ZSTD"))
        #expect(r.stdout.contains("statistics:  min -0.05, max 12.50, nulls 1"))
        #expect(r.stdout.contains("… (500 bytes)"))
        #expect(!r.stdout.contains(String(repeating: "x", count: 200)))
    }
}
