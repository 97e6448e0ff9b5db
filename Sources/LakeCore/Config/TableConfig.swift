/// A table's configuration: what `.hoodie/hoodie.properties` says (format page §3).
///
/// ``init(properties:)`` opens Java-written tables and lake's own; ``properties`` renders the
/// full property set lake writes, including `hoodie.table.checksum`. Keys lake does not model are
/// kept in ``additionalProperties`` and written back unchanged; lake's own settings live under
/// `lake.*` in ``lake`` (keys without the prefix), which Java and hudi-rs ignore.
public struct TableConfig: Sendable, Hashable {
    /// `hoodie.table.name`.
    public var name: String
    /// `hoodie.table.type`. lake reads and writes ``TableType/copyOnWrite`` tables; a
    /// merge-on-read configuration parses, but opening or creating such a table fails with
    /// `.unsupported`.
    public var tableType: TableType
    /// `hoodie.database.name`; part of the checksum (`""` when absent).
    public var database: String?
    /// `hoodie.table.recordkey.fields`.
    public var recordKeyFields: [String]
    /// `hoodie.table.precombine.field`: the ordering (event-time) field. hudi-rs rejects more
    /// than one field.
    public var precombineField: String?
    /// `hoodie.table.partition.fields`; empty for a non-partitioned table (the key is then omitted).
    public var partitionFields: [String]
    /// `hoodie.datasource.write.hive_style_partitioning`: `field=value` path segments.
    public var hiveStylePartitioning: Bool
    /// `hoodie.datasource.write.partitionpath.urlencode`: partition values are percent-encoded
    /// (see ``PartitionScheme`` for why lake turns it on for new tables).
    public var urlEncodePartitioning: Bool
    /// `hoodie.table.keygenerator.class`.
    public var keyGenerator: KeyGeneratorType
    /// `hoodie.table.base.file.format`; always `PARQUET`.
    public var baseFileFormat: String
    /// `hoodie.table.timeline.timezone`. When absent in a Java table this is `.local`, Java's
    /// default (hudi-rs assumes UTC).
    public var timelineTimezone: TimelineTimezone
    /// `hoodie.table.version`; lake reads and writes 6.
    public var tableVersion: Int
    /// `hoodie.timeline.layout.version`; 1 for version 6.
    public var timelineLayoutVersion: Int
    /// `hoodie.populate.meta.fields`: whether base files carry the five `_hoodie_*` columns.
    public var populateMetaFields: Bool
    /// `hoodie.compaction.payload.class`: lake declares `DefaultHoodieRecordPayload` so a Java
    /// writer of the same table also keeps event-time ordering (format page §12).
    public var payloadClass: String?
    /// `hoodie.table.create.schema`: the Avro schema at creation (unescaped JSON), used when no
    /// commit has a schema yet.
    public var createSchema: String?
    /// `hoodie.archivelog.folder`.
    public var archiveLogFolder: String
    /// lake's own settings, written as `lake.<key>=<value>`; keys here have no `lake.` prefix.
    /// Prefer the typed access, which checks values: ``value(_:)``, ``set(_:to:)``
    /// and the by-name overload (see ``AnyTableSetting/all`` for every setting).
    public var lake: [String: String]
    /// Every other property, kept verbatim for round trips.
    public var additionalProperties: [String: String]

    /// The payload class that orders by the precombine field against stored records.
    public static let defaultPayloadClass = "org.apache.hudi.common.model.DefaultHoodieRecordPayload"

    /// A new table's configuration with lake's defaults: copy-on-write, database `default`, version 6 /
    /// layout 1, hive-style and URL-encoded partition paths, UTC timeline, meta fields on,
    /// `DefaultHoodieRecordPayload`, key generator inferred like Spark SQL does.
    public init(
        name: String, recordKeyFields: [String], partitionFields: [String] = [],
        precombineField: String? = nil, database: String? = "default",
        hiveStylePartitioning: Bool = true, urlEncodePartitioning: Bool = true,
        keyGenerator: KeyGeneratorType? = nil
    ) {
        self.name = name
        self.tableType = .copyOnWrite
        self.database = database
        self.recordKeyFields = recordKeyFields
        self.precombineField = precombineField
        self.partitionFields = partitionFields
        self.hiveStylePartitioning = hiveStylePartitioning
        self.urlEncodePartitioning = urlEncodePartitioning
        self.keyGenerator =
            keyGenerator ?? .inferred(recordKeyFields: recordKeyFields, partitionFields: partitionFields)
        self.baseFileFormat = "PARQUET"
        self.timelineTimezone = .utc
        self.tableVersion = 6
        self.timelineLayoutVersion = 1
        self.populateMetaFields = true
        self.payloadClass = Self.defaultPayloadClass
        self.createSchema = nil
        self.archiveLogFolder = "archived"
        self.lake = [:]
        self.additionalProperties = [:]
    }

    /// How partition paths of this table are built and parsed.
    public var partitionScheme: PartitionScheme {
        PartitionScheme(fields: partitionFields, hiveStyle: hiveStylePartitioning, urlEncode: urlEncodePartitioning)
    }

    /// How record keys of this table are formatted.
    public var recordKeyFormat: RecordKeyFormat {
        RecordKeyFormat(fields: recordKeyFields, keyGenerator: keyGenerator)
    }

    /// Whether the table has partition directories.
    public var isPartitioned: Bool {
        !partitionFields.isEmpty && keyGenerator != .nonPartitioned
    }
}
