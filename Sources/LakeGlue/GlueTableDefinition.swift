import LakeCore
import LakeParquet

/// What the Glue Data Catalog should hold for one lake table, as Hudi's hive sync registers a
/// copy-on-write table: the columns (meta columns first, partition columns left out, Hive types),
/// the partition keys, the storage descriptor Athena, Hive and Spark read a Hudi table with, the
/// table parameters, and one partition per partition path.
public struct GlueTableDefinition: Sendable, Equatable {
    /// A column as Glue stores it: name and Hive type.
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: String
        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// A partition: its values, one per partition key (MultiPartKeysValueExtractor: each path
    /// segment, the part after `field=` when hive-style, URL-decoded when the table encodes), and
    /// where its files are.
    public struct Partition: Sendable, Hashable {
        public var values: [String]
        public var location: String
    }

    /// The Hudi input format: Hive, Athena and Spark read only each file group's latest base file.
    public static let inputFormat = "org.apache.hudi.hadoop.HoodieParquetInputFormat"
    public static let outputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    public static let serializationLibrary = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    /// The table parameter holding the last commit the catalog reflects (Hudi's name for it).
    public static let lastCommitParameter = "last_commit_time_sync"

    /// The data columns: the Hudi meta columns, then the table's columns without the partition
    /// fields (those are the partition keys).
    public var columns: [Column]
    /// The partition keys, in path order, typed as their columns (`string` when the field is not a
    /// column).
    public var partitionKeys: [Column]
    /// The table's location (`s3://bucket/prefix`, or `file:///abs/path` for a local table).
    public var location: String
    /// Table parameters: `EXTERNAL`, `spark.sql.sources.provider`, `last_commit_time_sync`, …
    public var parameters: [String: String]
    /// SerDe parameters (`serialization.format`, `path`, `hoodie.query.as.ro.table`).
    public var serdeParameters: [String: String]
    /// Every partition that has live files in the latest snapshot.
    public var partitions: [Partition]

    /// The definition of `table` at its latest completed commit.
    /// - Parameter workingDirectory: resolves a relative local table path into the absolute
    ///   location the catalog needs.
    /// - Throws: `LakeError(.notFound)` when the table has no schema yet (no commit), and what
    ///   listing the table's partitions throws.
    public init(table: Table, workingDirectory: String) throws(LakeError) {
        guard let schema = table.schema else {
            throw LakeError(
                .notFound, "table \(table.path) has no commit yet, so there are no columns to register in the catalog")
        }
        let config = table.config
        let partitionFields = config.partitionFields
        columns = TableSchema.metaColumns.map { Column(name: $0, type: "string") }
        for field in schema.fields where !partitionFields.contains(field.name) {
            columns.append(Column(name: field.name, type: HiveType.of(field)))
        }
        partitionKeys = partitionFields.map { name in
            Column(name: name, type: schema.field(named: name).map(HiveType.of) ?? "string")
        }
        location = try Self.location(of: table.path, workingDirectory: workingDirectory)
        parameters = [
            "EXTERNAL": "TRUE",
            "spark.sql.sources.provider": "hudi",
            "hudi.metadata-listing-enabled": "FALSE",
            "hoodie.table.name": config.name,
            "classification": "hudi",
        ]
        let metaFields = TableSchema.metaColumns.map { ParquetField.string($0) }
        parameters.merge(SparkSchema.parameters(metaFields + schema.fields, partitionFields: partitionFields)) { $1 }
        if let last = table.timeline.latestCompleted?.timestamp {
            parameters[Self.lastCommitParameter] = last
        }
        serdeParameters = ["serialization.format": "1", "path": location, "hoodie.query.as.ro.table": "false"]
        partitions = []
        if !partitionFields.isEmpty {
            let scheme = config.partitionScheme
            let view = try FileSystemView.load(storage: table.storage, timeline: table.timeline)
            for path in view.partitions {
                let values = try scheme.values(of: path).map { $0 ?? PartitionPath.defaultPartition }
                partitions.append(Partition(values: values, location: location + "/" + path))
            }
        }
    }

    /// The catalog location of a table path: `s3://…` as is (`s3a://` as `s3://`), a local
    /// directory as an absolute `file://` URI.
    static func location(of path: String, workingDirectory: String) throws(LakeError) -> String {
        switch try TableLocation(parsing: path) {
        case .s3(let bucket, let prefix):
            return prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
        case .local(let p):
            var absolute = p.hasPrefix("/") ? p : workingDirectory + "/" + p
            while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
            return "file://" + absolute
        }
    }
}
