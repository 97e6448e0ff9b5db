import ArgumentParser
import Lake

extension LakeCommand.Parquet {
    /// `lake parquet meta FILE [--json]`: row groups, column chunks, statistics and footer metadata.
    struct Meta: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "meta",
            abstract: "Print a Parquet file's metadata: row groups, column chunks, statistics.",
            discussion: """
                For every row group and column chunk: the physical and logical type, encodings, \
                codec, number of values, compressed and uncompressed sizes, and min/max/null \
                statistics (min and max in lake's canonical value form); then created_by and the \
                key-value metadata (long values cut short). With --json, one JSON object with \
                the keys num_rows, created_by, key_value_metadata, schema and row_groups; each \
                row group has num_rows, total_byte_size and columns; each column has path, \
                physical_type, encodings, codec, num_values, total_compressed_size, \
                total_uncompressed_size and statistics ({min, max, null_count} or null).

                Examples:
                  lake parquet meta data.parquet
                  lake parquet meta data.parquet --json | jq '.row_groups[0].num_rows'
                """
        )

        @Argument(help: "The Parquet file.")
        var file: String

        @Flag(help: "Print one JSON object instead of a report.")
        var json = false

        func run() throws {
            try InputFile.check(file)
            let reader = try ParquetFileReader(path: file)
            let report = MetaReport(file: file, metadata: reader.metadata, schema: reader.schema)
            let out = StandardOutput.shared
            if json {
                report.appendJSON(to: &out.buffer)
            } else {
                out.buffer.append(contentsOf: report.text().utf8)
            }
            try out.flush()
        }
    }
}
