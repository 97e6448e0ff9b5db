import ArgumentParser
import Lake

/// The `lake` command: the root of every subcommand.
@main
struct LakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lake",
        abstract: "Write and read Apache Hudi copy-on-write tables stored as Parquet files.",
        discussion: """
            lake is a storage engine for Apache Hudi (table version 6) copy-on-write tables: \
            every write produces new Parquet base files and a commit on the table's timeline, \
            so the tables can be read by Spark, Trino, DuckDB or hudi-rs. lake also reads \
            merge-on-read tables other engines wrote (base files merged with their log files; \
            'lake query --read-optimized' for base files only), but does not write them yet.

            The `parquet` commands work on single Parquet files: print a file's schema or \
            metadata, print its rows as JSON lines, CSV or a table, and write a file from JSON \
            lines in lake's canonical row form.

            Tables live in a local directory or on S3 (--table s3://bucket/prefix; S3-compatible \
            stores through AWS_ENDPOINT_URL_S3).

            Exit codes: 0 success, 64 usage error, 65 data error (invalid input, corrupt \
            file), 66 input not found, 69 catalog sync failed (--sync glue, lake sync; the \
            commit stands), 74 I/O error, 75 conflict (table locked), 77 permission denied \
            (object storage refused the credentials or none were found).

            Example:
              lake parquet cat data.parquet --format table --limit 20
            """,
        version: "0.1.0",
        subcommands: [
            Create.self, Upsert.self, Insert.self, BulkInsert.self, Delete.self, InsertOverwrite.self,
            DeletePartition.self, Query.self, Changes.self, TimelineListing.self, Describe.self, Clean.self,
            Rollback.self, Savepoint.self, Restore.self, Check.self, Index.self, Files.self, Stream.self, Sync.self,
            Parquet.self,
        ]
    )

    /// Runs the parsed command; errors are reported by ``CLIFailure/exit(_:)``, which prints
    /// `lake: error: <message>` with the documented exit code.
    static func main() async {
        S3StorageFactory.register()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            RequestReport.log()
        } catch {
            CLIFailure.exit(error)
        }
    }
}
