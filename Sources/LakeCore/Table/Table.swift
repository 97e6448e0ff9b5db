import LakeParquet

/// An open lake table: a Hudi v6 copy-on-write table in a directory.
///
/// `Table` owns the table's storage, configuration, schema and timeline. Reads work on the
/// timeline loaded at open (or the last ``refresh()``), so a reader sees one consistent
/// snapshot; writes refresh it. Writes take the table's writer lock (one writer at a time);
/// readers never block.
public final class Table: @unchecked Sendable {
    /// The table's root directory.
    public let path: String
    public let storage: any TableStorage
    public private(set) var config: TableConfig
    /// The data columns (partition columns included); `nil` before the first write of a table
    /// created without a schema.
    public private(set) var schema: TableSchema?
    public internal(set) var timeline: Timeline
    /// Generates instant times; replaceable for deterministic tests.
    public var clock = InstantClock()
    /// Generates file ids; replaceable for deterministic tests.
    public var fileIds = FileIdGenerator()
    /// How long a write waits for another writer's lock before failing with `.conflict` (0: fail at once).
    public var lockWaitMillis: Int64 = 0

    init(path: String, storage: any TableStorage, config: TableConfig, schema: TableSchema?, timeline: Timeline) {
        self.path = path
        self.storage = storage
        self.config = config
        self.schema = schema
        self.timeline = timeline
        self.clock = InstantClock(timezone: config.timelineTimezone)
    }

    /// Creates a new table at `path` (created if missing).
    /// - Parameters:
    ///   - config: name, record key, precombine and partition fields, partition style.
    ///   - schema: the data columns; without it the first write defines them.
    /// - Throws: `.alreadyExists` if a table is already there; `.invalidArgument` for a location
    ///   lake cannot serve (``TableLocation``), a setting that is unknown, malformed or
    ///   contradicts another (``TableConfig/validateSettings()``), or a key, precombine or
    ///   partition field that is not a column of `schema`; `.unsupported` for a table type
    ///   other than copy-on-write or a column type no reader can read (``TableSchema/storageSchema()``).
    public static func create(at path: String, config: TableConfig, schema: TableSchema? = nil) throws(LakeError) -> Table {
        let path = try TableLocation(parsing: path).localPath
        if let error = config.tableType.unsupportedError(table: config.name) { throw error }
        try config.validateSettings()
        let storage = LocalStorage(root: path)
        try storage.makeDirectories("")
        if try storage.exists(HoodieProperties.path) {
            throw LakeError(.alreadyExists, "a table already exists at \(path)")
        }
        guard !config.recordKeyFields.isEmpty else {
            throw LakeError(.invalidArgument, "a table needs at least one record key field")
        }
        var config = config
        let schema = try schema?.storageSchema()
        if let schema {
            try Self.validate(config, against: schema)
            config.createSchema = try AvroSchema.tableSchema(fromParquet: schema.fields, tableName: config.name).jsonString
        }
        try storage.makeDirectories(Timeline.metaFolder)
        try config.save(to: storage)
        return Table(path: path, storage: storage, config: config, schema: schema, timeline: Timeline(instants: []))
    }

    /// Opens an existing table, written by lake or by Java Hudi (table version 6, copy-on-write).
    /// - Throws: `.notFound` if there is no table at `path`; `.invalidArgument` for a location
    ///   lake cannot serve (``TableLocation``); `.corruptTable` if its properties or latest
    ///   commit cannot be read; `.unsupported` for other table versions, and for merge-on-read
    ///   tables (``TableType/mergeOnRead``).
    public static func open(_ path: String) throws(LakeError) -> Table {
        let path = try TableLocation(parsing: path).localPath
        let storage = LocalStorage(root: path)
        guard try storage.exists(HoodieProperties.path) else {
            throw LakeError(.notFound, "no lake table at \(path) (missing \(HoodieProperties.path))")
        }
        let config = try TableConfig.load(from: storage)
        if let error = config.tableType.unsupportedError(table: config.name) { throw error }
        guard config.tableVersion == 6 else {
            throw LakeError(.unsupported, "\(path): table version \(config.tableVersion); lake reads and writes version 6")
        }
        let table = Table(path: path, storage: storage, config: config, schema: nil, timeline: Timeline(instants: []))
        try table.refresh()
        return table
    }

    /// Reloads the timeline and schema from storage.
    public func refresh() throws(LakeError) {
        timeline = try Timeline.load(from: storage)
        if let (_, avro) = try timeline.latestSchema(in: storage) {
            schema = TableSchema(try AvroSchema(json: avro).parquetFields())
        } else if let create = config.createSchema, !create.isEmpty {
            schema = TableSchema(try AvroSchema(json: create).parquetFields())
        } else {
            schema = nil
        }
    }

    /// The commit metadata of a completed write instant.
    public func commitMetadata(_ instant: Instant) throws(LakeError) -> HoodieCommitMetadata {
        try timeline.commitMetadata(of: instant, in: storage)
    }

    static func validate(_ config: TableConfig, against schema: TableSchema) throws(LakeError) {
        let names = Set(schema.fields.map(\.name))
        for k in config.recordKeyFields where !names.contains(k) {
            throw LakeError(.invalidArgument, "record key field '\(k)' is not a column (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
        }
        if let p = config.precombineField, !names.contains(p) {
            throw LakeError(.invalidArgument, "precombine field '\(p)' is not a column (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
        }
        for f in config.partitionFields where !names.contains(f) {
            throw LakeError(.invalidArgument, "partition field '\(f)' is not a column (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
        }
    }

    func updateSchema(_ s: TableSchema) { schema = s }
}
