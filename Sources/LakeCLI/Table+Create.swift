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
                int64, other numbers → double, boolean, object → struct, array → list).

                Examples:
                  lake create --table /data/customers --key id --precombine ts --partition-by partitionkey,partitionkey2
                  lake create --table /data/orders --key order_id --schema 'message m { required binary order_id (STRING); optional int64 ts; }'
                  lake create --table /data/events --key id --precombine ts --set cleaner.commits.retained=2
                """
        )

        @OptionGroup var options: TableOptions

        @Option(help: ArgumentHelp("Record key field(s), comma-separated.", valueName: "f1[,f2]"))
        var key: String

        @Option(help: ArgumentHelp("Precombine (ordering) field: of two rows with one key, the larger value wins.", valueName: "field"))
        var precombine: String?

        @Option(name: .customLong("partition-by"), help: ArgumentHelp("Partition field(s), comma-separated.", valueName: "f1[,f2]"))
        var partitionBy: String?

        @Flag(inversion: .prefixedNo, help: "Hive-style partition paths (field=value).")
        var hiveStyle = true

        @Option(name: .customLong("key-generator"), help: ArgumentHelp("Key generator: simple (one key and one partition field; keys are the value), complex (keys are field:value,…), non-partitioned. Default: as Spark SQL infers it.", valueName: "kind"))
        var keyGenerator: String?

        @Option(help: "Table name (default: the directory's name).")
        var name: String?

        @Option(help: ArgumentHelp("Data columns as parquet message-type text, or @file holding it.", valueName: "schema|@file"))
        var schema: String?

        @Option(name: .customLong("target-file-size"), help: ArgumentHelp("Target base file size (e.g. 128MiB).", valueName: "bytes"))
        var targetFileSize: ByteCount?

        @Option(help: "Codec of base files: zstd (default), gzip, snappy, none.")
        var codec: String?

        @Option(name: .customLong("set"), help: ArgumentHelp("A lake setting, stored as lake.<key> in hoodie.properties (repeatable), e.g. cleaner.commits.retained=2, cleaner.automatic=false, archive.min.commits=20.", valueName: "key=value"))
        var settings: [String] = []

        static func list(_ s: String?) -> [String] {
            (s ?? "").split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        }

        func validate() throws {
            if Self.list(key).isEmpty { throw ValidationError("--key needs at least one field") }
            for kv in settings where !kv.contains("=") || kv.hasPrefix("=") {
                throw ValidationError("--set takes key=value, not '\(kv)'")
            }
            if let k = keyGenerator, !["simple", "complex", "non-partitioned"].contains(k) {
                throw ValidationError("--key-generator must be simple, complex or non-partitioned, not '\(k)'")
            }
            if keyGenerator == "simple" && (Self.list(key).count > 1 || Self.list(partitionBy).count > 1) {
                throw ValidationError("--key-generator simple takes one key field and at most one partition field")
            }
            if keyGenerator == "non-partitioned" && partitionBy != nil {
                throw ValidationError("--key-generator non-partitioned cannot be combined with --partition-by")
            }
            if let c = codec, CompressionCodec(name: c) == nil || ![.zstd, .gzip, .snappy, .uncompressed].contains(CompressionCodec(name: c)!) {
                throw ValidationError("--codec must be zstd, gzip, snappy or none, not '\(c)'")
            }
        }

        func run() throws {
            let tableName = name ?? options.table.split(separator: "/").last.map(String.init) ?? "table"
            let generator: KeyGeneratorType? = switch keyGenerator {
            case "simple": .simple
            case "complex": .complex
            case "non-partitioned": .nonPartitioned
            default: nil
            }
            var config = TableConfig(name: tableName, recordKeyFields: Self.list(key), partitionFields: Self.list(partitionBy),
                                     precombineField: precombine, hiveStylePartitioning: hiveStyle, keyGenerator: generator)
            for kv in settings {
                let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
                var key = parts[0].trimmingSpaces()
                if key.hasPrefix("lake.") { key.removeFirst(5) }
                config.lake[key] = parts.count > 1 ? parts[1].trimmingSpaces() : ""
            }
            if let t = targetFileSize { config.lake["target.file.size"] = String(t.bytes) }
            if let c = codec { config.lake["parquet.codec"] = CompressionCodec(name: c)!.name.lowercased() }
            var tableSchema: TableSchema?
            if let s = schema {
                let text = s.hasPrefix("@") ? try InputFile.readText(String(s.dropFirst()), "schema file") : s
                tableSchema = TableSchema(try ParquetSchema(messageType: text).fields)
            }
            let table = try Table.create(at: options.table, config: config, schema: tableSchema)
            let out = StandardOutput.shared
            out.buffer.append(contentsOf: "created table '\(table.config.name)' at \(options.table) (key \(config.recordKeyFields.joined(separator: ",")), \(config.partitionFields.isEmpty ? "not partitioned" : "partitioned by \(config.partitionFields.joined(separator: ","))"))\n".utf8)
            try out.flush()
        }
    }
}
