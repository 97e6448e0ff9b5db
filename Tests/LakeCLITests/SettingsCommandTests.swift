import Foundation
import Testing

/// Settings and the command line as a user meets them (issue 10, "Settings and the command
/// line"): `--set` checks names and values, Hudi's option names work, locations with a URI
/// scheme are refused, and each message says what is wrong — through the built binary.
@Suite
struct SettingsCommandTests {
    static func properties(_ table: String) throws -> [String: String] {
        let text = try String(contentsOfFile: table + "/.hoodie/hoodie.properties", encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }

    @Test func unknownSettingsAreRefusedWithTheNearestName() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        let typo = try LakeBinary.run(["create", "--table", t, "--key", "id", "--set", "cleaner.commit.retained=2"])
        #expect(typo.status == 64)
        #expect(
            typo.stderr.contains("unknown setting 'cleaner.commit.retained'; did you mean 'cleaner.commits.retained'?"),
            "\(typo.stderr)")
        let hudi = try LakeBinary.run(["create", "--table", t, "--key", "id", "--set", "hoodie.keep.min.commit=25"])
        #expect(hudi.status == 64 && hudi.stderr.contains("did you mean 'hoodie.keep.min.commits'?"), "\(hudi.stderr)")
        let far = try LakeBinary.run([
            "create", "--table", t, "--key", "id", "--set", "hoodie.upsert.shuffle.parallelism=4",
        ])
        #expect(far.status == 64 && far.stderr.contains("no such setting"), "\(far.stderr)")
        #expect(!FileManager.default.fileExists(atPath: t + "/.hoodie/hoodie.properties"))
    }

    /// `cleaner.commits.retained=0` used to be stored, and then every upsert committed and
    /// exited 64 in the cleaner.
    @Test func valuesAreCheckedWhenSet() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        for (set, reason) in [
            ("cleaner.commits.retained=0", "must be at least 1"),
            ("hoodie.cleaner.commits.retained=-2", "must be at least 1"),
            ("cleaner.automatic=yes", "not true or false"),
            ("parquet.codec=lzo", "not a codec"),
            ("target.file.size=huge", "not a size"),
            ("archive.min.commits=5", "must be greater than lake.cleaner.commits.retained=10"),
        ] {
            let r = try LakeBinary.run(["create", "--table", t, "--key", "id", "--set", set])
            #expect(r.status == 64, "\(set): \(r.stderr)")
            #expect(r.stderr.contains(reason), "\(set): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: t))
    }

    /// Hudi's own option names set the setting lake has for them, stored under lake's property
    /// (never as `lake.hoodie.*`); the table is created as if the lake names had been used.
    @Test func hudiOptionNamesAreAliases() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        let r = try LakeBinary.run([
            "create", "--table", t,
            "--set", "hoodie.datasource.write.recordkey.field=id",
            "--set", "hoodie.datasource.write.precombine.field=ts",
            "--set", "hoodie.datasource.write.partitionpath.field=region",
            "--set", "hoodie.table.type=COPY_ON_WRITE",
            "--set", "hoodie.cleaner.policy=KEEP_LATEST_FILE_VERSIONS",
            "--set", "hoodie.cleaner.fileversions.retained=2",
            "--set", "hoodie.cleaner.commits.retained=4",
            "--set", "hoodie.keep.min.commits=12", "--set", "hoodie.keep.max.commits=24",
            "--set", "hoodie.parquet.max.file.size=64MiB",
            "--set", "hoodie.parquet.compression.codec=snappy",
            "--set", "hoodie.clean.automatic=false",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let p = try Self.properties(t)
        #expect(p["hoodie.table.recordkey.fields"] == "id" && p["hoodie.table.precombine.field"] == "ts")
        #expect(p["hoodie.table.partition.fields"] == "region" && p["hoodie.table.type"] == "COPY_ON_WRITE")
        #expect(p["hoodie.table.keygenerator.class"] == "org.apache.hudi.keygen.SimpleKeyGenerator")
        #expect(
            p["lake.cleaner.policy"] == "KEEP_LATEST_FILE_VERSIONS" && p["lake.cleaner.file.versions.retained"] == "2")
        #expect(p["lake.cleaner.commits.retained"] == "4")
        #expect(p["lake.archive.min.commits"] == "12" && p["lake.archive.max.commits"] == "24")
        #expect(p["lake.target.file.size"] == String(64 << 20) && p["lake.parquet.codec"] == "snappy")
        #expect(p["lake.cleaner.automatic"] == "false")
        #expect(
            !p.keys.contains { $0.hasPrefix("lake.hoodie") || $0.hasPrefix("hoodie.datasource.write.recordkey") },
            "\(p.keys.sorted())")
        // The table works with those settings.
        let w = try LakeBinary.run(
            ["upsert", "--table", t, "--input", "-"], input: #"{"id":"a","ts":1,"region":"eu"}"# + "\n")
        #expect(w.status == 0, "\(w.stderr)")
    }

    @Test func aTableTypeLakeCannotHonourIsRefused() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        for name in ["hoodie.table.type", "hoodie.datasource.write.table.type"] {
            let r = try LakeBinary.run(["create", "--table", t, "--key", "id", "--set", "\(name)=MERGE_ON_READ"])
            #expect(r.status == 64, "\(r.stderr)")
            #expect(r.stderr.contains("COPY_ON_WRITE tables only"), "\(r.stderr)")
        }
        let twice = try LakeBinary.run([
            "create", "--table", t, "--key", "id", "--set", "hoodie.datasource.write.recordkey.field=uuid",
        ])
        #expect(twice.status == 64 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        let noKey = try LakeBinary.run(["create", "--table", t])
        #expect(noKey.status == 64 && noKey.stderr.contains("--key is missing"), "\(noKey.stderr)")
        #expect(!FileManager.default.fileExists(atPath: t))
    }

    @Test func helpListsEverySetting() throws {
        let r = try LakeBinary.run(["create", "--help"])
        for name in [
            "cleaner.commits.retained", "hoodie.cleaner.commits.retained", "archive.min.commits",
            "hoodie.keep.min.commits",
            "target.file.size", "hoodie.parquet.max.file.size", "hoodie.table.type",
            "hoodie.datasource.write.recordkey.field",
        ] {
            #expect(r.stdout.contains(name), "\(name) missing from lake create --help")
        }
    }

    /// A URI scheme lake cannot serve is refused (exit 64); `s3://…` is object storage — without
    /// credentials it fails with exit 77 saying so. Neither ever becomes a local folder (`s3:`).
    @Test func uriLocationsAreRefused() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for args in [
            ["upsert", "--table", "gs://bucket/t", "--input", "-"], ["clean", "--table", "s3:/bucket/t"],
            ["query", "--table", "hdfs://nn/t"],
        ] {
            let r = try LakeBinary.run(args, input: "", in: dir)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(
                r.stderr.contains("is not supported") || r.stderr.contains("expected s3://bucket/prefix"),
                "\(args): \(r.stderr)")
        }
        // No AWS settings at all: every S3 command says what is missing, with its own exit code.
        let noAWS = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        for args in [
            ["create", "--table", "s3://bucket/t", "--key", "id"], ["query", "--table", "s3://bucket/t"],
            ["stream", "--table", "s3://bucket/t", "--source", "-"],
            ["upsert", "--table", "s3://bucket/t", "--cdc", "-"],
        ] {
            let r = try LakeBinary.run(args, input: "", in: dir, environment: noAWS)
            #expect(r.status == 77, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("no AWS credentials"), "\(args): \(r.stderr)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left.isEmpty, "\(left)")
        // file:// URIs name local directories.
        let local = try LakeBinary.run([
            "create", "--table", "file://" + dir.appendingPathComponent("t").path, "--key", "id",
        ])
        #expect(local.status == 0, "\(local.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t/.hoodie/hoodie.properties").path))
    }

    /// 10,000 parentheses or NOTs crashed the process (stack overflow); now a usage error.
    @Test func deeplyNestedWhereIsAUsageError() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id"]).status == 0)
        #expect(
            try LakeBinary.run(["upsert", "--table", t, "--input", "-"], input: #"{"id":"a","n":1}"# + "\n").status == 0
        )
        for expr in [
            String(repeating: "(", count: 10_000) + "n = 1" + String(repeating: ")", count: 10_000),
            String(repeating: "NOT ", count: 10_000) + "n = 1",
        ] {
            let r = try LakeBinary.run(["query", "--table", t, "--where", expr])
            #expect(r.status == 64, "\(r.stderr.prefix(300))")
            #expect(r.stderr.contains("more than 100 levels deep"), "\(r.stderr.prefix(300))")
        }
        let ok = try LakeBinary.run([
            "query", "--table", t, "--where", String(repeating: "NOT NOT ", count: 50) + "n = 1",
        ])
        #expect(ok.status == 0 && ok.stdout.contains("\"a\""), "\(ok.stderr)")
    }

    /// Negative numbers used to report "Missing value" (parsed as a flag); now the value is
    /// read and the message says what is wrong with it.
    @Test func negativeNumbersAreReadAsValues() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id"]).status == 0)
        for (args, message) in [
            (["clean", "--table", t, "--retain-commits", "-5"], "--retain-commits must be at least 1, not -5"),
            (
                ["clean", "--table", t, "--retain-file-versions", "-1"],
                "--retain-file-versions must be at least 1, not -1"
            ),
            (["query", "--table", t, "--limit", "-1"], "--limit must be 0 or more, not -1"),
            (
                ["stream", "--table", t, "--source", "-", "--max-records", "-3"],
                "--max-records must be at least 1, not -3"
            ),
            (["query", "--table", t, "--wait", "-1s"], "--wait"),
            (["create", "--table", t + "2", "--key", "id", "--target-file-size", "-5"], "not a size"),
        ] {
            let r = try LakeBinary.run(args, input: "")
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("Missing value"), "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    @Test func windowZeroSaysWhy() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        for w in ["0", "0s", "0ms"] {
            let r = try LakeBinary.run(["stream", "--table", t, "--source", "-", "--window", w], input: "")
            #expect(r.status == 64)
            #expect(r.stderr.contains("--window must be longer than 0"), "\(r.stderr)")
            #expect(!r.stderr.contains("is not a duration"), "\(r.stderr)")
        }
        let bad = try LakeBinary.run(["stream", "--table", t, "--source", "-", "--window", "soon"], input: "")
        #expect(bad.status == 64 && bad.stderr.contains("'soon' is not a duration"), "\(bad.stderr)")
        // Bare numbers are seconds, as the help says.
        let ok = try LakeBinary.run(
            ["stream", "--table", t, "--source", "-", "--window", "1.5", "--no-follow"], input: "")
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func streamSourceOptionsSayWhatIsWrong() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        for (args, message) in [
            (["--source", "kinesis://orders", "--start", "yesterday"], "'yesterday' is not a start position"),
            (["--source", "kinesis://orders", "--start", "at-timestamp:noon"], "neither an ISO 8601 time"),
            (["--source", "kinesis://orders", "--format", "csv"], "--format must be dynamodb or rows, not 'csv'"),
            (["--source", "-", "--format", "rows"], "--format rows applies to kinesis:// sources only"),
            (["--source", "-", "--sync", "hive"], "--sync must be glue, not 'hive'"),
            (["--source", "-", "--sync-table", ""], "--sync-table must be 1 to 255 printable characters"),
            (["--source", "-", "--metrics-port", "70000"], "--metrics-port must be a port number from 0 to 65535"),
            (
                ["--source", "-", "--metrics-address", "localhost", "--metrics-port", "0"],
                "--metrics-address must be an IPv4 address such as 127.0.0.1, not 'localhost'"
            ),
        ] {
            let r = try LakeBinary.run(["stream", "--table", t] + args, input: "")
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    /// A 10 KB partition value was exit 74 with a 20 KB message; it is bad data.
    @Test func overlongPartitionValueIsBadData() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id", "--partition-by", "p"]).status == 0)
        let value = String(repeating: "x", count: 10_000)
        let r = try LakeBinary.run(
            ["upsert", "--table", t, "--input", "-"], input: #"{"id":"a","p":"\#(value)"}"# + "\n")
        #expect(r.status == 65, "\(r.stderr.prefix(300))")
        #expect(
            r.stderr.contains("partition field p") && r.stderr.contains("xxxxxxxxxx")
                && r.stderr.contains("at most 255"))
        #expect(r.stderr.utf8.count < 600, "\(r.stderr.utf8.count) bytes")
        #expect(!FileManager.default.fileExists(atPath: t + "/p=" + value))
    }

    @Test func aSecondSavepointSaysOneExists() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id"]).status == 0)
        #expect(try LakeBinary.run(["upsert", "--table", t, "--input", "-"], input: #"{"id":"a"}"# + "\n").status == 0)
        #expect(try LakeBinary.run(["savepoint", "create", "--table", t]).status == 0)
        let again = try LakeBinary.run(["savepoint", "create", "--table", t])
        #expect(again.status == 64)
        #expect(again.stderr.contains("a savepoint already exists for instant"), "\(again.stderr)")
        #expect(!again.stderr.contains("another path"), "\(again.stderr)")
    }

    // MARK: - Progress

    /// Long commands show a live progress line on a terminal: standard error gets the line,
    /// drawn in place (`\r`, erase to end of line) and erased at the end; standard output keeps
    /// the report only.
    @Test func progressLineOnATerminal() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id", "--partition-by", "p"]).status == 0)
        let rows = (0..<2000).map { #"{"id":"k\#($0)","p":"\#($0 % 7)","n":\#($0)}"# }.joined(separator: "\n") + "\n"
        let input = dir.appendingPathComponent("rows.jsonl")
        try rows.write(to: input, atomically: true, encoding: .utf8)

        let upsert = try LakeBinary.runOnTerminal(["upsert", "--table", t, "--input", input.path])
        #expect(upsert.status == 0, "\(upsert.terminal)")
        #expect(upsert.stdout.hasPrefix("committed "), "\(upsert.stdout)")
        #expect(upsert.terminal.contains("upsert: "), "\(upsert.terminal)")
        #expect(upsert.terminal.contains("2,000 records"), "\(upsert.terminal)")
        #expect(
            upsert.terminal.contains("\r") && upsert.terminal.hasSuffix("\r\u{1B}[K"),
            "\(upsert.terminal.debugDescription)")

        let delete = try LakeBinary.runOnTerminal(
            ["delete", "--table", t, "--input", "-"], input: #"{"id":"k1"}"# + "\n")
        #expect(
            delete.status == 0 && delete.terminal.contains("delete: ") && delete.terminal.contains("1 records"),
            "\(delete.terminal)")

        for _ in 0..<2 {
            _ = try LakeBinary.run(["upsert", "--table", t, "--input", input.path])
        }
        let clean = try LakeBinary.runOnTerminal(["clean", "--table", t, "--retain-commits", "1"])
        #expect(clean.status == 0, "\(clean.terminal)")
        #expect(clean.terminal.contains("clean: "), "\(clean.terminal)")
        #expect(clean.stdout.contains("earliest readable instant"))

        let changes =
            #"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1700000000,"#
            + #""Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"}},"SequenceNumber":"1"}}"#
        let cdc = try LakeBinary.runOnTerminal(
            ["upsert", "--table", dir.appendingPathComponent("c").path, "--cdc", "-"], input: changes + "\n")
        #expect(cdc.status == 0 && cdc.terminal.contains("upsert: "), "\(cdc.terminal)")
    }

    /// Not a terminal: nothing on standard error.
    @Test func noProgressWhenNotATerminal() throws {
        let dir = try LakeBinary.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = dir.appendingPathComponent("t").path
        #expect(try LakeBinary.run(["create", "--table", t, "--key", "id"]).status == 0)
        for args in [
            ["upsert", "--table", t, "--input", "-"], ["delete", "--table", t, "--input", "-"],
            ["clean", "--table", t],
        ] {
            let r = try LakeBinary.run(args, input: #"{"id":"a"}"# + "\n")
            #expect(r.status == 0 && r.stderr.isEmpty, "\(args): \(r.stderr)")
        }
    }
}
