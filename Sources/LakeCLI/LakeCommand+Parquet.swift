import ArgumentParser

extension LakeCommand {
    /// `lake parquet …`: commands on single Parquet files.
    struct Parquet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parquet",
            abstract: "Inspect, print and write single Parquet files.",
            discussion: """
                Rows are shown and read in lake's canonical JSON form: integers as JSON \
                integers, dates as "YYYY-MM-DD", timestamps as "YYYY-MM-DDTHH:MM:SS.ffffffZ", \
                decimals as exact strings, binary as base64, lists as arrays, maps as arrays of \
                {"key": …, "value": …} objects and structs as objects.

                Example:
                  lake parquet schema data.parquet
                """,
            subcommands: [Schema.self, Meta.self, Cat.self, Write.self]
        )
    }
}
