import ArgumentParser
import Lake

/// `--columns`, `--where`, `--format`, `--meta`, `--limit`: what a reading command prints
/// (`lake query`, and `lake changes`, where columns and meta columns apply to the before and
/// after records and a change is kept when either matches `--where`).
struct RowSelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Comma-separated columns, in this order (default: all).", valueName: "a,b,…"))
    var columns: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Row filter expression.", valueName: "expr"))
    var filter: String?

    @Option(help: "Output format: jsonl, csv or table.")
    var format: RowOutputFormat = .jsonl

    @Flag(help: "Include the five _hoodie_* meta columns first.")
    var meta = false

    @Option(parsing: .unconditional, help: "Print at most this many rows.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
    }

    /// The columns, meta columns and predicate asked for; a bad `--where` is a usage error.
    func readOptions() throws(CLIFailure) -> ReadOptions {
        var options = ReadOptions(includeMetaColumns: meta)
        options.columns = columns.map { $0.split(separator: ",").map { String($0).trimmingSpaces() } }
        if let f = filter {
            do throws(LakeError) { options.predicate = try Predicate(parsing: f) } catch {
                throw CLIFailure(.usage, error.message)
            }
        }
        return options
    }
}
