import LakeParquet

extension Predicate: CustomStringConvertible {
    /// The predicate in `--where` syntax; ``init(parsing:)`` reads it back to an equal value
    /// (for `.and`/`.or` nodes of two or more children; a one-child node prints as its child,
    /// `.and([])` as `TRUE`, `.or([])` as `FALSE`).
    ///
    /// Column names are quoted when they are not bare identifiers or spell a keyword;
    /// parentheses are added exactly where a nested `.and`/`.or` needs them.
    public var description: String {
        var out = ""
        render(into: &out, context: .or)
        return out
    }

    /// Binding strength, loosest first.
    private enum Level: Int, Comparable {
        case or, and, not, atom
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    private var level: Level {
        switch self {
        case .or(let ps): ps.count == 1 ? ps[0].level : ps.isEmpty ? .atom : .or
        case .and(let ps): ps.count == 1 ? ps[0].level : ps.isEmpty ? .atom : .and
        case .not(.isIn): .atom
        case .not: .not
        default: .atom
        }
    }

    /// Appends the text, parenthesized when this node binds looser than `context` requires.
    private func render(into out: inout String, context: Level) {
        let wrap = level < context
        if wrap { out += "(" }
        switch self {
        case .compare(let c, let op, let v):
            out += PredicateSyntax.quoteName(c) + " " + op.rawValue + " " + v.description
        case .isIn(let c, let vs):
            out += PredicateSyntax.quoteName(c) + " IN (" + vs.map(\.description).joined(separator: ", ") + ")"
        case .not(.isIn(let c, let vs)):
            out += PredicateSyntax.quoteName(c) + " NOT IN (" + vs.map(\.description).joined(separator: ", ") + ")"
        case .isNull(let c):
            out += PredicateSyntax.quoteName(c) + " IS NULL"
        case .isNotNull(let c):
            out += PredicateSyntax.quoteName(c) + " IS NOT NULL"
        case .and(let ps), .or(let ps):
            let isAnd = if case .and = self { true } else { false }
            if ps.isEmpty {
                out += isAnd ? "TRUE" : "FALSE"
            } else if ps.count == 1 {
                ps[0].render(into: &out, context: wrap ? .or : context)
            } else {
                // Children of a chain bind tighter than the chain, so a nested chain of either kind
                // keeps its parentheses and parses back as its own node.
                let inner: Level = isAnd ? .not : .and
                for (i, p) in ps.enumerated() {
                    if i > 0 { out += isAnd ? " AND " : " OR " }
                    p.render(into: &out, context: inner)
                }
            }
        case .not(let p):
            out += "NOT "
            p.render(into: &out, context: .not)
        }
        if wrap { out += ")" }
    }
}
