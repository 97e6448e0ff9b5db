import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake sync --table PATH [--sync glue] [--sync-database D] [--sync-table N] [--json]`
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Register the table in the AWS Glue Data Catalog, or catch the catalog up.",
            discussion: """
                Does what Hudi's hive sync does for a copy-on-write table: creates the database \
                and the table when missing (columns in Hive types with the Hudi meta columns first, \
                partition keys from the partition fields, the HoodieParquetInputFormat storage \
                descriptor Athena, Hive and Spark read, the table's location), updates the \
                columns after schema evolution, adds the partitions the table has and the \
                catalog lacks, and drops those the table no longer has. Run it after a write \
                whose --sync glue failed (exit code 69): it compares the whole table with the \
                catalog. AWS settings come from the environment and ~/.aws (AWS_REGION, \
                AWS_ENDPOINT_URL_GLUE, …; see docs/aws.md). Exit code 69 when the sync fails.

                Examples:
                  lake sync --table s3://lake/customers
                  lake sync --table /data/orders --sync-database analytics --json
                """
        )

        @OptionGroup var options: TableOptions
        @OptionGroup var catalog: CatalogSyncOptions
        @Flag(name: .long, help: "Print what changed as one JSON object.")
        var json = false

        func run() throws {
            let table = try options.open()
            let report: GlueSyncReport
            do {
                report = try catalog.glueSync(for: table).sync(table)
            } catch let failure as CLIFailure {
                throw failure
            } catch {
                throw CatalogSyncOptions.failure(error, path: options.table)
            }
            let out = StandardOutput.shared
            if json {
                func values(_ list: [[String]]) -> JSONValue { .array(list.map { .array($0.map { .string($0) }) }) }
                let doc: JSONValue = .object([
                    JSONMember("database", .string(report.database)), JSONMember("table", .string(report.table)),
                    JSONMember("created_database", .bool(report.createdDatabase)),
                    JSONMember("created_table", .bool(report.createdTable)),
                    JSONMember("updated_table", .bool(report.updatedTable)),
                    JSONMember("partitions_added", values(report.partitionsAdded)),
                    JSONMember("partitions_dropped", values(report.partitionsDropped)),
                    JSONMember("last_commit", report.lastCommit.map { .string($0) } ?? .null),
                ])
                JSONWriter.appendValue(doc, to: &out.buffer)
                out.buffer.append(0x0A)
            } else {
                out.buffer.append(contentsOf: (report.description + "\n").utf8)
            }
            try out.flush()
        }
    }
}
