import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake files --table PATH [--as-of T] [--format list|json|duckdb] [--relative] [--meta]`
    struct Files: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "files",
            abstract: "Print the Parquet files of a snapshot, for plain Parquet readers.",
            discussion: """
                A table directory holds every file version the cleaner still keeps and the files \
                of failed writes, so globbing it (**/*.parquet) reads old versions of updated \
                rows, deleted rows and uncommitted ones. This prints exactly the files of one \
                snapshot — the latest commit's, or as of --as-of — checked against the commit \
                metadata: reading just these gives the rows 'lake query' (and hudi-rs) return.

                Every file holds all columns, partition columns included with their real types, \
                after the five _hoodie_* columns. So readers must not derive columns from the \
                directory names (no hive partitioning), and must match columns by name, filling \
                columns that older files lack with nulls.

                Formats (--format):
                  list    one absolute path per line (default; --relative: from the table)
                  json    {"table", "instant", "columns", "files": [{"path",
                          "relative_path", "partition", "file_id", "commit", "bytes"}]}
                  duckdb  SELECT * EXCLUDE (_hoodie_*) FROM read_parquet([...],
                          hive_partitioning = false, union_by_name = true)
                          (--meta keeps the _hoodie_* columns)

                Examples:
                  lake files --table /data/customers --format duckdb | duckdb
                  lake files --table /data/customers --as-of 2024-06-01T10:00:00Z
                  lake files --table /data/customers --format json | jq -r '.files[].path'
                """
        )
        @OptionGroup var table: TableOptions
        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp("The snapshot as of this time (an instant, ISO-8601, epoch).", valueName: "time"))
        var asOf: String?
        @Option(help: ArgumentHelp("list, json or duckdb.", valueName: "format"))
        var format = "list"
        @Flag(help: "list: print paths relative to the table directory.")
        var relative = false
        @Flag(help: "duckdb: select the _hoodie_* meta columns too.")
        var meta = false

        func validate() throws {
            guard ["list", "json", "duckdb"].contains(format) else {
                throw ValidationError("--format must be list, json or duckdb, not '\(format)'")
            }
        }

        func run() throws {
            let files = try table.open().snapshotFiles(asOf: asOf)
            let out = StandardOutput.shared
            switch format {
            case "json":
                JSONWriter.appendValue(Self.json(files, table: table.table), to: &out.buffer)
                out.buffer.append(0x0A)
            case "duckdb":
                out.buffer.append(contentsOf: Self.duckdb(files, meta: meta).utf8)
            default:
                for (s, location) in zip(files.slices, files.locations) {
                    out.buffer.append(contentsOf: (relative ? s.path : location).utf8)
                    out.buffer.append(0x0A)
                }
            }
            try out.flush()
        }

        static func json(_ f: SnapshotFiles, table: String) -> JSONValue {
            let items: [JSONValue] = zip(f.slices, f.locations).map { s, location in
                .object([
                    JSONMember("path", .string(location)), JSONMember("relative_path", .string(s.path)),
                    JSONMember("partition", .string(s.partitionPath)), JSONMember("file_id", .string(s.fileId)),
                    JSONMember("commit", .string(s.instantTime)),
                    JSONMember("bytes", .number(JSONNumber(s.size))),
                ])
            }
            return .object([
                JSONMember("table", .string(table)), JSONMember("instant", f.instant.map { .string($0) } ?? .null),
                JSONMember("columns", .array(f.columns.map { .string($0) })), JSONMember("files", .array(items)),
            ])
        }

        /// A DuckDB query over exactly the snapshot's files.
        static func duckdb(_ f: SnapshotFiles, meta: Bool) -> String {
            guard !f.slices.isEmpty else {
                return "-- the table has no committed files\(f.instant.map { " as of \($0)" } ?? "")\n"
            }
            func doubled(_ s: String, _ q: Character) -> String {
                let parts = s.split(separator: q, omittingEmptySubsequences: false)
                return String(q) + parts.joined(separator: String(q) + String(q)) + String(q)
            }
            func literal(_ s: String) -> String { doubled(s, "'") }
            func identifier(_ s: String) -> String { doubled(s, "\"") }
            // `*`: the columns the files hold, matched by name (a column added after every one of
            // these files was written is not there, and cannot be named).
            var s = "-- snapshot of \(f.root) as of commit \(f.instant ?? "-"): \(f.slices.count) file(s)\n"
            let metaColumns = TableSchema.metaColumns.map(identifier).joined(separator: ", ")
            s += meta ? "SELECT *\n" : "SELECT * EXCLUDE (\(metaColumns))\n"
            s += "FROM read_parquet([\n"
            s += f.locations.map { "    " + literal($0) }.joined(separator: ",\n")
            s += "\n], hive_partitioning = false, union_by_name = true);\n"
            return s
        }
    }
}
