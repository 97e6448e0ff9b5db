extension TableConfig {
    /// Property keys (Java `HoodieTableConfig` / write config names).
    public enum Key {
        public static let name = "hoodie.table.name"
        public static let type = "hoodie.table.type"
        public static let version = "hoodie.table.version"
        public static let timelineLayoutVersion = "hoodie.timeline.layout.version"
        public static let database = "hoodie.database.name"
        public static let recordKeyFields = "hoodie.table.recordkey.fields"
        public static let precombineField = "hoodie.table.precombine.field"
        public static let partitionFields = "hoodie.table.partition.fields"
        public static let hiveStylePartitioning = "hoodie.datasource.write.hive_style_partitioning"
        public static let urlEncodePartitioning = "hoodie.datasource.write.partitionpath.urlencode"
        public static let dropPartitionColumns = "hoodie.datasource.write.drop.partition.columns"
        public static let keyGenerator = "hoodie.table.keygenerator.class"
        public static let baseFileFormat = "hoodie.table.base.file.format"
        public static let timelineTimezone = "hoodie.table.timeline.timezone"
        public static let populateMetaFields = "hoodie.populate.meta.fields"
        public static let payloadClass = "hoodie.compaction.payload.class"
        public static let createSchema = HoodieProperties.createSchemaKey
        public static let archiveLogFolder = "hoodie.archivelog.folder"
        public static let checksum = HoodieProperties.checksumKey
        /// Prefix of lake's own keys.
        public static let lakePrefix = "lake."
    }

    /// Reads a table's configuration.
    ///
    /// Missing optional keys take Java's defaults (hive-style `false`, urlencode `false`,
    /// timezone `LOCAL`, meta fields `true`, layout version 1); a missing key generator is
    /// inferred (``KeyGeneratorType/inferred(recordKeyFields:partitionFields:)``). The checksum is
    /// validated by ``load(from:)`` (``HoodieProperties/validateChecksum()``), as Java does.
    /// - Throws: `.corruptTable` if `hoodie.table.name` is missing or a value does not parse
    ///   (table type, version, booleans, timezone, checksum); `.unsupported` for a table lake
    ///   cannot read: version ≠ 6, layout ≠ 1, a base file format other than Parquet, or
    ///   `drop.partition.columns=true`. A merge-on-read table parses (``tableType``);
    ///   ``Table/open(_:)`` refuses it.
    public init(properties p: HoodieProperties) throws(LakeError) {
        func bool(_ key: String, default d: Bool) throws(LakeError) -> Bool {
            guard let v = p[key] else { return d }
            switch v.lowercased() {
            case "true": return true
            case "false": return false
            default: throw LakeError(.corruptTable, "\(HoodieProperties.path): \(key)=\(v) is not true or false")
            }
        }
        func int(_ key: String) throws(LakeError) -> Int? {
            guard let v = p[key] else { return nil }
            guard let i = Int(v) else {
                throw LakeError(.corruptTable, "\(HoodieProperties.path): \(key)=\(v) is not an integer")
            }
            return i
        }
        func list(_ key: String) -> [String] {
            (p[key] ?? "").split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }

        guard let name = p[Key.name], !name.isEmpty else {
            throw LakeError(.corruptTable, "\(HoodieProperties.path): \(Key.name) is missing")
        }
        var type = TableType.copyOnWrite
        if let v = p[Key.type] {
            guard let parsed = TableType(propertyValue: v) else {
                throw LakeError(
                    .corruptTable,
                    "\(HoodieProperties.path): \(Key.type)=\(v) is not COPY_ON_WRITE or MERGE_ON_READ")
            }
            type = parsed
        }
        let version = try int(Key.version) ?? 6
        guard version == 6 else {
            throw LakeError(
                .unsupported, "table \(name) has \(Key.version)=\(version); lake supports table version 6 only")
        }
        let layout = try int(Key.timelineLayoutVersion) ?? 1
        guard layout == 1 else {
            throw LakeError(
                .unsupported, "table \(name) has \(Key.timelineLayoutVersion)=\(layout); version 6 tables use layout 1")
        }
        if try bool(Key.dropPartitionColumns, default: false) {
            throw LakeError(
                .unsupported,
                "table \(name) has \(Key.dropPartitionColumns)=true (partition columns missing from data files); lake cannot read it"
            )
        }
        let format = p[Key.baseFileFormat] ?? "PARQUET"
        guard format.uppercased() == "PARQUET" else {
            throw LakeError(.unsupported, "table \(name) has base file format \(format); lake reads Parquet only")
        }
        if let c = p[Key.checksum], Int64(c) == nil {
            throw LakeError(.corruptTable, "\(HoodieProperties.path): \(Key.checksum)=\(c) is not a number")
        }
        var tz = TimelineTimezone.local
        if let v = p[Key.timelineTimezone] {
            guard let parsed = TimelineTimezone(propertyValue: v) else {
                throw LakeError(
                    .corruptTable, "\(HoodieProperties.path): \(Key.timelineTimezone)=\(v) is not UTC or LOCAL")
            }
            tz = parsed
        }

        let recordKeys = list(Key.recordKeyFields)
        let partitions = list(Key.partitionFields)
        self.init(
            name: name, recordKeyFields: recordKeys, partitionFields: partitions,
            precombineField: p[Key.precombineField].flatMap { $0.isEmpty ? nil : $0 },
            database: p[Key.database],
            hiveStylePartitioning: try bool(Key.hiveStylePartitioning, default: false),
            urlEncodePartitioning: try bool(Key.urlEncodePartitioning, default: false),
            keyGenerator: p[Key.keyGenerator].map(KeyGeneratorType.init(className:)))
        tableType = type
        baseFileFormat = format
        timelineTimezone = tz
        tableVersion = version
        timelineLayoutVersion = layout
        populateMetaFields = try bool(Key.populateMetaFields, default: true)
        payloadClass = p[Key.payloadClass]
        createSchema = p[Key.createSchema]
        archiveLogFolder = p[Key.archiveLogFolder] ?? "archived"

        let modelled: Set<String> = [
            Key.name, Key.type, Key.version, Key.timelineLayoutVersion, Key.database, Key.recordKeyFields,
            Key.precombineField, Key.partitionFields, Key.hiveStylePartitioning, Key.urlEncodePartitioning,
            Key.dropPartitionColumns, Key.keyGenerator, Key.baseFileFormat, Key.timelineTimezone,
            Key.populateMetaFields, Key.payloadClass, Key.createSchema, Key.archiveLogFolder, Key.checksum,
        ]
        for (k, v) in p.values where !modelled.contains(k) {
            if k.hasPrefix(Key.lakePrefix) {
                var key = String(k.dropFirst(Key.lakePrefix.count))
                // Earlier versions of `lake stream` stored the cleaner setting as
                // `lake.lake.cleaner.commits.retained`; read it as the setting it meant.
                if key.hasPrefix(Key.lakePrefix), p[k.dropFirst(Key.lakePrefix.count).description] == nil {
                    key.removeFirst(Key.lakePrefix.count)
                }
                lake[key] = v
            } else {
                additionalProperties[k] = v
            }
        }
    }

    /// The full property set lake writes for this table, with `hoodie.table.checksum` computed
    /// from ``database`` and ``name``. Timezone, populate-meta-fields and drop-partition-columns
    /// are always written explicitly so every reader agrees.
    public var properties: HoodieProperties {
        var p = HoodieProperties(additionalProperties)
        for (k, v) in lake { p[Key.lakePrefix + k] = v }
        p[Key.name] = name
        p[Key.type] = tableType.rawValue
        p[Key.version] = String(tableVersion)
        p[Key.timelineLayoutVersion] = String(timelineLayoutVersion)
        p[Key.database] = database
        if !recordKeyFields.isEmpty { p[Key.recordKeyFields] = recordKeyFields.joined(separator: ",") }
        p[Key.precombineField] = precombineField
        if !partitionFields.isEmpty { p[Key.partitionFields] = partitionFields.joined(separator: ",") }
        p[Key.hiveStylePartitioning] = String(hiveStylePartitioning)
        p[Key.urlEncodePartitioning] = String(urlEncodePartitioning)
        p[Key.dropPartitionColumns] = "false"
        p[Key.keyGenerator] = keyGenerator.className
        p[Key.baseFileFormat] = baseFileFormat
        p[Key.timelineTimezone] = timelineTimezone.rawValue
        p[Key.populateMetaFields] = String(populateMetaFields)
        p[Key.payloadClass] = payloadClass
        p[Key.createSchema] = createSchema
        p[Key.archiveLogFolder] = archiveLogFolder
        p[Key.checksum] = String(HoodieProperties.tableChecksum(database: database, table: name))
        return p
    }

    /// Reads `.hoodie/hoodie.properties` from a table.
    /// - Throws: `.notFound` if the file does not exist (not a table); `.corruptTable` if its
    ///   `hoodie.table.checksum` is wrong; see ``init(properties:)``.
    public static func load(from storage: some TableStorage) throws(LakeError) -> TableConfig {
        try TableConfig(properties: HoodieProperties.load(from: storage))
    }

    /// Writes `.hoodie/hoodie.properties` atomically, dated `savedAtMillis`.
    public func save(
        to storage: some TableStorage, savedAtMillis: Int64 = InstantTime.systemNowMillis()
    ) throws(LakeError) {
        try storage.write(HoodieProperties.path, properties.serialized(savedAtMillis: savedAtMillis))
    }
}
