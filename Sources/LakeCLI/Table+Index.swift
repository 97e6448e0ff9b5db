import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake index rebuild --table PATH [--json]`
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index",
            abstract: "Maintain the table's record index.",
            discussion: """
                lake keeps an exact record index (key → file group, and tombstones of ordered \
                deletes) in .hoodie/lake/index. Every index file carries a CRC-32; a write that \
                finds the index missing, damaged or behind the timeline rebuilds it on its own and \
                says so on standard error. 'lake check' compares it with the data.

                Example:
                  lake index rebuild --table /data/customers
                """,
            subcommands: [Rebuild.self]
        )

        /// `lake index rebuild`
        struct Rebuild: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rebuild",
                abstract: "Rebuild the record index from the table's base files.",
                discussion: """
                    Reads the record key of every row of the latest snapshot (after checking its \
                    files against the commit metadata), keeps the tombstones that intact index \
                    files hold, and writes the index as one new base named after the latest commit. \
                    Takes the writer lock (see --wait) and first finishes what a crashed writer left.

                    With --json, one object: {"table", "instant", "previous", "live_keys", \
                    "tombstones", "files_read"}.

                    Examples:
                      lake index rebuild --table /data/customers
                      lake index rebuild --table /data/customers --json --wait 30s
                    """
            )
            @OptionGroup var table: TableOptions
            @Flag(help: "Print what was done as one JSON object.")
            var json = false

            func run() throws {
                let r = try table.open().rebuildRecordIndex()
                let out = StandardOutput.shared
                if json {
                    func num(_ n: Int) -> JSONValue { .number(JSONNumber(Int64(n))) }
                    let doc: JSONValue = .object([
                        JSONMember("table", .string(table.table)),
                        JSONMember("instant", r.instant.map { .string($0) } ?? .null),
                        JSONMember("previous", .string(r.previousState)),
                        JSONMember("live_keys", num(r.liveKeys)), JSONMember("tombstones", num(r.tombstones)),
                        JSONMember("files_read", num(r.filesRead)),
                    ])
                    JSONWriter.appendValue(doc, to: &out.buffer)
                    out.buffer.append(0x0A)
                } else if let instant = r.instant {
                    out.buffer.append(
                        contentsOf: """
                            record index rebuilt at \(instant) from \(r.filesRead) base file(s): \(r.liveKeys) keys, \
                            \(r.tombstones) tombstones kept (it was \(r.previousState))

                            """.utf8)
                } else {
                    out.buffer.append(contentsOf: "the table has no commits; there is no index to rebuild\n".utf8)
                }
                try out.flush()
            }
        }
    }
}
