import LakeParquet

/// A row predicate over a table's columns, as `lake query --where` parses it.
///
/// Literals are typed by the column they are compared with: a quoted date compared with a DATE
/// column is a date, a number compared with a DECIMAL column keeps its exact digits. Null never
/// satisfies a comparison (SQL semantics): only `IS NULL` matches it.
public indirect enum Predicate: Sendable, Hashable {
    case compare(column: String, ComparisonOperator, Literal)
    case isIn(column: String, [Literal])
    case isNull(column: String)
    case isNotNull(column: String)
    case and([Predicate])
    case or([Predicate])
    case not(Predicate)

    /// A literal as written in an expression.
    public enum Literal: Sendable, Hashable, CustomStringConvertible {
        case null
        case bool(Bool)
        /// A number's exact text (`42`, `-1.5e3`).
        case number(String)
        case string(String)

        public var description: String {
            switch self {
            case .null: "NULL"
            case .bool(let b): b ? "TRUE" : "FALSE"
            case .number(let n): n
            case .string(let s):
                "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
            }
        }
    }

    /// Column names the predicate refers to.
    public var columns: Set<String> {
        switch self {
        case .compare(let c, _, _), .isIn(let c, _), .isNull(let c), .isNotNull(let c): [c]
        case .and(let ps), .or(let ps): ps.reduce(into: Set<String>()) { $0.formUnion($1.columns) }
        case .not(let p): p.columns
        }
    }
}
