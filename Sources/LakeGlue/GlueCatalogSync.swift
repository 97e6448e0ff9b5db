#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeAWS
import LakeCore

/// Registers a lake table in the AWS Glue Data Catalog and keeps it current, as Hudi's hive sync
/// (`AwsGlueCatalogSyncTool`) does for a copy-on-write table: the database and the table are
/// created when missing, the columns and partition keys follow the table's schema, and the
/// catalog's partitions are made equal to the table's — new ones added (`BatchCreatePartition`,
/// 100 at a time), deleted ones dropped (`BatchDeletePartition`, 25 at a time).
///
/// Every sync compares the catalog with the table as it is (not with the last commit only), so
/// a sync that failed — the catalog unreachable, a throttled call — is caught up by the next one:
/// a commit never depends on the catalog.
///
/// ```swift
/// let aws = AWSClient(configuration: try .resolve(environment: ProcessInfo.processInfo.environment))
/// let sync = GlueCatalogSync(aws, database: "analytics", table: "orders")
/// let report = try sync.sync(try Table.open("s3://lake/orders"))
/// print(report)   // glue sync analytics.orders: table created, 12 partitions added, 0 dropped, …
/// ```
public struct GlueCatalogSync: Sendable {
    /// The most partitions one `BatchCreatePartition` takes.
    public static let createBatchLimit = 100
    /// The most partitions one `BatchDeletePartition` takes.
    public static let deleteBatchLimit = 25

    public let aws: AWSClient
    /// The Glue database (created if missing).
    public let database: String
    /// The Glue table name.
    public let table: String
    /// Resolves relative local table paths (the process's working directory by default).
    public var workingDirectory: String

    public init(
        _ aws: AWSClient, database: String, table: String, workingDirectory: String = GlueCatalogSync.currentDirectory()
    ) {
        self.aws = aws
        self.database = database
        self.table = table
        self.workingDirectory = workingDirectory
    }

    /// The default catalog table name for a lake table: its `hoodie.table.name`, lowercased (Glue
    /// stores names in lowercase).
    public static func defaultTableName(_ t: Table) -> String { t.config.name.lowercased() }

    /// Brings the catalog up to `lakeTable`'s latest completed commit.
    /// - Returns: what changed.
    /// - Throws: `LakeError` naming `database.table` and the Glue operation: `.notFound` when the
    ///   table has no commit yet, `.accessDenied` for refused credentials, `.io` when Glue fails
    ///   or cannot be reached (after the client's retries), `.invalidArgument` for a bad
    ///   configuration.
    public func sync(_ lakeTable: Table) throws(LakeError) -> GlueSyncReport {
        let definition = try GlueTableDefinition(table: lakeTable, workingDirectory: workingDirectory)
        return try sync(definition)
    }

    /// Brings the catalog to `definition` (see ``sync(_:)``).
    public func sync(_ definition: GlueTableDefinition) throws(LakeError) -> GlueSyncReport {
        var report = GlueSyncReport(database: database, table: table)
        report.lastCommit = definition.parameters[GlueTableDefinition.lastCommitParameter]
        report.createdDatabase = try ensureDatabase()
        if let existing = try getTable() {
            if !existing.matches(definition) {
                try call(
                    "UpdateTable",
                    .object([
                        JSONMember("DatabaseName", .string(database)),
                        JSONMember("TableInput", tableInput(definition, keeping: existing.parameters)),
                    ]), safety: .notRepeatable)
                report.updatedTable = true
            }
        } else {
            report.createdTable = try createTable(definition)
        }
        let wanted = Dictionary(definition.partitions.map { ($0.values, $0) }, uniquingKeysWith: { a, _ in a })
        let present = try partitions()
        let add = definition.partitions.filter { present[$0.values] == nil }
        let drop = present.keys.filter { wanted[$0] == nil }.sorted { $0.lexicographicallyPrecedes($1) }
        try createPartitions(add, definition)
        try dropPartitions(drop)
        report.partitionsAdded = add.map(\.values)
        report.partitionsDropped = drop
        return report
    }

    /// The catalog's partitions of the table: values → location.
    public func partitions() throws(LakeError) -> [[String]: String] {
        var out: [[String]: String] = [:]
        var token: String?
        repeat {
            var body = [JSONMember("DatabaseName", .string(database)), JSONMember("TableName", .string(table))]
            if let token { body.append(JSONMember("NextToken", .string(token))) }
            let page = try call("GetPartitions", .object(body))
            if case .array(let list)? = page["Partitions"] {
                for p in list {
                    guard case .array(let values)? = p["Values"] else { continue }
                    out[values.map { $0.stringValue ?? "" }] = p["StorageDescriptor"]?["Location"]?.stringValue ?? ""
                }
            }
            token = page["NextToken"]?.stringValue
            if token?.isEmpty == true { token = nil }
        } while token != nil
        return out
    }

    // MARK: - Steps

    /// Creates the database when `GetDatabase` does not find it; true when it was created.
    func ensureDatabase() throws(LakeError) -> Bool {
        do {
            _ = try call("GetDatabase", .object([JSONMember("Name", .string(database))]))
            return false
        } catch  where error.code == .notFound {
            let input = JSONValue.object([
                JSONMember("Name", .string(database)),
                JSONMember("Description", .string("Created by lake (Hudi tables)")),
            ])
            return try tolerateExisting { () throws(LakeError) in
                try call("CreateDatabase", .object([JSONMember("DatabaseInput", input)]), safety: .notRepeatable)
            }
        }
    }

    /// The catalog's table, or nil when there is none.
    func getTable() throws(LakeError) -> ExistingTable? {
        do {
            let answer = try call(
                "GetTable",
                .object([JSONMember("DatabaseName", .string(database)), JSONMember("Name", .string(table))]))
            guard let t = answer["Table"] else { return nil }
            return ExistingTable(json: t)
        } catch  where error.code == .notFound {
            return nil
        }
    }

    func createTable(_ definition: GlueTableDefinition) throws(LakeError) -> Bool {
        try tolerateExisting { () throws(LakeError) in
            try call(
                "CreateTable",
                .object([
                    JSONMember("DatabaseName", .string(database)),
                    JSONMember("TableInput", tableInput(definition, keeping: [:])),
                ]), safety: .notRepeatable)
        }
    }

    func createPartitions(_ add: [GlueTableDefinition.Partition], _ definition: GlueTableDefinition) throws(LakeError) {
        var start = 0
        while start < add.count {
            let batch = add[start..<min(start + Self.createBatchLimit, add.count)]
            start += Self.createBatchLimit
            let inputs = batch.map { p in
                JSONValue.object([
                    JSONMember("Values", .array(p.values.map(JSONValue.string))),
                    JSONMember("StorageDescriptor", storageDescriptor(definition, location: p.location)),
                ])
            }
            let answer = try call(
                "BatchCreatePartition",
                .object([
                    JSONMember("DatabaseName", .string(database)), JSONMember("TableName", .string(table)),
                    JSONMember("PartitionInputList", .array(inputs)),
                ]), safety: .notRepeatable)
            try checkBatchErrors(answer, operation: "BatchCreatePartition", tolerated: "AlreadyExistsException")
        }
    }

    func dropPartitions(_ drop: [[String]]) throws(LakeError) {
        var start = 0
        while start < drop.count {
            let batch = drop[start..<min(start + Self.deleteBatchLimit, drop.count)]
            start += Self.deleteBatchLimit
            let values = batch.map { JSONValue.object([JSONMember("Values", .array($0.map(JSONValue.string)))]) }
            let answer = try call(
                "BatchDeletePartition",
                .object([
                    JSONMember("DatabaseName", .string(database)), JSONMember("TableName", .string(table)),
                    JSONMember("PartitionsToDelete", .array(values)),
                ]), safety: .notRepeatable)
            try checkBatchErrors(answer, operation: "BatchDeletePartition", tolerated: "EntityNotFoundException")
        }
    }

    /// Batch calls answer 200 with per-partition `Errors`; those other than `tolerated` fail the
    /// sync, naming the first partition and its error.
    func checkBatchErrors(_ answer: JSONValue, operation: String, tolerated: String) throws(LakeError) {
        guard case .array(let errors)? = answer["Errors"] else { return }
        let real = errors.filter { $0["ErrorDetail"]?["ErrorCode"]?.stringValue != tolerated }
        guard let first = real.first else { return }
        let values = first["PartitionValues"].flatMap { v -> [String]? in
            guard case .array(let a) = v else { return nil }
            return a.map { $0.stringValue ?? "" }
        }
        throw LakeError(
            .io,
            "glue \(database).\(table): \(operation) refused \(real.count) partitions; the first, "
                + "[\((values ?? []).joined(separator: ", "))], with "
                + "\(first["ErrorDetail"]?["ErrorCode"]?.stringValue ?? "?"): "
                + "\(first["ErrorDetail"]?["ErrorMessage"]?.stringValue ?? "")")
    }

    // MARK: - Documents

    func tableInput(_ d: GlueTableDefinition, keeping existing: [String: String]) -> JSONValue {
        let parameters = existing.merging(d.parameters) { _, new in new }
        return .object([
            JSONMember("Name", .string(table)),
            JSONMember("TableType", .string("EXTERNAL_TABLE")),
            JSONMember("Parameters", Self.stringMap(parameters)),
            JSONMember("PartitionKeys", Self.columns(d.partitionKeys)),
            JSONMember("StorageDescriptor", storageDescriptor(d, location: d.location)),
        ])
    }

    func storageDescriptor(_ d: GlueTableDefinition, location: String) -> JSONValue {
        .object([
            JSONMember("Columns", Self.columns(d.columns)),
            JSONMember("Location", .string(location)),
            JSONMember("InputFormat", .string(GlueTableDefinition.inputFormat)),
            JSONMember("OutputFormat", .string(GlueTableDefinition.outputFormat)),
            JSONMember(
                "SerdeInfo",
                .object([
                    JSONMember("SerializationLibrary", .string(GlueTableDefinition.serializationLibrary)),
                    JSONMember("Parameters", Self.stringMap(d.serdeParameters)),
                ])),
        ])
    }

    static func columns(_ columns: [GlueTableDefinition.Column]) -> JSONValue {
        .array(columns.map { .object([JSONMember("Name", .string($0.name)), JSONMember("Type", .string($0.type))]) })
    }

    static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { JSONMember($0, .string(map[$0]!)) })
    }

    // MARK: - Calls

    /// Runs a create; an `AlreadyExistsException` (another writer created it first) is success.
    /// - Returns: true when this call created it.
    func tolerateExisting(_ create: () throws(LakeError) -> JSONValue) throws(LakeError) -> Bool {
        do {
            _ = try create()
            return true
        } catch  where (error.cause as? AWSError)?.serviceCode == "AlreadyExistsException" {
            return false
        }
    }

    /// Calls `AWSGlue.<operation>` through the shared JSON-protocol client and parses the answer.
    @discardableResult
    func call(
        _ operation: String, _ body: JSONValue, safety: AWSRequestSafety = .idempotent
    ) throws(LakeError)
        -> JSONValue
    {
        var bytes: [UInt8] = []
        JSONWriter.appendValue(body, to: &bytes)
        let answer: [UInt8]
        do {
            answer = try aws.call(.glue, target: "AWSGlue.\(operation)", body: bytes, safety: safety)
        } catch {
            let code: LakeError.Code =
                switch error.code {
                case .notFound: .notFound
                case .signatureRejected, .accessDenied, .missingCredentials: .accessDenied
                case .configuration, .invalidRequest: .invalidArgument
                default: .io
                }
            throw LakeError(code, "glue \(database).\(table): \(error.description)", cause: error)
        }
        if answer.isEmpty { return .object([]) }
        do throws(LakeError) {
            return try JSONValue(parsing: String(decoding: answer, as: UTF8.self))
        } catch {
            throw LakeError(
                .io, "glue \(database).\(table): \(operation) answered with malformed JSON: \(error.message)")
        }
    }
}

extension GlueCatalogSync {
    /// The process's working directory (for relative local table paths); `/` if it cannot be read.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
