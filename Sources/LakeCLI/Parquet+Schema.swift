import ArgumentParser
import Lake

extension LakeCommand.Parquet {
    /// `lake parquet schema FILE`: the schema in parquet-mr's message-type syntax.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema",
            abstract: "Print a Parquet file's schema in parquet-mr's message-type syntax.",
            discussion: """
                The output can be passed back to 'lake parquet write --schema'.

                Examples:
                  lake parquet schema data.parquet
                  lake parquet schema data.parquet > schema.txt
                  lake parquet write --schema @schema.txt --input in.jsonl --output out.parquet
                """
        )

        @Argument(help: "The Parquet file.")
        var file: String

        func run() throws {
            try InputFile.check(file)
            let reader = try ParquetFileReader(path: file)
            let out = StandardOutput.shared
            out.buffer.append(contentsOf: reader.schema.messageType().utf8)
            try out.flush()
        }
    }
}
