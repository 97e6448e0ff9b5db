/// An Avro schema, as Hudi stores table schemas (`extraMetadata.schema` in commit metadata,
/// `hoodie.table.create.schema` in the table properties).
///
/// Covers the Avro 1.11 specification: primitives (with logical types), records, enums, arrays,
/// maps, unions, fixed, and references to named types defined earlier. Parsing and rendering are
/// in `AvroSchema+JSON.swift` (rendered like Java's `Schema.toString()`); conversion to and from
/// ``ParquetSchema`` in `AvroSchema+Parquet.swift`. Attributes other than those modelled here
/// (aliases, `order`, custom properties such as `avro.java.string`) are dropped on parsing.
public indirect enum AvroSchema: Sendable, Hashable {
    /// A primitive type, optionally annotated with a logical type (`{"type":"int","logicalType":"date"}`).
    case primitive(AvroPrimitive, logical: AvroLogicalType?)
    case record(AvroRecord)
    case enumeration(AvroEnum)
    case array(items: AvroSchema)
    case map(values: AvroSchema)
    /// A union; `["null", T]` is how a nullable `T` is written.
    case union([AvroSchema])
    case fixed(AvroFixed)
    /// A use of a named type (record, enum, fixed) defined earlier in the schema, by full name.
    case reference(String)

    /// The `null` type.
    public static var null: AvroSchema { .primitive(.null, logical: nil) }
    /// The `boolean` type.
    public static var boolean: AvroSchema { .primitive(.boolean, logical: nil) }
    /// The `int` type (32-bit).
    public static var int: AvroSchema { .primitive(.int, logical: nil) }
    /// The `long` type (64-bit).
    public static var long: AvroSchema { .primitive(.long, logical: nil) }
    /// The `float` type.
    public static var float: AvroSchema { .primitive(.float, logical: nil) }
    /// The `double` type.
    public static var double: AvroSchema { .primitive(.double, logical: nil) }
    /// The `bytes` type.
    public static var bytes: AvroSchema { .primitive(.bytes, logical: nil) }
    /// The `string` type (UTF-8).
    public static var string: AvroSchema { .primitive(.string, logical: nil) }

    /// `["null", schema]`, Hudi's form of a nullable type (null first, so `"default": null` is valid).
    public static func nullable(_ schema: AvroSchema) -> AvroSchema { .union([.null, schema]) }

    /// For a union of `null` and exactly one other type (either order), that type; `nil` otherwise.
    public var nonNullBranch: AvroSchema? {
        guard case .union(let branches) = self, branches.count == 2 else { return nil }
        if branches[0] == .null, branches[1] != .null { return branches[1] }
        if branches[1] == .null, branches[0] != .null { return branches[0] }
        return nil
    }

    /// The record, if this is one.
    public var record: AvroRecord? {
        if case .record(let r) = self { return r }
        return nil
    }
}

/// Avro's primitive types.
public enum AvroPrimitive: String, Sendable, Hashable, CaseIterable {
    case null, boolean, int, long, float, double, bytes, string
}

/// Avro logical types (specification 1.11 plus the nanosecond timestamps of 1.12).
public enum AvroLogicalType: Sendable, Hashable {
    /// On `bytes` or `fixed`: an unscaled two's-complement big-endian integer.
    case decimal(precision: Int, scale: Int)
    /// On `string`.
    case uuid
    /// On `int`: days since 1970-01-01.
    case date
    /// On `int`: milliseconds after midnight.
    case timeMillis
    /// On `long`: microseconds after midnight.
    case timeMicros
    /// On `long`: an instant, milliseconds since the epoch.
    case timestampMillis
    case timestampMicros
    case timestampNanos
    /// On `long`: a wall-clock time without zone.
    case localTimestampMillis
    case localTimestampMicros
    case localTimestampNanos

    /// The `logicalType` attribute value.
    public var name: String {
        switch self {
        case .decimal: "decimal"
        case .uuid: "uuid"
        case .date: "date"
        case .timeMillis: "time-millis"
        case .timeMicros: "time-micros"
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .localTimestampMillis: "local-timestamp-millis"
        case .localTimestampMicros: "local-timestamp-micros"
        case .localTimestampNanos: "local-timestamp-nanos"
        }
    }

    /// The primitive a (non-decimal) logical type annotates; decimals annotate `bytes` or `fixed`.
    var primitive: AvroPrimitive {
        switch self {
        case .decimal: .bytes
        case .uuid: .string
        case .date, .timeMillis: .int
        case .timeMicros, .timestampMillis, .timestampMicros, .timestampNanos,
            .localTimestampMillis, .localTimestampMicros, .localTimestampNanos:
            .long
        }
    }
}
