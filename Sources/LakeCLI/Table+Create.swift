import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake create --table PATH --key id[,k2] [--precombine ts] [--partition-by f1[,f2]] …`
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a new table (an Apache Hudi v6 copy-on-write table).",
            discussion: """
                Writes .hoodie/hoodie.properties. Without --schema, the first write defines the \
                columns (from a Parquet input's schema, or inferred from JSON: string, integer → \
                int64, other numbers → double, boolean, object → struct, array → list); column \
                types follow the type rules of docs/tables.md.

                Every table setting can be given with --set name=value, by its name or by the \
                Hudi option name Hudi users know (hoodie.cleaner.commits.retained, \
                hoodie.datasource.write.recordkey.field, …); an unknown name is refused with the \
                nearest one, and values are checked now rather than at the first write. The \
                options --key, --precombine, --partition-by, --key-generator, --name, \
                --target-file-size and --codec are shorthands for settings.

                Examples:
                  lake create --table /data/customers --key id --precombine ts --partition-by partitionkey,partitionkey2
                  lake create --table /data/orders --key order_id --schema 'message m { required binary order_id (STRING); optional int64 ts; }'
                  lake create --table /data/events --key id --precombine ts --set cleaner.commits.retained=2
                  lake create --table /data/events --set hoodie.datasource.write.recordkey.field=id --set hoodie.keep.min.commits=12

                Settings:
                """ + "\n" + TableSettingsHelp.text
        )

        @OptionGroup var options: TableOptions
        @OptionGroup var catalog: CatalogSyncOptions

        @Option(
            help: ArgumentHelp(
                "Record key field(s), comma-separated (or --set hoodie.datasource.write.recordkey.field=…).",
                valueName: "f1[,f2]"))
        var key: String?

        @Option(
            help: ArgumentHelp(
                "Precombine (ordering) field: of two rows with one key, the larger value wins.", valueName: "field"))
        var precombine: String?

        @Option(
            name: .customLong("partition-by"),
            help: ArgumentHelp("Partition field(s), comma-separated.", valueName: "f1[,f2]"))
        var partitionBy: String?

        @Flag(inversion: .prefixedNo, help: "Hive-style partition paths (field=value); the default.")
        var hiveStyle: Bool?

        @Option(
            name: .customLong("key-generator"),
            help: ArgumentHelp(
                "Key generator: simple (one key and one partition field; keys are the value), complex (keys are field:value,…), non-partitioned. Default: as Spark SQL infers it.",
                valueName: "kind"))
        var keyGenerator: String?

        @Option(help: "Table name (default: the directory's name).")
        var name: String?

        @Option(
            help: ArgumentHelp(
                "Data columns as parquet message-type text, or @file holding it.", valueName: "schema|@file"))
        var schema: String?

        @Option(
            name: .customLong("target-file-size"), parsing: .unconditional,
            help: ArgumentHelp("Target base file size (e.g. 128MiB); the setting target.file.size.", valueName: "bytes")
        )
        var targetFileSize: String?

        @Option(help: "Codec of base files: zstd (default), gzip, snappy, none; the setting parquet.codec.")
        var codec: String?

        @Flag(name: .long, help: "Print what was created as one JSON object.")
        var json = false

        @Option(
            name: .customLong("set"),
            help: ArgumentHelp(
                "A table setting by name or Hudi option name (repeatable), e.g. cleaner.commits.retained=2, hoodie.cleaner.policy=KEEP_LATEST_FILE_VERSIONS; listed above.",
                valueName: "name=value"))
        var settings: [String] = []

        func validate() throws {
            for kv in settings where !kv.contains("=") || kv.hasPrefix("=") {
                throw ValidationError("--set takes name=value, not '\(kv)'")
            }
            let keyNames = Set(TableSetting.recordKeyFields.definition.names.map { $0.lowercased() })
            let setNames = settings.map { String($0.prefix { $0 != "=" }).trimmingSpaces().lowercased() }
            if key == nil && !setNames.contains(where: keyNames.contains) {
                throw ValidationError("--key is missing: give the record key field(s), e.g. --key id")
            }
        }

        /// The options and `--set`s as named settings, each with where it came from.
        var assignments: [(name: String, value: String, origin: String)] {
            var out: [(name: String, value: String, origin: String)] = []
            if let key { out.append((TableConfig.Key.recordKeyFields, key, "--key")) }
            if let precombine { out.append((TableConfig.Key.precombineField, precombine, "--precombine")) }
            if let partitionBy { out.append((TableConfig.Key.partitionFields, partitionBy, "--partition-by")) }
            if let hiveStyle {
                out.append(
                    (
                        TableConfig.Key.hiveStylePartitioning, String(hiveStyle),
                        hiveStyle ? "--hive-style" : "--no-hive-style"
                    ))
            }
            if let keyGenerator { out.append((TableConfig.Key.keyGenerator, keyGenerator, "--key-generator")) }
            if let name { out.append((TableConfig.Key.name, name, "--name")) }
            if let targetFileSize {
                out.append((TableSetting.targetFileSize.key, targetFileSize, "--target-file-size"))
            }
            if let codec { out.append((TableSetting.parquetCodec.key, codec, "--codec")) }
            for kv in settings {
                let parts = kv.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let key = parts[0].trimmingSpaces()
                out.append((key, parts.count > 1 ? parts[1].trimmingSpaces() : "", "--set \(key)"))
            }
            return out
        }

        func run() throws {
            let tableName = try TableLocation(parsing: options.table).lastName ?? "table"
            let config: TableConfig
            do throws(LakeError) {
                config = try TableConfig(name: tableName, settings: assignments)
            } catch {
                throw CLIFailure(.usage, error.message)
            }
            var tableSchema: TableSchema?
            if let s = schema {
                let text = s.hasPrefix("@") ? try InputFile.readText(String(s.dropFirst()), "schema file") : s
                tableSchema = TableSchema(try ParquetSchema(messageType: text).fields)
            }
            let table: Table
            do throws(LakeError) {
                table = try Table.create(at: options.table, config: config, schema: tableSchema)
                RequestReport.track(table.storage)
            } catch {
                guard error.code == .alreadyExists else { throw error }
                throw CLIFailure(.usage, error.message, hint: "choose another path, or write to the existing table")
            }
            let out = StandardOutput.shared
            if json {
                let doc: JSONValue = .object([
                    JSONMember("table", .string(options.table)), JSONMember("name", .string(table.config.name)),
                    JSONMember("record_key_fields", .array(config.recordKeyFields.map { .string($0) })),
                    JSONMember("precombine_field", config.precombineField.map { .string($0) } ?? .null),
                    JSONMember("partition_fields", .array(config.partitionFields.map { .string($0) })),
                    JSONMember("hive_style", .bool(config.hiveStylePartitioning)),
                    JSONMember(
                        "settings",
                        .object(config.lake.keys.sorted().map { JSONMember("lake." + $0, .string(config.lake[$0]!)) })),
                ])
                JSONWriter.appendValue(doc, to: &out.buffer)
                out.buffer.append(0x0A)
                try out.flush()
                try registerInCatalog(table)
                return
            }
            out.buffer.append(
                contentsOf:
                    "created table '\(table.config.name)' at \(options.table) (key \(config.recordKeyFields.joined(separator: ",")), \(config.partitionFields.isEmpty ? "not partitioned" : "partitioned by \(config.partitionFields.joined(separator: ","))"))\n"
                    .utf8)
            try out.flush()
            try registerInCatalog(table)
        }

        /// `--sync glue`: registers a table created with a schema; one without has no columns
        /// yet and is registered by its first write's sync.
        func registerInCatalog(_ table: Table) throws {
            guard catalog.isEnabled else { return }
            guard table.schema != nil else {
                StandardError.write(
                    "glue sync: nothing to register before the first commit (no --schema); the first write with --sync glue registers the table\n"
                )
                return
            }
            try catalog.afterCommit(path: options.table)
        }
    }
}

/// The settings list of `lake create --help`, generated from the definitions.
enum TableSettingsHelp {
    static let text: String = AnyTableSetting.all.map { s in
        let plain = { (t: String) in String(t.filter { $0 != "`" }) }
        var line = "  \(s.key) — \(plain(s.valuesText)); default: \(plain(s.defaultText))"
        if !s.aliases.isEmpty { line += "\n      Hudi: " + s.aliases.joined(separator: ", ") }
        return line
    }.joined(separator: "\n")
}
