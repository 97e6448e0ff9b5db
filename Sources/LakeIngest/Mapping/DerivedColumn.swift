import LakeCore

/// A column computed from other columns of the same row.
public struct DerivedColumn: Sendable, Hashable {
    /// The column name.
    public var target: String
    /// How the value is computed from the row's earlier columns.
    public var expression: Expression
    /// The column type; `nil` keeps the expression's type.
    public var targetType: ColumnType?

    public init(target: String, expression: Expression, targetType: ColumnType? = nil) {
        self.target = target
        self.expression = expression
        self.targetType = targetType
    }
}
