import Foundation
import Testing

/// `lake check`, `lake index rebuild` and `lake files` as a user meets them, and what the other
/// commands do with a damaged table: exit 65 naming the damage, never an older answer.
@Suite
struct IntegrityCommandTests {
    @Test(arguments: [
        (["check", "--help"], "lake check --table /data/customers --json"),
        (["index", "--help"], "lake index rebuild --table /data/customers"),
        (["index", "rebuild", "--help"], "lake index rebuild --table /data/customers --json --wait 30s"),
        (["files", "--help"], "lake files --table /data/customers --format duckdb | duckdb"),
    ])
    func helpShowsAnExample(_ args: [String], _ example: String) throws {
        let r = try LakeBinary.run(args)
        #expect(r.status == 0)
        let folded = r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(folded.contains(example), "\(r.stdout)")
    }

    /// A table with two commits over two partitions; returns its path and the scratch directory.
    static func table() throws -> (dir: URL, table: String) {
        let dir = try LakeBinary.scratchDirectory()
        let t = dir.appendingPathComponent("t").path
        #expect(
            try LakeBinary.run([
                "create", "--table", t, "--key", "id", "--precombine", "ts", "--partition-by", "region",
            ]).status == 0)
        let first = (0..<6).map {
            #"{"id": "\#($0)", "ts": 1, "region": "\#($0 % 2 == 0 ? "eu" : "us")", "n": \#($0)}"#
        }
        #expect(
            try LakeBinary.run(["upsert", "--table", t, "--input", "-"], input: first.joined(separator: "\n") + "\n")
                .status == 0)
        let second = #"{"id": "0", "ts": 2, "region": "eu", "n": 100}"# + "\n"
        #expect(try LakeBinary.run(["upsert", "--table", t, "--input", "-"], input: second).status == 0)
        return (dir, t)
    }

    @Test func checkIsCleanThenReportsAMissingFileAndEveryCommandRefuses() throws {
        let (dir, t) = try Self.table()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clean = try LakeBinary.run(["check", "--table", t])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("clean: no problems found"), "\(clean.stdout)")

        let files = try LakeBinary.run(["files", "--table", t, "--relative"]).stdout.split(separator: "\n").map(
            String.init)
        #expect(files.count == 2)
        let victim = try #require(files.first { $0.hasPrefix("region=eu/") })
        try FileManager.default.removeItem(atPath: t + "/" + victim)

        let report = try LakeBinary.run(["check", "--table", t, "--json"])
        #expect(report.status == 65)
        let doc = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        #expect(doc?["clean"] as? Bool == false)
        let problems = doc?["problems"] as? [[String: Any]] ?? []
        #expect(problems.map { $0["kind"] as? String } == ["missing-file"], "\(report.stdout)")
        #expect(problems.first?["location"] as? String == victim)
        let text = try LakeBinary.run(["check", "--table", t])
        #expect(text.status == 65 && text.stdout.contains("missing-file  \(victim)"), "\(text.stdout)")

        // Reads refuse; a write refuses when it touches the damaged partition (a write lists and
        // checks only the partitions it touches: it cannot make a loss elsewhere permanent).
        for args in [
            ["query", "--table", t], ["describe", "--table", t], ["files", "--table", t],
            ["upsert", "--table", t, "--input", "-"],
        ] {
            let r = try LakeBinary.run(args, input: #"{"id": "9", "ts": 3, "region": "eu", "n": 9}"# + "\n")
            #expect(r.status == 65, "\(args[0]): \(r.stderr)")
            #expect(r.stderr.contains(victim), "\(args[0]): \(r.stderr)")
        }
    }

    @Test func aDamagedIndexIsRebuiltWithAWarningAndOnDemand() throws {
        let (dir, t) = try Self.table()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = t + "/.hoodie/lake/index"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let last = folder + "/" + (try #require(names.last))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: last))
        bytes[12] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: last))
        #expect(try LakeBinary.run(["check", "--table", t]).stdout.contains("index-damaged"))
        let lookup = try LakeBinary.run(["query", "--table", t, "--where", "id = '3'"])
        #expect(lookup.status == 0 && lookup.stdout.contains(#""n":3"#), "\(lookup.stderr)")
        #expect(lookup.stderr.contains("lake: warning: record index not used"), "\(lookup.stderr)")

        let rebuilt = try LakeBinary.run(["index", "rebuild", "--table", t, "--json"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(rebuilt.stdout.utf8)) as? [String: Any]
        #expect(doc?["live_keys"] as? Int == 6)
        #expect((doc?["previous"] as? String)?.hasPrefix("damaged") == true, "\(rebuilt.stdout)")
        #expect(try LakeBinary.run(["check", "--table", t]).status == 0)

        // Damaged again: the next write rebuilds it and warns.
        let names2 = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let base = folder + "/" + (try #require(names2.first { $0.hasPrefix("base_") }))
        try Data([0, 1, 2]).write(to: URL(fileURLWithPath: base))
        let w = try LakeBinary.run(
            ["upsert", "--table", t, "--input", "-"], input: #"{"id": "7", "ts": 3, "region": "us", "n": 7}"# + "\n")
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stderr.contains("lake: warning: record index rebuilt from the base files"), "\(w.stderr)")
        #expect(try LakeBinary.run(["check", "--table", t]).status == 0)
    }

    @Test func filesFormatsAndCreateOverALostPropertiesFile() throws {
        let (dir, t) = try Self.table()
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = try LakeBinary.run(["files", "--table", t])
        #expect(list.status == 0)
        let paths = list.stdout.split(separator: "\n").map(String.init)
        #expect(paths.count == 2 && paths.allSatisfy { $0.hasPrefix(t + "/region=") && $0.hasSuffix(".parquet") })
        let json = try LakeBinary.run(["files", "--table", t, "--format", "json"])
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((doc?["files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == paths)
        #expect(doc?["columns"] as? [String] == ["id", "ts", "region", "n"])
        let sql = try LakeBinary.run(["files", "--table", t, "--format", "duckdb"])
        #expect(sql.stdout.contains("hive_partitioning = false, union_by_name = true"))
        for p in paths { #expect(sql.stdout.contains("'\(p)'")) }
        #expect(try LakeBinary.run(["files", "--table", t, "--format", "csv"]).status == 64)
        let asOfFirst = try LakeBinary.run(["files", "--table", t, "--as-of", "20000101"])
        #expect(asOfFirst.status == 66, "\(asOfFirst.stderr)")

        // hoodie.properties lost: create refuses (65) and says how to recover; so does every command.
        try FileManager.default.removeItem(atPath: t + "/.hoodie/hoodie.properties")
        let create = try LakeBinary.run(["create", "--table", t, "--key", "id"])
        #expect(create.status == 65, "\(create.stderr)")
        #expect(create.stderr.contains("refusing to create a new table over it"), "\(create.stderr)")
        let query = try LakeBinary.run(["query", "--table", t])
        #expect(query.status == 65 && !query.stderr.contains("create it first"), "\(query.stderr)")
        #expect(!FileManager.default.fileExists(atPath: t + "/.hoodie/hoodie.properties"))
    }
}
