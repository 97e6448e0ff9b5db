import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake check --table PATH [--json]`
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Verify a table: files, sizes, row counts, record index, properties.",
            discussion: """
                Reads the whole table and changes nothing. It checks that hoodie.properties has \
                the right hoodie.table.checksum; that the metadata of every completed commit \
                (active and archived by lake) parses; that every base file a readable snapshot \
                needs (the latest, and as of every commit from the earliest readable instant on, \
                and every savepoint) exists, has the size its commit's write stats say, opens as \
                Parquet and holds their numWrites rows, and that no visible file is named with a \
                commit that did not write it; that the latest snapshot holds each record key once; \
                and that the record index agrees with the data (every key indexed to the file group \
                holding it and nothing else indexed) with intact checksums.

                Prints every problem found — what, and where — or that the table is clean. Exit \
                code 0 when clean, 65 when anything is wrong. docs/operations.md says what each \
                problem means and how to recover.

                With --json, one object: {"table", "clean", "problem_count", "problems": [{"kind", \
                "location", "message"}], "unlisted": {kind: count}, "commits_checked", \
                "snapshots_checked", "files_checked", "bytes_checked", "keys_checked", \
                "index_entries", "index"}.

                Examples:
                  lake check --table /data/customers
                  lake check --table /data/customers --json | jq -r '.problems[].location'
                """
        )
        @OptionGroup var table: TableOptions
        @Flag(help: "Print the report as one JSON object.")
        var json = false

        func run() throws {
            CLILog.setVerbose(table.verbose)
            let report = try Self.check(table.table)
            let out = StandardOutput.shared
            if json {
                JSONWriter.appendValue(Self.json(report), to: &out.buffer)
                out.buffer.append(0x0A)
            } else {
                out.buffer.append(contentsOf: Self.text(report).utf8)
            }
            try out.flush()
            if !report.isClean {
                throw CLIFailure(
                    .dataError, "\(report.problemCount) problem(s) found in \(report.table)",
                    hint: "docs/operations.md (\"When a check fails\") says how to recover from each kind")
            }
        }

        /// Checks the table, mapping "no table here" to exit code 66.
        static func check(_ path: String) throws -> CheckReport {
            do {
                return try Table.check(at: path)
            } catch {
                if error.code == .notFound { throw CLIFailure(.noInput, error.message) }
                throw error
            }
        }

        static func json(_ r: CheckReport) -> JSONValue {
            func num(_ n: Int64) -> JSONValue { .number(JSONNumber(n)) }
            let problems: [JSONValue] = r.problems.map { p in
                .object([
                    JSONMember("kind", .string(p.kind.rawValue)), JSONMember("location", .string(p.location)),
                    JSONMember("message", .string(p.message)),
                ])
            }
            let unlisted = r.unlisted.keys.sorted().map { JSONMember($0.rawValue, num(Int64(r.unlisted[$0]!))) }
            return .object([
                JSONMember("table", .string(r.table)), JSONMember("clean", .bool(r.isClean)),
                JSONMember("problem_count", num(Int64(r.problemCount))), JSONMember("problems", .array(problems)),
                JSONMember("unlisted", .object(unlisted)),
                JSONMember("commits_checked", num(Int64(r.commitsChecked))),
                JSONMember("snapshots_checked", num(Int64(r.snapshotsChecked))),
                JSONMember("files_checked", num(Int64(r.filesChecked))),
                JSONMember("bytes_checked", num(r.bytesChecked)),
                JSONMember("keys_checked", num(Int64(r.keysChecked))),
                JSONMember("index_entries", num(Int64(r.indexEntries))),
                JSONMember("index", .string(r.indexStatus)),
            ])
        }

        static func text(_ r: CheckReport) -> String {
            var s = "check of \(r.table): \(r.commitsChecked) commits, \(r.snapshotsChecked) snapshots, "
            s += "\(r.filesChecked) files (\(WholeInput.formatBytes(r.bytesChecked))), \(r.keysChecked) keys, "
            s += "record index \(r.indexStatus) (\(r.indexEntries) entries)\n"
            if r.isClean {
                s += "clean: no problems found\n"
                return s
            }
            s += "\(r.problemCount) problem(s):\n"
            for p in r.problems {
                s += "  \(p.kind.rawValue)  \(p.location.isEmpty ? "-" : p.location)\n      \(p.message)\n"
            }
            for (kind, n) in r.unlisted.sorted(by: { $0.key < $1.key }) {
                s += "  … and \(n) more \(kind.rawValue) problem(s) not listed\n"
            }
            return s
        }
    }
}
