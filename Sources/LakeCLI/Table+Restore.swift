import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake restore --table PATH --to T [--json]`
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Return the table to a savepoint, removing every commit after it.",
            discussion: """
                Each later commit is undone newest first (its data, index and instant files \
                deleted), savepoints of those commits are deleted, and the restore is recorded as \
                one .hoodie/<R>.restore instant. Afterwards the table reads exactly as it did as \
                of the savepoint.

                Example:
                  lake restore --table /data/customers --to 20250101120000000
                """
        )
        @OptionGroup var table: TableOptions
        @Option(help: ArgumentHelp("The savepoint to return to (its commit instant).", valueName: "instant"))
        var to: String
        @Flag(help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            let r = try table.open().restore(toSavepoint: to)
            let out = StandardOutput.shared
            if json {
                JSONWriter.appendValue(
                    .object([
                        JSONMember("savepoint", .string(r.savepoint)),
                        JSONMember("restore_instant", .string(r.instant)),
                        JSONMember("rolled_back", .array(r.rolledBack.map(RollbackReport.json))),
                        JSONMember("savepoints_deleted", .array(r.savepointsDeleted.map { .string($0) })),
                    ]), to: &out.buffer)
                out.buffer.append(0x0A)
            } else if r.instant.isEmpty {
                out.buffer.append(
                    contentsOf: "the table is already at savepoint \(r.savepoint); nothing to restore\n".utf8)
            } else {
                let files = r.rolledBack.reduce(0) { $0 + $1.deletedDataFiles.count }
                var line = "restored to \(r.savepoint): removed \(r.rolledBack.count) commits (\(files) data files)"
                if !r.savepointsDeleted.isEmpty {
                    line += " and savepoints \(r.savepointsDeleted.joined(separator: ", "))"
                }
                out.buffer.append(contentsOf: (line + "; recorded as \(r.instant).restore\n").utf8)
            }
            try out.flush()
        }
    }
}
