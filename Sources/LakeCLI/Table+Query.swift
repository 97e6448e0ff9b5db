import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake query --table PATH [--columns a,b] [--where EXPR] [--format …] [--as-of T | --since T1 [--until T2]]`
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "Read a table's rows: the latest snapshot, as of an earlier commit, or what changed since one.",
            discussion: """
                --where takes comparisons (=, !=, <, <=, >, >=), IN (…), IS [NOT] NULL, joined by \
                AND / OR / NOT, with 'quoted' strings, dates and timestamps. It prunes partitions, \
                skips row groups by statistics, and filters rows exactly.

                Times (--as-of, --since, --until) are an instant (yyyyMMddHHmmssSSS or 14 digits), \
                an ISO-8601 / RFC 3339 time (2024-06-01T10:00:00Z; without a zone, the table's \
                timeline zone, UTC unless the table says LOCAL) or epoch seconds/milliseconds.

                --as-of reads the table as of the newest commit at or before the time.

                --since T1 [--until T2] is an incremental read, as Hudi's incremental query: the \
                current version (as of T2) of every record inserted or updated by the commits in \
                the window (T1, T2] — T1 excluded, T2 included, T2 defaulting to the latest \
                commit. Deleted records are not returned; 'lake changes' shows deletes and \
                before-images. Use the last commit you processed as the next --since.

                On a merge-on-read table every read merges each file group's base file with its \
                log files (the delta commits since its last compaction); --read-optimized reads \
                the base files only, as Hudi's read-optimized query: faster, but without those \
                changes.

                Reads before the earliest instant still readable (the cleaner removed older file \
                versions; see 'lake timeline') fail with exit code 66 and name that instant.

                Examples:
                  lake query --table /data/customers --format table --limit 20
                  lake query --table /data/customers --columns id,email --where "partitionkey = '7' AND email IS NOT NULL"
                  lake query --table /data/customers --as-of 2024-06-01T10:00:00Z --format csv
                  lake query --table /data/customers --since 20240601100000000 --until 20240602000000000 --meta
                  lake query --table /data/trips_mor --read-optimized --format table
                """
        )
        @OptionGroup var table: TableOptions
        @OptionGroup var rows: RowSelectionOptions

        @Option(
            name: .customLong("as-of"), parsing: .unconditional,
            help: ArgumentHelp("Read the table as of this time.", valueName: "time"))
        var asOf: String?

        @OptionGroup var window: WindowOptions

        @Flag(
            name: .customLong("read-optimized"),
            help: "On a merge-on-read table, read base files only (without uncompacted log files).")
        var readOptimized = false

        func validate() throws {
            if asOf != nil && (window.since != nil || window.until != nil) {
                throw ValidationError(
                    "--as-of cannot be combined with --since/--until (an incremental read ends at --until)")
            }
            try window.validate(required: false)
        }

        func run() throws {
            let t = try table.open()
            var options = try rows.readOptions()
            options.asOf = asOf
            options.readOptimized = readOptimized
            let batches = try Self.read(t, options, window: window.readWindow)
            try RowsOutput.print(batches, schema: Self.outputSchema(t, options), format: rows.format, limit: rows.limit)
        }

        /// Reads the rows (incrementally if `window` is set); an unknown column, a literal that
        /// does not fit or a bad time is a usage error.
        static func read(_ t: Table, _ options: ReadOptions, window: ReadWindow? = nil) throws -> [RecordBatch] {
            do throws(LakeError) {
                if let window { return try t.readIncremental(window, options: options) }
                return try t.read(options)
            } catch {
                if error.code == .invalidArgument { throw CLIFailure(.usage, error.message) }
                throw error
            }
        }

        static func outputSchema(_ t: Table, _ o: ReadOptions) -> ParquetSchema {
            guard let s = t.schema else { return ParquetSchema([]) }
            let data = (o.columns ?? s.fields.map(\.name)).compactMap { s.field(named: $0) }
            let meta =
                o.includeMetaColumns ? TableSchema.metaColumns.map { ParquetField.string($0, nullable: true) } : []
            return ParquetSchema(meta + data)
        }
    }
}

/// Prints batches in a row format, honouring a row limit.
enum RowsOutput {
    static func print(_ batches: [RecordBatch], schema: ParquetSchema, format: RowOutputFormat, limit: Int?) throws {
        var formatter = RowPrinter(schema: schema, format: format)
        let out = StandardOutput.shared
        var remaining = limit ?? Int.max
        for b in batches where remaining > 0 {
            let n = min(remaining, b.rowCount)
            try formatter.append(b, rows: 0..<n, to: &out.buffer)
            try out.flushIfFull()
            remaining -= n
        }
        formatter.finish(to: &out.buffer)
        try out.flush()
    }
}

/// `--since T1 [--until T2]`: a window of commits `(T1, T2]`, shared by `query` and `changes`.
struct WindowOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Start of the window, excluded: commits after this time.", valueName: "time"))
    var since: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("End of the window, included (default: the latest commit).", valueName: "time"))
    var until: String?

    /// Checks the combination; `required`: `--since` must be given.
    func validate(required: Bool) throws {
        if since == nil && (required || until != nil) {
            throw ValidationError(
                required
                    ? "--since is required (use --since 0 for the whole history)"
                    : "--until needs --since (use --since 0 for the whole history)")
        }
    }

    /// The window, or nil if neither bound is given.
    var readWindow: ReadWindow? {
        since == nil && until == nil ? nil : ReadWindow(since: since, until: until)
    }
}
