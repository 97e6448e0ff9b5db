import Foundation
import Testing

/// The table commands as a user meets them: help with an example, a write/read round trip through
/// the built binary, and each error path with its documented exit code.
@Suite
struct TableCommandTests {
    @Test(arguments: [
        (
            "create",
            "lake create --table /data/customers --key id --precombine ts --partition-by partitionkey,partitionkey2"
        ),
        ("upsert", "lake upsert --table /data/customers --input changes.jsonl"),
        ("insert", "lake insert --table /data/customers --input new-customers.parquet"),
        ("bulk-insert", "lake bulk-insert --table /data/customers --input initial-load.parquet"),
        ("delete", "lake delete --table /data/customers --input -"),
        ("insert-overwrite", "lake insert-overwrite --table /data/customers --input day-2024-01-02.parquet"),
        (
            "delete-partition",
            "lake delete-partition --table /data/customers --partition partitionkey=7/partitionkey2=3"
        ),
        ("query", "lake query --table /data/customers --columns id,email --where"),
        ("describe", "lake describe --table /data/customers"),
    ])
    func helpShowsAnExample(_ command: String, _ example: String) throws {
        let r = try LakeBinary.run([command, "--help"])
        #expect(r.status == 0)
        // Help text wraps long lines; compare with whitespace folded.
        let folded = r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(folded.contains(example), "\(r.stdout)")
        #expect(r.stdout.contains("--table"))
    }

    @Test func createUpsertQueryDescribe() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(
            try LakeBinary.run([
                "create", "--table", t, "--key", "id", "--precombine", "ts", "--partition-by", "region",
            ]).status == 0)
        let rows = """
            {"id": "1", "ts": 1, "region": "eu", "name": "a"}
            {"id": "2", "ts": 1, "region": "us", "name": "b"}
            {"id": "1", "ts": 0, "region": "eu", "name": "late"}

            """
        let w = try LakeBinary.run(["upsert", "--table", t, "--input", "-", "--json"], input: rows)
        #expect(w.status == 0, "\(w.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(w.stdout.utf8)) as? [String: Any]
        #expect(summary?["inserted"] as? Int == 2)
        #expect(summary?["ignored"] as? Int == 1)
        let q = try LakeBinary.run(["query", "--table", t, "--where", "region = 'eu'", "--columns", "id,name"])
        #expect(q.status == 0)
        #expect(q.stdout == "{\"id\":\"1\",\"name\":\"a\"}\n")
        let d = try LakeBinary.run(["describe", "--table", t, "--json"])
        let desc = try JSONSerialization.jsonObject(with: Data(d.stdout.utf8)) as? [String: Any]
        #expect(desc?["rows"] as? Int == 2)
        #expect((desc?["partitions"] as? [Any])?.count == 2)
    }

    /// `--verbose` logs to standard error what a write does — the input read and each phase —
    /// for rows (`--input`) and change records (`--cdc`) alike; standard output stays the report.
    /// A change record nesting maps deeper than Hudi readers read is quarantined on its own: the
    /// rest of the batch commits (it once failed the whole batch, and `lake stream` on every restart).
    @Test func aTooDeeplyNestedChangeRecordIsQuarantinedAlone() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id"]).status == 0)
        func record(_ id: String, depth: Int) -> String {
            let deep =
                String(repeating: #"{"M":{"a":"#, count: depth) + #"{"S":"x"}"#
                + String(repeating: "}}", count: depth)
            return #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1700000000,"#
                + #""Keys":{"id":{"S":"\#(id)"}},"NewImage":{"id":{"S":"\#(id)"},"deep":\#(deep)},"#
                + #""SequenceNumber":"\#(id)"}}"#
        }
        let input = [record("1", depth: 40), record("2", depth: 0)].joined(separator: "\n") + "\n"
        let r = try LakeBinary.run(["upsert", "--table", t, "--cdc", "-"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 errors") || r.stderr.contains("1 errors"), "\(r.stdout)\(r.stderr)")
        let rows = try LakeBinary.run(["query", "--table", t]).stdout.split(separator: "\n")
        #expect(rows.count == 1 && rows.first?.contains(#""id":"2""#) == true, "\(rows)")
        let errors = try FileManager.default.contentsOfDirectory(atPath: t + "/.hoodie/lake/errors")
        let text = try errors.map { try String(contentsOfFile: t + "/.hoodie/lake/errors/" + $0, encoding: .utf8) }
            .joined()
        #expect(text.contains("deeper than 30 levels"), "\(text.prefix(300))")
    }

    @Test func verboseLogsTheInputAndEveryPhase() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id", "--precombine", "ts"]).status == 0)
        let rows = try LakeBinary.run(
            ["upsert", "--table", t, "--input", "-", "--verbose"], input: #"{"id":"1","ts":1}"# + "\n")
        #expect(rows.status == 0, "\(rows.stderr)")
        #expect(rows.stderr.contains("read 1 records"), "\(rows.stderr)")
        #expect(rows.stderr.contains("upsert: write groups done in"), "\(rows.stderr)")
        #expect(rows.stdout.hasPrefix("committed "))

        let changes =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1700000000,"Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"},"n":{"N":"1"}},"SequenceNumber":"1"}}"#
        let cdc = try LakeBinary.run(
            ["upsert", "--table", dir.appendingPathComponent("c").path, "--cdc", "-", "--verbose"],
            input: changes + "\n")
        #expect(cdc.status == 0, "\(cdc.stderr)")
        #expect(cdc.stderr.contains("read 1 change records"), "\(cdc.stderr)")
        #expect(cdc.stderr.contains("upsert: write groups done in"), "\(cdc.stderr)")
        #expect(!cdc.stdout.contains("done in"))
        let quiet = try LakeBinary.run(
            ["upsert", "--table", dir.appendingPathComponent("c").path, "--cdc", "-"], input: changes + "\n")
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test func errorPathsHaveTheirExitCodes() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        // No table there: 66.
        let missing = try LakeBinary.run(["query", "--table", t])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("lake create"))
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id", "--precombine", "ts"]).status == 0)
        // A second create: usage error naming the path.
        let again = try LakeBinary.run(["create", "--table", t, "--key", "id"])
        #expect(again.status == 64)
        #expect(again.stderr.contains(t))
        // Bad JSON input: 65 naming the line.
        let bad = try LakeBinary.run(
            ["upsert", "--table", t, "--input", "-"], input: "{\"id\": \"1\", \"ts\": 1}\n{oops\n")
        #expect(bad.status == 65)
        #expect(bad.stderr.contains(":2"), "\(bad.stderr)")
        // A row without its key: 65.
        let noKey = try LakeBinary.run(["upsert", "--table", t, "--input", "-"], input: "{\"ts\": 1}\n")
        #expect(noKey.status == 65)
        #expect(noKey.stderr.contains("id"))
        // A type the column cannot take: 65 naming column and both types.
        _ = try LakeBinary.run(["upsert", "--table", t, "--input", "-"], input: "{\"id\": \"1\", \"ts\": 1}\n")
        let mismatch = try LakeBinary.run(
            ["upsert", "--table", t, "--input", "-"], input: "{\"id\": \"2\", \"ts\": \"soon\"}\n")
        #expect(mismatch.status == 65)
        #expect(mismatch.stderr.contains("ts"))
        // An unknown column in --where: 64.
        let whereBad = try LakeBinary.run(["query", "--table", t, "--where", "nope = 1"])
        #expect(whereBad.status == 64)
        #expect(whereBad.stderr.contains("nope"))
        // A missing input file: 66.
        #expect(
            try LakeBinary.run(["upsert", "--table", t, "--input", dir.appendingPathComponent("none.jsonl").path])
                .status == 66)
        // The failed writes left nothing behind: one row, one completed commit per successful write.
        let q = try LakeBinary.run(["query", "--table", t])
        #expect(q.stdout.split(separator: "\n").count == 1)
    }
}

/// Every subcommand the root lists documents itself with at least one runnable example.
@Suite
struct EveryCommandHelpTests {
    @Test func everySubcommandShowsAnExample() throws {
        let root = try LakeBinary.run(["--help"])
        let lines = root.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else {
            Issue.record("no SUBCOMMANDS section"); return
        }
        let names = lines[(start + 1)...].compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  See ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(names.count >= 15, "\(names)")
        for name in names where name != "help" {
            let r = try LakeBinary.run([name, "--help"])
            #expect(r.status == 0, "\(name)")
            #expect(r.stdout.contains("lake \(name) "), "lake \(name) --help has no example:\n\(r.stdout)")
        }
    }
}
