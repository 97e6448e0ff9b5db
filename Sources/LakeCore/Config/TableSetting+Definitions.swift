import LakeParquet

// The definitions of every table setting. Adding one here adds it to `lake create --set`, to
// the library's typed access and — through the test that compares them — to docs/tables.md.

extension AnyTableSetting {
    /// Every setting, Hudi table properties first, then lake's own, in documentation order.
    public static let all: [AnyTableSetting] = [
        TableSetting.tableType.definition,
        TableSetting.tableName.definition,
        TableSetting.databaseName.definition,
        TableSetting.recordKeyFields.definition,
        TableSetting.precombineField.definition,
        TableSetting.partitionFields.definition,
        TableSetting.keyGenerator.definition,
        TableSetting.hiveStylePartitioning.definition,
        TableSetting.urlEncodePartitioning.definition,
        TableSetting.timelineTimezone.definition,
        TableSetting.targetFileSize.definition,
        TableSetting.parquetCodec.definition,
        TableSetting.cleanerPolicy.definition,
        TableSetting.cleanerCommitsRetained.definition,
        TableSetting.cleanerFileVersionsRetained.definition,
        TableSetting.cleanerAutomatic.definition,
        TableSetting.archiveMinCommits.definition,
        TableSetting.archiveMaxCommits.definition,
        TableSetting.archiveAutomatic.definition,
        TableSetting.writeConcurrencyMode.definition,
        TableSetting.heartbeatIntervalMillis.definition,
        TableSetting.heartbeatTolerableMisses.definition,
    ]

    /// The settings as a Markdown table (`| setting | also accepted | default | values | meaning |`),
    /// as `docs/tables.md` shows it.
    public static var markdownTable: String {
        func code(_ s: String) -> String { "`" + s + "`" }
        var out = "| setting | Hudi names also accepted | default | values | meaning |\n|---|---|---|---|---|\n"
        for s in all {
            let aliases = s.aliases.isEmpty ? "" : s.aliases.map(code).joined(separator: ", ")
            out += "| \(code(s.property)) | \(aliases) | \(s.defaultText) | \(s.valuesText) | \(s.summary) |\n"
        }
        return out
    }
}

// MARK: - Hudi table properties

extension TableSetting where Value == TableType {
    /// `hoodie.table.type`: copy-on-write, the only type lake writes.
    public static let tableType = TableSetting.hudi(
        TableConfig.Key.type, aliases: ["hoodie.datasource.write.table.type", "hoodie.datasource.write.storage.type"],
        defaultText: "`COPY_ON_WRITE`", values: "`COPY_ON_WRITE` (`MERGE_ON_READ` is refused)",
        summary: "the table type; lake writes copy-on-write tables only", field: \.tableType,
        parse: { text throws(LakeError) in
            guard let t = TableType(propertyValue: text) else {
                throw LakeError(.invalidArgument, "not a table type (COPY_ON_WRITE or MERGE_ON_READ)")
            }
            return t
        },
        check: { t throws(LakeError) in
            guard t.isSupported else {
                throw LakeError(
                    .unsupported,
                    "lake writes COPY_ON_WRITE tables only; it reads merge-on-read tables but does not create or write them yet"
                )
            }
        },
        format: { $0.rawValue })
}

extension TableSetting where Value == String {
    /// `hoodie.table.name`.
    public static let tableName = TableSetting.hudi(
        TableConfig.Key.name, aliases: ["hoodie.datasource.write.table.name"],
        defaultText: "the directory's name", values: "a name", summary: "the table name (`lake create --name`)",
        field: \.name,
        parse: { $0 },
        check: { name throws(LakeError) in
            guard !name.isEmpty else { throw LakeError(.invalidArgument, "a table needs a name") }
        },
        format: { $0 })
}

extension TableSetting where Value == String? {
    /// `hoodie.database.name`.
    public static let databaseName = TableSetting.hudi(
        TableConfig.Key.database, aliases: [],
        defaultText: "`default`", values: "a name", summary: "the database name (part of the table checksum)",
        field: \.database, parse: { $0.isEmpty ? nil : $0 }, format: { $0 })

    /// `hoodie.table.precombine.field`.
    public static let precombineField = TableSetting.hudi(
        TableConfig.Key.precombineField,
        aliases: ["hoodie.datasource.write.precombine.field", "hoodie.table.ordering.fields"],
        defaultText: "none", values: "a column",
        summary: "the ordering (event-time) column: of two rows with one key, the larger value wins (`--precombine`)",
        field: \.precombineField,
        parse: { text throws(LakeError) in
            guard !text.contains(",") else {
                throw LakeError(.invalidArgument, "give one field (hudi-rs rejects several precombine fields)")
            }
            return text.isEmpty ? nil : text
        },
        format: { $0 })
}

extension TableSetting where Value == [String] {
    /// `hoodie.table.recordkey.fields`.
    public static let recordKeyFields = TableSetting.hudi(
        TableConfig.Key.recordKeyFields, aliases: ["hoodie.datasource.write.recordkey.field"],
        defaultText: "required", values: "columns, comma-separated", summary: "the record key (`--key`)",
        field: \.recordKeyFields, parse: SettingValue.fields,
        check: { fields throws(LakeError) in
            guard !fields.isEmpty else {
                throw LakeError(.invalidArgument, "a table needs at least one record key field")
            }
        },
        format: { $0.isEmpty ? nil : $0.joined(separator: ",") })

    /// `hoodie.table.partition.fields`.
    public static let partitionFields = TableSetting.hudi(
        TableConfig.Key.partitionFields, aliases: ["hoodie.datasource.write.partitionpath.field"],
        defaultText: "none (not partitioned)", values: "columns, comma-separated",
        summary: "the partition columns, outermost first (`--partition-by`)",
        field: \.partitionFields, parse: SettingValue.fields, format: { $0.isEmpty ? nil : $0.joined(separator: ",") })
}

extension TableSetting where Value == KeyGeneratorType {
    /// `hoodie.table.keygenerator.class`: how record keys and partition paths are formatted.
    public static let keyGenerator = TableSetting.hudi(
        TableConfig.Key.keyGenerator,
        aliases: ["hoodie.datasource.write.keygenerator.class", "hoodie.datasource.write.keygenerator.type"],
        defaultText: "as Spark SQL infers it",
        values: "`simple`, `complex`, `non-partitioned` or their Java class names",
        summary: "how keys are written: the value (simple) or `field:value,…` (complex) (`--key-generator`)",
        field: \.keyGenerator,
        parse: { text throws(LakeError) in
            switch text.lowercased().replacingAll("-", with: "_") {
            case "simple": return .simple
            case "complex": return .complex
            case "non_partitioned", "nonpartitioned": return .nonPartitioned
            default:
                let k = KeyGeneratorType(className: text)
                if case .other = k {
                    throw LakeError(
                        .unsupported,
                        "lake writes keys as SimpleKeyGenerator, ComplexKeyGenerator or NonpartitionedKeyGenerator "
                            + "only (simple, complex, non-partitioned)"
                    )
                }
                return k
            }
        },
        format: { $0.className })
}

extension TableSetting where Value == Bool {
    /// `hoodie.datasource.write.hive_style_partitioning`.
    public static let hiveStylePartitioning = TableSetting.hudi(
        TableConfig.Key.hiveStylePartitioning, aliases: [], defaultText: "`true`", values: "`true` or `false`",
        summary: "partition directories named `field=value` (`--no-hive-style` for plain values)",
        field: \.hiveStylePartitioning, parse: SettingValue.boolean, format: { String($0) })

    /// `hoodie.datasource.write.partitionpath.urlencode`.
    public static let urlEncodePartitioning = TableSetting.hudi(
        TableConfig.Key.urlEncodePartitioning, aliases: [], defaultText: "`true`", values: "`true` or `false`",
        summary: "percent-encode partition values (`false` refuses values with `/`)",
        field: \.urlEncodePartitioning, parse: SettingValue.boolean, format: { String($0) })

    /// `lake.cleaner.automatic`.
    public static let cleanerAutomatic = TableSetting.lake(
        "cleaner.automatic", aliases: ["hoodie.clean.automatic"], default: true, defaultText: "`true`",
        values: "`true` or `false`", summary: "clean after every commit (otherwise run `lake clean`)",
        parse: SettingValue.boolean, format: { String($0) })

    /// `lake.archive.automatic`.
    public static let archiveAutomatic = TableSetting.lake(
        "archive.automatic", aliases: ["hoodie.archive.automatic"], default: true, defaultText: "`true`",
        values: "`true` or `false`", summary: "archive after every commit",
        parse: SettingValue.boolean, format: { String($0) })
}

extension TableSetting where Value == TimelineTimezone {
    /// `hoodie.table.timeline.timezone`.
    public static let timelineTimezone = TableSetting.hudi(
        TableConfig.Key.timelineTimezone, aliases: [], defaultText: "`UTC`", values: "`UTC` or `LOCAL`",
        summary: "the zone of instant times (`LOCAL`: this machine's, Java's default)",
        field: \.timelineTimezone,
        parse: { text throws(LakeError) in
            guard let tz = TimelineTimezone(propertyValue: text) else {
                throw LakeError(.invalidArgument, "not UTC or LOCAL")
            }
            return tz
        },
        format: { $0.rawValue })
}

// MARK: - lake's own settings

extension TableSetting where Value == Int64 {
    /// lake's and Hudi's default target base file size: 120 MiB.
    public static let defaultTargetFileSize: Int64 = 120 << 20

    /// `lake.target.file.size`: inserts fill a partition's file groups up to this size.
    public static let targetFileSize = TableSetting.lake(
        "target.file.size", aliases: ["hoodie.parquet.max.file.size"], default: defaultTargetFileSize,
        defaultText: "120 MiB", values: "a size ≥ 1 KiB (`128MiB`, or bytes)",
        summary:
            "inserts fill a partition's file groups up to this size before opening new ones (`--target-file-size`)",
        parse: { text throws(LakeError) in try ByteSize(parsing: text).bytes },
        check: { n throws(LakeError) in
            guard n >= 1 << 10 else {
                throw LakeError(
                    .invalidArgument, "below the minimum of 1 KiB (a file per row or two would make every read slow)")
            }
        },
        format: { String($0) })
}

extension TableSetting where Value == CompressionCodec {
    /// The codecs lake writes base files with (every Hudi reader reads them).
    public static let writableCodecs: [CompressionCodec] = [.zstd, .gzip, .snappy, .uncompressed]

    /// `lake.parquet.codec`.
    public static let parquetCodec = TableSetting.lake(
        "parquet.codec", aliases: ["hoodie.parquet.compression.codec"], default: .zstd, defaultText: "`zstd`",
        values: "`zstd`, `gzip`, `snappy`, `none`", summary: "codec of new base files (`--codec`)",
        parse: { text throws(LakeError) in
            guard let c = CompressionCodec(name: text), writableCodecs.contains(c) else {
                throw LakeError(.invalidArgument, "not a codec lake writes (zstd, gzip, snappy, none)")
            }
            return c
        },
        format: { $0.name.lowercased() })
}

extension TableSetting where Value == CleanerPolicy.Kind {
    /// `lake.cleaner.policy`.
    public static let cleanerPolicy = TableSetting.lake(
        "cleaner.policy", aliases: ["hoodie.cleaner.policy", "hoodie.clean.policy"], default: .keepLatestCommits,
        defaultText: "`KEEP_LATEST_COMMITS`", values: "`KEEP_LATEST_COMMITS`, `KEEP_LATEST_FILE_VERSIONS`",
        summary: "which file slices the cleaner keeps",
        parse: { text throws(LakeError) in
            guard let k = CleanerPolicy.Kind(rawValue: text.uppercased()) else {
                throw LakeError(
                    .invalidArgument,
                    "not a cleaner policy lake implements (KEEP_LATEST_COMMITS or KEEP_LATEST_FILE_VERSIONS)")
            }
            return k
        },
        format: { $0.rawValue })
}

extension TableSetting where Value == Int {
    /// `lake.cleaner.commits.retained`: N for `KEEP_LATEST_COMMITS`.
    public static let cleanerCommitsRetained = TableSetting.lake(
        "cleaner.commits.retained", aliases: ["hoodie.cleaner.commits.retained", "hoodie.clean.commits.retained"],
        default: CleanerPolicy.defaultCommitsRetained, defaultText: "10", values: "an integer ≥ 1",
        summary: "commits whose snapshot stays readable (time travel, incremental reads, change feed)",
        parse: SettingValue.integer, check: { n throws(LakeError) in try SettingValue.atLeast(1, n) },
        format: { String($0) })

    /// `lake.cleaner.file.versions.retained`: N for `KEEP_LATEST_FILE_VERSIONS`.
    public static let cleanerFileVersionsRetained = TableSetting.lake(
        "cleaner.file.versions.retained",
        aliases: ["hoodie.cleaner.fileversions.retained", "hoodie.clean.fileversions.retained"],
        default: CleanerPolicy.defaultFileVersionsRetained, defaultText: "3", values: "an integer ≥ 1",
        summary: "file versions kept per file group under `KEEP_LATEST_FILE_VERSIONS`",
        parse: SettingValue.integer, check: { n throws(LakeError) in try SettingValue.atLeast(1, n) },
        format: { String($0) })
}

extension TableSetting where Value == Int? {
    /// `lake.archive.min.commits`; unset: the larger of 20 and the cleaner's N + 1.
    public static let archiveMinCommits = TableSetting.lake(
        "archive.min.commits", aliases: ["hoodie.keep.min.commits"], default: nil,
        defaultText: "20, at least N + 1", values: "an integer ≥ 1, above `cleaner.commits.retained`",
        summary: "completed commits left active after archiving",
        parse: { text throws(LakeError) in try SettingValue.integer(text) },
        check: { n throws(LakeError) in try SettingValue.atLeast(1, n) }, format: { $0.map(String.init) ?? "" })

    /// `lake.archive.max.commits`; unset: the larger of 30 and min + 10.
    public static let archiveMaxCommits = TableSetting.lake(
        "archive.max.commits", aliases: ["hoodie.keep.max.commits"], default: nil,
        defaultText: "30, at least min + 10", values: "an integer ≥ `archive.min.commits`",
        summary: "archive once more completed commits than this are active",
        parse: { text throws(LakeError) in try SettingValue.integer(text) },
        check: { n throws(LakeError) in try SettingValue.atLeast(1, n) }, format: { $0.map(String.init) ?? "" })
}

extension TableSetting where Value == WriteConcurrencyMode {
    /// `lake.write.concurrency.mode`: one writer at a time, or optimistic concurrency control.
    public static let writeConcurrencyMode = TableSetting.lake(
        "write.concurrency.mode", aliases: ["hoodie.write.concurrency.mode"], default: .singleWriter,
        defaultText: "`SINGLE_WRITER`", values: "`SINGLE_WRITER`, `OPTIMISTIC_CONCURRENCY_CONTROL`",
        summary: "several writers at once: optimistic concurrency (conflicting writes fail with exit 75)",
        parse: { text throws(LakeError) in
            guard let m = WriteConcurrencyMode(name: text) else {
                throw LakeError(.invalidArgument, "not SINGLE_WRITER or OPTIMISTIC_CONCURRENCY_CONTROL")
            }
            return m
        },
        format: { $0.rawValue })
}

extension TableSetting where Value == Int {
    /// `lake.heartbeat.interval.ms`: how often a writer refreshes its heartbeat (Hudi's default: 60 s).
    public static let heartbeatIntervalMillis = TableSetting.lake(
        "heartbeat.interval.ms", aliases: ["hoodie.client.heartbeat.interval_in_ms"], default: 60_000,
        defaultText: "60000", values: "milliseconds ≥ 10",
        summary: "how often a writer refreshes `.hoodie/.heartbeat/<instant>` while it writes",
        parse: SettingValue.integer, check: { n throws(LakeError) in try SettingValue.atLeast(10, n) },
        format: { String($0) })

    /// `lake.heartbeat.tolerable.misses`: a heartbeat older than interval × misses is expired.
    public static let heartbeatTolerableMisses = TableSetting.lake(
        "heartbeat.tolerable.misses", aliases: ["hoodie.client.heartbeat.tolerable.misses"], default: 2,
        defaultText: "2", values: "an integer ≥ 1",
        summary: "heartbeats a writer may miss before its pending write counts as failed and is rolled back",
        parse: SettingValue.integer, check: { n throws(LakeError) in try SettingValue.atLeast(1, n) },
        format: { String($0) })
}
