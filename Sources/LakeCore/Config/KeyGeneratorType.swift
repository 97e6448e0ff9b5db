/// The key generator a table declares in `hoodie.table.keygenerator.class`. It decides how
/// record keys and partition paths are formatted (``RecordKeyFormat``, ``PartitionScheme``).
public enum KeyGeneratorType: Sendable, Hashable {
    /// One record key field, written as its bare value; one partition field.
    case simple
    /// Record keys written as `f1:v1,f2:v2` (even for a single field); any number of partition fields.
    case complex
    /// No partitions; one record key field as its bare value, several as `f1:v1,f2:v2`.
    case nonPartitioned
    /// Another Java class (custom, timestamp-based, …), kept verbatim. lake formats keys for it
    /// like ``nonPartitioned`` does (bare value for one field, complex otherwise), as Java's
    /// `CustomKeyGenerator` does.
    case other(String)

    /// Java `SimpleKeyGenerator`.
    public static let simpleClassName = "org.apache.hudi.keygen.SimpleKeyGenerator"
    /// Java `ComplexKeyGenerator`.
    public static let complexClassName = "org.apache.hudi.keygen.ComplexKeyGenerator"
    /// Java `NonpartitionedKeyGenerator`.
    public static let nonPartitionedClassName = "org.apache.hudi.keygen.NonpartitionedKeyGenerator"

    /// The Java class name written to `hoodie.table.keygenerator.class`.
    public var className: String {
        switch self {
        case .simple: Self.simpleClassName
        case .complex: Self.complexClassName
        case .nonPartitioned: Self.nonPartitionedClassName
        case .other(let name): name
        }
    }

    /// The type of a Java class name; unknown names become ``other(_:)`` (round-trips).
    public init(className: String) {
        switch className {
        case Self.simpleClassName: self = .simple
        case Self.complexClassName: self = .complex
        case Self.nonPartitionedClassName: self = .nonPartitioned
        default: self = .other(className)
        }
    }

    /// What Java Spark SQL picks for a table: no partition fields → non-partitioned; one key
    /// field and at most one partition field → simple; otherwise complex.
    public static func inferred(recordKeyFields: [String], partitionFields: [String]) -> KeyGeneratorType {
        if partitionFields.isEmpty { return .nonPartitioned }
        if recordKeyFields.count <= 1 && partitionFields.count == 1 { return .simple }
        return .complex
    }
}
