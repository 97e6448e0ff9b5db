import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake savepoint create|list|delete --table PATH [--instant T]`
    struct Savepoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "savepoint",
            abstract: "Pin commits against the cleaner, list and delete savepoints.",
            discussion: """
                A savepoint keeps every file a read as of its commit needs, so the table can be \
                read as of it and returned to it with 'lake restore'. It is stored as \
                .hoodie/<T>.savepoint, T being the commit's instant.

                Examples:
                  lake savepoint create --table /data/customers
                  lake savepoint list --table /data/customers --json
                  lake savepoint delete --table /data/customers --instant 20250101120000000
                """,
            subcommands: [Create.self, List.self, Delete.self]
        )

        /// `lake savepoint create`
        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create",
                abstract: "Pin a completed commit (default: the latest).",
                discussion: """
                    Example:
                      lake savepoint create --table /data/customers --instant 20250101120000000 --comment "before backfill"
                    """
            )
            @OptionGroup var table: TableOptions
            @Option(help: ArgumentHelp("The completed commit to pin (default: the latest).", valueName: "instant"))
            var instant: String?
            @Option(help: "A comment stored with the savepoint.")
            var comment = ""
            @Flag(help: "Print the savepoint as one JSON object.")
            var json = false

            func run() throws {
                let t = try table.open()
                let s: SavepointMetadata
                do throws(LakeError) {
                    s = try t.createSavepoint(instant: instant, comment: comment)
                } catch {
                    guard error.code == .alreadyExists else { throw error }
                    throw CLIFailure(
                        .usage, error.message,
                        hint: "'lake savepoint list --table \(table.table)' shows it; delete it first with "
                            + "'lake savepoint delete' to create it anew")
                }
                let out = StandardOutput.shared
                if json {
                    JSONWriter.appendValue(SavepointReport.json(s), to: &out.buffer)
                    out.buffer.append(0x0A)
                } else {
                    out.buffer.append(
                        contentsOf: "savepoint \(s.instant) created: \(s.files.count) files pinned\n".utf8)
                }
                try out.flush()
            }
        }

        /// `lake savepoint list`
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List the table's savepoints, oldest first.",
                discussion: """
                    Example:
                      lake savepoint list --table /data/customers
                    """
            )
            @OptionGroup var table: TableOptions
            @Flag(help: "Print one JSON object {\"savepoints\": [...]}.")
            var json = false

            func run() throws {
                let all = try table.open().savepoints()
                let out = StandardOutput.shared
                if json {
                    JSONWriter.appendValue(
                        .object([JSONMember("savepoints", .array(all.map(SavepointReport.json)))]), to: &out.buffer)
                    out.buffer.append(0x0A)
                } else if all.isEmpty {
                    out.buffer.append(contentsOf: "no savepoints\n".utf8)
                } else {
                    for s in all {
                        var line = "\(s.instant)  \(s.isReadable ? "\(s.files.count) files" : "(not lake's format)")"
                        if !s.savepointedBy.isEmpty { line += "  by \(s.savepointedBy)" }
                        if !s.comments.isEmpty { line += "  \(s.comments)" }
                        out.buffer.append(contentsOf: (line + "\n").utf8)
                    }
                }
                try out.flush()
            }
        }

        /// `lake savepoint delete`
        struct Delete: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "delete",
                abstract: "Remove a savepoint (its files become cleanable again).",
                discussion: """
                    Example:
                      lake savepoint delete --table /data/customers --instant 20250101120000000
                    """
            )
            @OptionGroup var table: TableOptions
            @Option(help: ArgumentHelp("The savepoint's commit instant.", valueName: "instant"))
            var instant: String

            func run() throws {
                try table.open().deleteSavepoint(instant: instant)
                StandardOutput.shared.buffer.append(contentsOf: "savepoint \(instant) deleted\n".utf8)
                try StandardOutput.shared.flush()
            }
        }
    }
}

/// How savepoints are printed.
enum SavepointReport {
    static func json(_ s: SavepointMetadata) -> JSONValue {
        .object([
            JSONMember("instant", .string(s.instant)), JSONMember("savepointed_by", .string(s.savepointedBy)),
            JSONMember("savepointed_at", .number(JSONNumber(s.savepointedAt))),
            JSONMember("comments", .string(s.comments)),
            JSONMember("files", .number(JSONNumber(s.files.count))), JSONMember("readable", .bool(s.isReadable)),
        ])
    }
}
