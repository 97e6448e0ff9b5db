import ArgumentParser
import Lake

extension LakeCommand.Parquet {
    /// `lake parquet cat FILE [--columns a,b] [--format jsonl|csv|table] [--limit N]`.
    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cat",
            abstract: "Print the rows of a Parquet file as JSON lines, CSV or a table.",
            discussion: """
                jsonl (the default) prints one JSON object per row in lake's canonical form, keys \
                in schema order; csv prints RFC 4180 CSV with a header row (null is an empty \
                field); table prints aligned columns for reading. Row groups are read one at a \
                time, so memory stays bounded by the largest row group.

                Examples:
                  lake parquet cat data.parquet
                  lake parquet cat data.parquet --columns id,name --format table --limit 10
                  lake parquet cat data.parquet --format csv > data.csv
                """
        )

        @Argument(help: "The Parquet file.")
        var file: String

        @Option(
            help: ArgumentHelp(
                "Comma-separated top-level columns to print, in this order (default: all).", valueName: "a,b,…"))
        var columns: String?

        @Option(help: "Output format: jsonl, csv or table.")
        var format: RowOutputFormat = .jsonl

        @Option(parsing: .unconditional, help: "Print at most this many rows.")
        var limit: Int?

        /// The projected column names, if given.
        var columnList: [String]? {
            columns.map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
            }
        }

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
            if let names = columnList {
                if names.contains(where: \.isEmpty) {
                    throw ValidationError("--columns has an empty column name: '\(columns ?? "")'")
                }
                if Set(names).count != names.count {
                    throw ValidationError("--columns names a column twice: '\(columns ?? "")'")
                }
            }
        }

        func run() throws {
            try InputFile.check(file)
            let reader = try ParquetFileReader(path: file)
            let names = columnList
            let schema = try names.map { (n) throws(ParquetError) in try reader.schema.projected(n) } ?? reader.schema
            var formatter = RowPrinter(schema: schema, format: format)
            let out = StandardOutput.shared
            var remaining = limit ?? Int.max
            var group = 0
            while group < reader.rowGroupCount && remaining > 0 {
                let batch = try reader.readRowGroup(group, columns: names)
                let n = min(remaining, batch.rowCount)
                try formatter.append(batch, rows: 0..<n, to: &out.buffer)
                try out.flushIfFull()
                remaining -= n
                group += 1
            }
            formatter.finish(to: &out.buffer)
            try out.flush()
        }
    }
}

extension String {
    /// The string without leading and trailing spaces.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
