import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake rollback --table PATH [--instant T] [--json]`
    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rollback",
            abstract: "Roll back failed writes, or undo the latest commit.",
            discussion: """
                Without --instant, finishes what a crashed or failed writer left (every write does \
                this first anyway): interrupted rollbacks and restores, then every pending write — \
                its data files first, then its index files, then its instant files. With --instant \
                T naming the latest completed commit, also undoes that commit, so the table reads \
                as of the commit before it. Each rolled-back write is recorded as a \
                .hoodie/<R>.rollback instant.

                Examples:
                  lake rollback --table /data/customers
                  lake rollback --table /data/customers --instant 20250101120000000 --json
                """
        )
        @OptionGroup var table: TableOptions
        @Option(
            help: ArgumentHelp("A commit to undo: the latest completed one (or a pending write).", valueName: "instant")
        )
        var instant: String?
        @Flag(help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            let done = try table.open().rollback(instant: instant)
            let out = StandardOutput.shared
            if json {
                let items: [JSONValue] = done.map(RollbackReport.json)
                JSONWriter.appendValue(.object([JSONMember("rolled_back", .array(items))]), to: &out.buffer)
                out.buffer.append(0x0A)
            } else if done.isEmpty {
                out.buffer.append(contentsOf: "nothing to roll back\n".utf8)
            } else {
                for r in done {
                    out.buffer.append(
                        contentsOf:
                            "rolled back \(r.rolledBack) (\(r.rolledBackAction.rawValue), \(r.wasCompleted ? "completed" : "pending")): \(RollbackReport.counts(r)); recorded as \(r.instant).rollback\n"
                            .utf8)
                }
            }
            try out.flush()
        }
    }
}

/// How rollbacks are printed (shared with `lake restore`).
enum RollbackReport {
    static func json(_ r: RollbackMetadata) -> JSONValue {
        .object([
            JSONMember("instant", .string(r.rolledBack)), JSONMember("action", .string(r.rolledBackAction.rawValue)),
            JSONMember("was_completed", .bool(r.wasCompleted)), JSONMember("rollback_instant", .string(r.instant)),
            JSONMember("data_files_deleted", .number(JSONNumber(r.deletedDataFiles.count))),
            JSONMember("index_files_deleted", .number(JSONNumber(r.deletedIndexFiles.count))),
            JSONMember("instant_files_deleted", .number(JSONNumber(r.deletedInstantFiles.count))),
        ])
    }

    static func counts(_ r: RollbackMetadata) -> String {
        "\(r.deletedDataFiles.count) data files, \(r.deletedIndexFiles.count) index files, \(r.deletedInstantFiles.count) instant files deleted"
    }
}
