import LakeCore

/// A column read from a change record.
public struct MappedColumn: Sendable, Hashable {
    /// Where the value is.
    public var source: SourcePath
    /// The attribute type expected at the source (image paths), if the mapping states one.
    public var sourceType: AttributeType?
    /// The column name.
    public var target: String
    /// The column type; `nil` infers it from the values, as without a mapping.
    public var targetType: ColumnType?

    public init(source: SourcePath, sourceType: AttributeType? = nil, target: String, targetType: ColumnType?) {
        self.source = source
        self.sourceType = sourceType ?? source.requiredAttributeType
        self.target = target
        self.targetType = targetType
    }
}
