import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake query --table PATH [--columns a,b] [--where EXPR] [--format …] [--as-of T]`
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "Read a table's rows: the latest snapshot, or as of an earlier commit.",
            discussion: """
                --where takes comparisons (=, !=, <, <=, >, >=), IN (…), IS [NOT] NULL, joined by \
                AND / OR / NOT, with 'quoted' strings, dates and timestamps. It prunes partitions, \
                skips row groups by statistics, and filters rows exactly. --as-of takes an instant \
                (yyyyMMddHHmmssSSS or 14 digits), an ISO-8601 time or epoch seconds/millis, and \
                reads the newest commit at or before it.

                Examples:
                  lake query --table /data/customers --format table --limit 20
                  lake query --table /data/customers --columns id,email --where "partitionkey = '7' AND email IS NOT NULL"
                  lake query --table /data/customers --as-of 2024-06-01T10:00:00Z --format csv
                """
        )
        @OptionGroup var table: TableOptions

        @Option(help: ArgumentHelp("Comma-separated columns, in this order (default: all).", valueName: "a,b,…"))
        var columns: String?

        @Option(name: .customLong("where"), help: ArgumentHelp("Row filter expression.", valueName: "expr"))
        var filter: String?

        @Option(help: "Output format: jsonl, csv or table.")
        var format: RowFormat = .jsonl

        @Flag(help: "Include the five _hoodie_* meta columns first.")
        var meta = false

        @Option(help: "Print at most this many rows.")
        var limit: Int?

        @Option(name: .customLong("as-of"), help: ArgumentHelp("Read the table as of this time.", valueName: "time"))
        var asOf: String?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
        }

        func run() throws {
            let t = try table.open()
            var options = ReadOptions(includeMetaColumns: meta)
            options.columns = columns.map { $0.split(separator: ",").map { String($0).trimmingSpaces() } }
            options.asOf = asOf
            if let f = filter { options.predicate = try Self.parse(f) }
            let batches = try Self.read(t, options)
            try RowsOutput.print(batches, schema: Self.outputSchema(t, options), format: format, limit: limit)
        }

        /// Parses `--where`; a bad expression is a usage error.
        static func parse(_ text: String) throws(CLIFailure) -> Predicate {
            do throws(LakeError) { return try Predicate(parsing: text) } catch { throw CLIFailure(.usage, error.message) }
        }

        /// Reads the rows; an unknown column or a literal that does not fit is a usage error.
        static func read(_ t: Table, _ options: ReadOptions) throws -> [RecordBatch] {
            do throws(LakeError) {
                return try t.read(options)
            } catch {
                if error.code == .invalidArgument { throw CLIFailure(.usage, error.message) }
                throw error
            }
        }

        static func outputSchema(_ t: Table, _ o: ReadOptions) -> ParquetSchema {
            guard let s = t.schema else { return ParquetSchema([]) }
            let data = (o.columns ?? s.fields.map(\.name)).compactMap { s.field(named: $0) }
            let meta = o.includeMetaColumns ? TableSchema.metaColumns.map { ParquetField.string($0, nullable: true) } : []
            return ParquetSchema(meta + data)
        }
    }
}

/// Prints batches in a row format, honouring a row limit.
enum RowsOutput {
    static func print(_ batches: [RecordBatch], schema: ParquetSchema, format: RowFormat, limit: Int?) throws {
        var formatter = RowFormatter(schema: schema, format: format)
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
