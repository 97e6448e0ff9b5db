import LakeParquet
import Synchronization

/// An open lake table: a Hudi v6 copy-on-write table in a ``TableStorage`` — a local directory
/// (``LocalStorage``, what the path-taking ``create(at:config:schema:)`` and ``open(_:)`` use),
/// memory (``MemoryStorage``), or any other implementation of the contract.
///
/// `Table` owns the table's storage, configuration, schema and timeline. Reads work on the
/// timeline loaded at open (or the last ``refresh()``), so a reader sees one consistent
/// snapshot; writes refresh it. Writes take the table's writer lock (one writer at a time), or
/// under optimistic concurrency (``WriteConcurrencyMode``) only for their completion; readers
/// never block.
///
/// One `Table` may be shared between threads: its state (configuration, schema, timeline,
/// clock, file id generator) sits behind a lock; a read (``read(_:)``,
/// ``readIncremental(_:options:)``) pins the snapshot current when it starts and reads it whole,
/// even while a write on another thread completes and refreshes the table. Writes on several
/// threads serialize on the writer lock, or — under optimistic concurrency — run side by side,
/// each on its own snapshot.
public final class Table: @unchecked Sendable {
    /// Where the table lives, as a location string: the path given to ``create(at:config:schema:)``
    /// or ``open(_:)``, else the storage's ``TableStorage/root`` (`s3://…`, `memory://…`).
    public let path: String
    /// The storage every byte of the table goes through.
    public let storage: any TableStorage

    /// The mutable state, read and replaced under one lock.
    private struct State {
        var config: TableConfig
        var schema: TableSchema?
        var timeline: Timeline
        var clock: InstantClock
        var fileIds = FileIdGenerator()
        var lockWaitMillis: Int64 = 0
        var noticeHandler: (@Sendable (TableNotice) -> Void)?
    }
    private let state: Mutex<State>
    /// Whether this is a pinned copy (a read's snapshot, a write's private view): no other
    /// thread refreshes it.
    let isPinned: Bool

    public private(set) var config: TableConfig {
        get { state.withLock { $0.config } }
        set { state.withLock { $0.config = newValue } }
    }
    /// The data columns (partition columns included); `nil` before the first write of a table
    /// created without a schema.
    public private(set) var schema: TableSchema? {
        get { state.withLock { $0.schema } }
        set { state.withLock { $0.schema = newValue } }
    }
    public internal(set) var timeline: Timeline {
        get { state.withLock { $0.timeline } }
        set { state.withLock { $0.timeline = newValue } }
    }
    /// Generates instant times; replaceable for deterministic tests.
    public var clock: InstantClock {
        get { state.withLock { $0.clock } }
        set { state.withLock { $0.clock = newValue } }
    }
    /// Generates file ids; replaceable for deterministic tests.
    public var fileIds: FileIdGenerator {
        get { state.withLock { $0.fileIds } }
        set { state.withLock { $0.fileIds = newValue } }
    }
    /// How long a write waits for another writer's lock before failing with `.conflict` (0: fail
    /// at once). Under optimistic concurrency the lock is held only briefly, and a write waits
    /// for it at least ``optimisticLockWaitMillis``.
    public var lockWaitMillis: Int64 {
        get { state.withLock { $0.lockWaitMillis } }
        set { state.withLock { $0.lockWaitMillis = newValue } }
    }
    /// Called (on the calling thread) when lake finds something wrong and handles it without
    /// failing — a record index rebuilt or ignored (``TableNotice``). `nil`: not reported.
    public var noticeHandler: (@Sendable (TableNotice) -> Void)? {
        get { state.withLock { $0.noticeHandler } }
        set { state.withLock { $0.noticeHandler = newValue } }
    }

    init(
        path: String, storage: any TableStorage, config: TableConfig, schema: TableSchema?, timeline: Timeline,
        pinned: Bool = false
    ) {
        self.path = path
        self.storage = storage
        self.isPinned = pinned
        self.state = Mutex(
            State(
                config: config, schema: schema, timeline: timeline,
                clock: InstantClock(timezone: config.timelineTimezone)))
    }

    /// A pinned copy of this table: the same storage, configuration, clock and settings, with
    /// `timeline` (and the schema it implies) or else this table's current state — what a read
    /// or an optimistic write works on, so that another thread's refresh cannot change it midway.
    func snapshot(timeline: Timeline? = nil) throws(LakeError) -> Table {
        let s = state.withLock { $0 }
        let copy = Table(
            path: path, storage: storage, config: s.config, schema: s.schema,
            timeline: timeline ?? s.timeline, pinned: true)
        copy.state.withLock {
            $0.clock = s.clock
            $0.fileIds = s.fileIds
            $0.lockWaitMillis = s.lockWaitMillis
            $0.noticeHandler = s.noticeHandler
        }
        if timeline != nil { try copy.refreshSchema() }
        return copy
    }

    /// Creates a new table at `path` — a local directory (created if missing), or `s3://bucket/prefix`
    /// when object storage is registered (``TableStorageResolver``): ``create(in:config:schema:)`` on
    /// the location's storage.
    /// - Parameters:
    ///   - config: name, record key, precombine and partition fields, partition style.
    ///   - schema: the data columns; without it the first write defines them.
    /// - Throws: `.alreadyExists` if a table is already there; `.corruptTable` if the directory
    ///   holds a table whose `hoodie.properties` is missing (instant files, base files or a
    ///   record index; the message says how to restore it); `.invalidArgument` for a location
    ///   lake cannot serve (``TableLocation``), a setting that is unknown, malformed or
    ///   contradicts another (``TableConfig/validateSettings()``), or a key, precombine or
    ///   partition field that is not a column of `schema`; `.unsupported` for a table type
    ///   other than copy-on-write or a column type no reader can read (``TableSchema/storageSchema()``).
    public static func create(
        at path: String, config: TableConfig, schema: TableSchema? = nil
    ) throws(LakeError) -> Table {
        let location = try TableLocation(parsing: path)
        return try create(
            in: TableStorageResolver.storage(for: location), config: config, schema: schema,
            location: location.description)
    }

    /// Creates a new table in `storage` (at its root).
    /// - Parameters:
    ///   - storage: where the table lives.
    ///   - config: name, record key, precombine and partition fields, partition style.
    ///   - schema: the data columns; without it the first write defines them.
    /// - Throws: `.alreadyExists` if a table is already there; `.invalidArgument` for a setting
    ///   that is unknown, malformed or contradicts another, or a key, precombine or partition
    ///   field that is not a column of `schema`; `.unsupported` as ``create(at:config:schema:)``.
    public static func create(
        in storage: any TableStorage, config: TableConfig,
        schema: TableSchema? = nil
    ) throws(LakeError) -> Table {
        try create(in: storage, config: config, schema: schema, location: storage.root)
    }

    /// `location` names the table in messages as the caller named it.
    private static func create(
        in storage: any TableStorage, config: TableConfig, schema: TableSchema?,
        location path: String
    ) throws(LakeError) -> Table {
        if let error = config.tableType.unsupportedError(table: config.name) { throw error }
        try config.validateSettings()
        try storage.makeDirectories("")
        if try storage.exists(HoodieProperties.path) {
            throw LakeError(.alreadyExists, "a table already exists at \(path)")
        }
        if let orphan = try OrphanedTableContent.find(in: storage) {
            throw orphan.error(path: path, creating: true)
        }
        guard !config.recordKeyFields.isEmpty else {
            throw LakeError(.invalidArgument, "a table needs at least one record key field")
        }
        var config = config
        let schema = try schema?.storageSchema()
        if let schema {
            try Self.validate(config, against: schema)
            config.createSchema = try AvroSchema.tableSchema(fromParquet: schema.fields, tableName: config.name)
                .jsonString
        }
        try storage.makeDirectories(Timeline.metaFolder)
        try config.save(to: storage)
        return Table(path: path, storage: storage, config: config, schema: schema, timeline: Timeline(instants: []))
    }

    /// Opens an existing table at `path` — a local directory, or `s3://bucket/prefix` when object
    /// storage is registered (``TableStorageResolver``): ``open(storage:)`` on the location's storage.
    /// - Throws: `.notFound` if there is no table at `path`; `.invalidArgument` for a location
    ///   lake cannot serve (``TableLocation``); `.corruptTable` if its properties or latest
    ///   commit cannot be read, `hoodie.table.checksum` is wrong, or `hoodie.properties` is
    ///   missing from a directory that holds a timeline or data (the message says how to restore
    ///   it); `.unsupported` for other table versions. Merge-on-read
    ///   tables open for reading; operations that write refuse them.
    public static func open(_ path: String) throws(LakeError) -> Table {
        try open(path, validatingChecksum: true)
    }

    /// ``open(_:)``; `validatingChecksum: false` accepts a wrong `hoodie.table.checksum` (for
    /// ``check()``, which reports it).
    static func open(_ path: String, validatingChecksum: Bool) throws(LakeError) -> Table {
        let location = try TableLocation(parsing: path)
        return try open(
            storage: TableStorageResolver.storage(for: location), location: location.description,
            validatingChecksum: validatingChecksum)
    }

    /// Opens an existing table at the root of `storage`, written by lake or by Java Hudi (table
    /// version 6, copy-on-write).
    /// - Throws: `.notFound` if there is no table there; `.corruptTable` if its properties or
    ///   latest commit cannot be read, `hoodie.table.checksum` is wrong, or `hoodie.properties`
    ///   is missing from storage that holds a timeline or data; `.unsupported` for other table
    ///   versions. Merge-on-read tables open for reading; operations that write refuse them.
    public static func open(storage: any TableStorage) throws(LakeError) -> Table {
        try open(storage: storage, location: storage.root, validatingChecksum: true)
    }

    private static func open(
        storage: any TableStorage, location path: String,
        validatingChecksum: Bool
    ) throws(LakeError) -> Table {
        guard try storage.exists(HoodieProperties.path) else {
            if let orphan = try OrphanedTableContent.find(in: storage) {
                throw orphan.error(path: path, creating: false)
            }
            throw LakeError(.notFound, "no lake table at \(path) (missing \(HoodieProperties.path))")
        }
        let properties = try HoodieProperties(bytes: storage.read(HoodieProperties.path))
        if validatingChecksum { try properties.validateChecksum() }
        let config = try TableConfig(properties: properties)
        guard config.tableVersion == 6 else {
            throw LakeError(
                .unsupported, "\(path): table version \(config.tableVersion); lake reads and writes version 6")
        }
        let table = Table(path: path, storage: storage, config: config, schema: nil, timeline: Timeline(instants: []))
        try table.refresh()
        return table
    }

    /// Refuses an operation that writes to the table when lake does not write its table type
    /// (merge-on-read): `.unsupported` naming the operation.
    func requireWritable(_ operation: String) throws(LakeError) {
        if let error = config.tableType.unsupportedError(table: config.name, operation: operation) { throw error }
    }

    /// Reloads the timeline and schema from storage.
    public func refresh() throws(LakeError) {
        let loaded = try Timeline.load(from: storage)
        let s = try Self.schema(of: loaded, storage: storage, config: config)
        state.withLock {
            $0.timeline = loaded
            $0.schema = s
        }
    }

    /// Sets the schema from the timeline.
    private func refreshSchema() throws(LakeError) {
        schema = try Self.schema(of: timeline, storage: storage, config: config)
    }

    /// The data columns as of `timeline`: the latest commit's schema, else the create schema.
    private static func schema(
        of timeline: Timeline, storage: any TableStorage,
        config: TableConfig
    ) throws(LakeError) -> TableSchema? {
        if let (_, avro) = try timeline.latestSchema(in: storage) {
            return TableSchema(try AvroSchema(json: avro).parquetFields())
        } else if let create = config.createSchema, !create.isEmpty {
            return TableSchema(try AvroSchema(json: create).parquetFields())
        }
        return nil
    }

    /// The commit metadata of a completed write instant.
    public func commitMetadata(_ instant: Instant) throws(LakeError) -> HoodieCommitMetadata {
        try timeline.commitMetadata(of: instant, in: storage)
    }

    static func validate(_ config: TableConfig, against schema: TableSchema) throws(LakeError) {
        let names = Set(schema.fields.map(\.name))
        for k in config.recordKeyFields where !names.contains(k) {
            throw LakeError(
                .invalidArgument,
                "record key field '\(k)' is not a column (columns: \(schema.fields.map(\.name).joined(separator: ", ")))"
            )
        }
        if let p = config.precombineField, !names.contains(p) {
            throw LakeError(
                .invalidArgument,
                "precombine field '\(p)' is not a column (columns: \(schema.fields.map(\.name).joined(separator: ", ")))"
            )
        }
        for f in config.partitionFields where !names.contains(f) {
            throw LakeError(
                .invalidArgument,
                "partition field '\(f)' is not a column (columns: \(schema.fields.map(\.name).joined(separator: ", ")))"
            )
        }
    }

    func updateSchema(_ s: TableSchema) { schema = s }
}
