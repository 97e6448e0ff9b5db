import ArgumentParser
import Foundation
import Lake

/// `--sync glue`, `--sync-database`, `--sync-table`: catalog sync after a command's commit, shared
/// by `create`, the write commands, `stream` and `lake sync`.
struct CatalogSyncOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The catalog to register the table in: glue (the AWS Glue Data Catalog; AWS settings from the environment, AWS_ENDPOINT_URL_GLUE). On a write or stream the sync follows each commit; a failed sync leaves the commit in place and exits with code 69, and 'lake sync' catches the catalog up.",
            valueName: "glue"))
    var sync: String?

    @Option(
        name: .customLong("sync-database"),
        help: ArgumentHelp("The catalog database (created if missing).", valueName: "name"))
    var syncDatabase: String = "default"

    @Option(
        name: .customLong("sync-table"),
        help: ArgumentHelp("The catalog table name (default: the table's name, lowercased).", valueName: "name"))
    var syncTable: String?

    func validate() throws {
        if let s = sync, s != "glue" { throw ValidationError("--sync must be glue, not '\(s)'") }
        try Self.checkName("--sync-database", syncDatabase)
        if let t = syncTable { try Self.checkName("--sync-table", t) }
    }

    /// Glue names: 1 to 255 characters, no control characters.
    static func checkName(_ option: String, _ name: String) throws {
        if name.isEmpty || name.count > 255 || name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw ValidationError("\(option) must be 1 to 255 printable characters, not '\(name)'")
        }
    }

    /// Whether a sync was asked for.
    var isEnabled: Bool { sync != nil }

    /// The sync for the table at `path`.
    func glueSync(for table: Table) throws -> GlueCatalogSync {
        let aws: AWSClient
        do {
            aws = AWSClient(
                configuration: try AWSConfiguration.resolve(environment: ProcessInfo.processInfo.environment))
        } catch {
            throw CLIFailure(.catalogSync, "AWS configuration for --sync glue: \(error)")
        }
        return GlueCatalogSync(
            aws, database: syncDatabase, table: syncTable ?? GlueCatalogSync.defaultTableName(table))
    }

    /// Syncs the table at `path` as it is now (after a commit) and reports on standard error.
    /// - Throws: a ``CLIFailure`` with exit code 69 naming the commit that stands and how to catch
    ///   the catalog up, when the sync fails.
    func afterCommit(path: String, json: Bool = false) throws {
        guard isEnabled else { return }
        do {
            let report = try run(path: path)
            StandardError.write(report.description + "\n")
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw Self.failure(error, path: path)
        }
    }

    /// Opens the table at `path` and syncs it.
    func run(path: String) throws -> GlueSyncReport {
        let table = try Table.open(path)
        return try glueSync(for: table).sync(table)
    }

    /// The error of a failed sync: the commit stands; `lake sync` repairs.
    static func failure(_ error: any Error, path: String) -> CLIFailure {
        let message = (error as? LakeError)?.message ?? "\(error)"
        let last = (try? Table.open(path))?.timeline.latestCompleted?.timestamp
        return CLIFailure(
            .catalogSync,
            "catalog sync failed (\(last.map { "commit \($0) stands" } ?? "the table is unchanged")): \(message)",
            hint:
                "the table is fine; run 'lake sync --table \(path) --sync glue' (same --sync-database/--sync-table) to catch the catalog up"
        )
    }
}
