import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake describe --table PATH [--json]`
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "describe",
            abstract: "Show a table's configuration, schema, partitions, file groups and commits.",
            discussion: """
                Examples:
                  lake describe --table /data/customers
                  lake describe --table /data/customers --json | jq '.partitions | length'
                  lake describe --table s3://lake/customers   # also says where the AWS credentials came from
                """
        )
        @OptionGroup var table: TableOptions
        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let opened = try table.open()
            let d = try opened.describe()
            // Where the credentials, region and endpoint of an S3 table came from (never the secret).
            let awsLines = (opened.storage as? S3Storage)?.client.aws.configuration.describe(services: [.s3]) ?? []
            let out = StandardOutput.shared
            if json {
                func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
                func num(_ n: Int64) -> JSONValue { .number(JSONNumber(n)) }
                let commits: [JSONValue] = d.commits.map { c in
                    .object([
                        JSONMember("instant", .string(c.instant)), JSONMember("action", .string(c.action)),
                        JSONMember("state", .string(c.state)), JSONMember("operation", str(c.operation)),
                        JSONMember("files_written", num(Int64(c.filesWritten))),
                        JSONMember("records_written", num(c.recordsWritten)),
                    ])
                }
                let partitions: [JSONValue] = d.partitions.map { p in
                    .object([
                        JSONMember("path", .string(p.path)),
                        JSONMember(
                            "file_groups",
                            .array(
                                p.fileGroups.map { g in
                                    .object([
                                        JSONMember("file_id", .string(g.fileId)),
                                        JSONMember("base_file", .string(g.baseFile)),
                                        JSONMember("rows", num(Int64(g.rows))), JSONMember("bytes", num(g.bytes)),
                                    ])
                                })),
                    ])
                }
                let doc: JSONValue = .object([
                    JSONMember("name", .string(d.name)), JSONMember("path", .string(d.path)),
                    JSONMember("aws", awsLines.isEmpty ? .null : .array(awsLines.map { .string($0) })),
                    JSONMember("record_key_fields", .array(d.recordKeyFields.map { .string($0) })),
                    JSONMember("precombine_field", str(d.precombineField)),
                    JSONMember("table_type", .string(d.tableType.rawValue)),
                    JSONMember("partition_fields", .array(d.partitionFields.map { .string($0) })),
                    JSONMember("hive_style", .bool(d.hiveStyle)),
                    JSONMember("schema", str(d.schema?.messageType())),
                    JSONMember("rows", num(Int64(d.totalRows))), JSONMember("bytes", num(d.totalBytes)),
                    JSONMember("commits", .array(commits)), JSONMember("partitions", .array(partitions)),
                ])
                JSONWriter.appendValue(doc, to: &out.buffer)
                out.buffer.append(0x0A)
            } else {
                var s = "table \(d.name) at \(d.path)\n"
                for line in awsLines { s += "  aws:         \(line)\n" }
                s += "  record key:  \(d.recordKeyFields.joined(separator: ", "))\n"
                s += "  precombine:  \(d.precombineField ?? "(none)")\n"
                if d.tableType == .mergeOnRead {
                    s +=
                        "  type:        MERGE_ON_READ (lake reads it but does not write it; rows below are base-file rows)\n"
                }
                s +=
                    "  partitions:  \(d.partitionFields.isEmpty ? "(not partitioned)" : d.partitionFields.joined(separator: ", ") + (d.hiveStyle ? " (hive style)" : ""))\n"
                s +=
                    "  rows:        \(d.totalRows) in \(d.partitions.reduce(0) { $0 + $1.fileGroups.count }) file groups, \(WholeInput.formatBytes(d.totalBytes))\n"
                if let schema = d.schema {
                    s +=
                        "schema:\n"
                        + schema.messageType().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
                }
                s += "commits (\(d.commits.count)):\n"
                for c in d.commits {
                    s +=
                        "  \(c.instant)  \(c.action)\(c.state == "completed" ? "" : " (\(c.state))")  \(c.operation ?? "")  \(c.filesWritten) files, \(c.recordsWritten) rows\n"
                }
                s += "partitions (\(d.partitions.count)):\n"
                for p in d.partitions {
                    s +=
                        "  \(p.path.isEmpty ? "(root)" : p.path): \(p.fileGroups.count) file groups, \(p.fileGroups.reduce(0) { $0 + $1.rows }) rows, \(WholeInput.formatBytes(p.fileGroups.reduce(0) { $0 + $1.bytes }))\n"
                }
                out.buffer.append(contentsOf: s.utf8)
            }
            try out.flush()
        }
    }
}
