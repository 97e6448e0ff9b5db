import LakeCore

/// A derived-column expression of a mapping: column references, literals and function calls,
/// written as in Spark SQL: `substr(id, -1, 1)`, `to_date(registrationDate)`,
/// `concat(lower(country), '-', city)`, `hash_bucket(id, 16)`.
///
/// Functions (names are case-insensitive; Spark semantics unless noted — see docs/ingest.md):
/// `substr`/`substring(s, pos[, len])`, `lower(s)`, `upper(s)`, `concat(a, …)`,
/// `concat_ws(sep, a, …)`, `coalesce(a, …)`, `to_timestamp(x[, pattern])`,
/// `to_date(x[, pattern])`, `date_format(x, pattern)`, `hash_bucket(x, n)`.
public indirect enum Expression: Sendable, Hashable, CustomStringConvertible {
    /// A column of the batch: a mapped column or an earlier derived column.
    case column(String)
    case literal(Literal)
    /// A function call; `name` is lower-cased.
    case call(String, [Expression])

    /// A constant.
    public enum Literal: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int64)
        case double(Double)
        case string(String)
    }

    /// The expression as text (parses back to the same value).
    public var description: String {
        switch self {
        case .column(let n):
            let plain =
                n.first.map { $0.isLetter || $0 == "_" } == true
                && n.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            return plain && !["true", "false", "null"].contains(n.lowercased()) ? n : "`\(n)`"
        case .literal(.null): return "null"
        case .literal(.bool(let b)): return b ? "true" : "false"
        case .literal(.int(let i)): return String(i)
        case .literal(.double(let d)): return "\(d)"
        case .literal(.string(let s)):
            return "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        case .call(let f, let args): return f + "(" + args.map(\.description).joined(separator: ", ") + ")"
        }
    }

    /// The columns the expression reads.
    public var referencedColumns: [String] {
        switch self {
        case .column(let n): [n]
        case .literal: []
        case .call(_, let args): args.flatMap(\.referencedColumns)
        }
    }

    /// The functions lake knows, with their accepted argument counts.
    static let functions: [String: ClosedRange<Int>] = [
        "substr": 2...3, "substring": 2...3, "lower": 1...1, "upper": 1...1,
        "concat": 1...64, "concat_ws": 2...64, "coalesce": 1...64,
        "to_timestamp": 1...2, "to_date": 1...2, "date_format": 2...2, "hash_bucket": 2...2,
    ]
}
