import LakeParquet

extension Predicate {
    /// The deepest nesting of parentheses and `NOT`s ``init(parsing:)`` accepts.
    public static let maxNestingDepth = 100

    /// Parses a `--where` expression.
    ///
    /// Grammar (keywords are case-insensitive):
    /// ```
    /// or_expr  := and_expr (OR and_expr)*
    /// and_expr := not_expr (AND not_expr)*
    /// not_expr := NOT not_expr | primary
    /// primary  := '(' or_expr ')'
    ///           | column op literal | literal op column        (op: = != <> < <= > >=; == is =)
    ///           | column [NOT] IN '(' [literal (',' literal)*] ')'
    ///           | column IS [NOT] NULL
    ///           | TRUE | FALSE
    /// ```
    /// Columns are bare identifiers (letters, digits, `_`, and `.` between struct field names;
    /// not starting with a digit or `.`), or `"double-quoted"` / `` `backticked` `` (a doubled
    /// quote inside stands for one). Literals are `'single-quoted strings'` (`''` is a quote),
    /// numbers (`-12`, `3.5`, `.5`, `1e-3`; the exact text is kept), `TRUE`, `FALSE` and `NULL`.
    ///
    /// A chain `a AND b AND c` becomes one `.and([a, b, c])` (likewise OR); a parenthesized group
    /// stays a separate node. `literal op column` is stored flipped (`5 < x` is `x > 5`);
    /// `x NOT IN (…)` is `.not(.isIn(…))`; `x IS NOT NULL` is `.isNotNull`; a bare `TRUE` is
    /// `.and([])` and a bare `FALSE` is `.or([])`.
    ///
    /// Parentheses and `NOT`s nest at most ``maxNestingDepth`` levels deep (a deeper expression
    /// is refused rather than exhausting the stack).
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` naming the 1-based character position and the
    ///   token found: `where: expected a value after '=' at character 12, found end of input`.
    public init(parsing text: String) throws(LakeError) {
        var parser = PredicateParser(text)
        self = try parser.parseExpression()
    }
}

// MARK: Tokens

/// A lexical token of a `--where` expression.
enum PredicateToken: Equatable {
    /// A bare identifier or keyword, as written.
    case word(String)
    /// A `"quoted"` or `` `quoted` `` identifier, unescaped.
    case quotedName(String)
    case string(String)
    case number(String)
    case op(ComparisonOperator)
    case leftParen
    case rightParen
    case comma
    case end

    /// How an error message names the token.
    var shown: String {
        switch self {
        case .word(let w): "'\(w)'"
        case .quotedName(let n): "column \(PredicateSyntax.quoteName(n))"
        case .string(let s): "string \(Predicate.Literal.string(s).description)"
        case .number(let n): "number \(n)"
        case .op(let o): "'\(o.rawValue)'"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .comma: "','"
        case .end: "end of input"
        }
    }

    /// The keyword this token spells (uppercased), if it is a bare word.
    var keyword: String? {
        if case .word(let w) = self { return w.uppercased() }
        return nil
    }
}

/// Lexical rules shared by the tokenizer and ``Predicate/description``.
enum PredicateSyntax {
    static let keywords: Set<String> = ["AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE"]

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "." || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    /// Whether `name` can be written without quotes.
    static func isBareName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, isIdentifierStart(first), scalars.last != ".", !name.contains("..") else {
            return false
        }
        guard scalars.allSatisfy(isIdentifierPart) else { return false }
        return !keywords.contains(name.uppercased())
    }

    /// The name as the parser accepts it back: bare when possible, else double-quoted.
    static func quoteName(_ name: String) -> String {
        if isBareName(name) { return name }
        return "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

/// Splits expression text into tokens, remembering where each starts.
struct PredicateTokenizer {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    /// The next token and its 0-based scalar offset.
    mutating func next() throws(LakeError) -> (PredicateToken, Int) {
        while index < scalars.count && scalars[index].properties.isWhitespace { index += 1 }
        let start = index
        guard index < scalars.count else { return (.end, start) }
        let c = scalars[index]
        switch c {
        case "(": index += 1; return (.leftParen, start)
        case ")": index += 1; return (.rightParen, start)
        case ",": index += 1; return (.comma, start)
        case "=":
            index += 1
            if peek("=") { index += 1 }
            return (.op(.equal), start)
        case "!":
            index += 1
            guard peek("=") else {
                throw PredicateParser.error("unexpected character '!' (did you mean '!='?)", at: start)
            }
            index += 1
            return (.op(.notEqual), start)
        case "<":
            index += 1
            if peek("=") { index += 1; return (.op(.lessOrEqual), start) }
            if peek(">") { index += 1; return (.op(.notEqual), start) }
            return (.op(.less), start)
        case ">":
            index += 1
            if peek("=") { index += 1; return (.op(.greaterOrEqual), start) }
            return (.op(.greater), start)
        case "'":
            return (.string(try quoted("'", what: "string")), start)
        case "\"":
            return (.quotedName(try quoted("\"", what: "quoted column name")), start)
        case "`":
            return (.quotedName(try quoted("`", what: "quoted column name")), start)
        default:
            if isDigit(c)
                || ((c == "-" || c == ".") && index + 1 < scalars.count
                    && (isDigit(scalars[index + 1]) || scalars[index + 1] == "."))
            {
                return (.number(try number()), start)
            }
            if PredicateSyntax.isIdentifierStart(c) {
                while index < scalars.count && PredicateSyntax.isIdentifierPart(scalars[index]) { index += 1 }
                return (.word(String(String.UnicodeScalarView(scalars[start..<index]))), start)
            }
            throw PredicateParser.error("unexpected character \(Self.show(c))", at: start)
        }
    }

    private func peek(_ c: Unicode.Scalar) -> Bool { index < scalars.count && scalars[index] == c }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c.value &- 0x30 < 10 }

    /// Text between `quote`s, where a doubled quote stands for one.
    private mutating func quoted(_ quote: Unicode.Scalar, what: String) throws(LakeError) -> String {
        let start = index
        index += 1
        var out = String.UnicodeScalarView()
        while true {
            guard index < scalars.count else {
                throw PredicateParser.error("unterminated \(what) starting", at: start)
            }
            let c = scalars[index]
            index += 1
            if c == quote {
                if peek(quote) { out.append(quote); index += 1; continue }
                return String(out)
            }
            out.append(c)
        }
    }

    /// `-? (digits ('.' digits?)? | '.' digits) ([eE] [+-]? digits)?`
    private mutating func number() throws(LakeError) -> String {
        let start = index
        if peek("-") { index += 1 }
        var mantissaDigits = 0
        while index < scalars.count && isDigit(scalars[index]) { index += 1; mantissaDigits += 1 }
        if peek(".") {
            index += 1
            while index < scalars.count && isDigit(scalars[index]) { index += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { throw PredicateParser.error("expected digits in the number", at: start) }
        if peek("e") || peek("E") {
            index += 1
            if peek("+") || peek("-") { index += 1 }
            let digitsStart = index
            while index < scalars.count && isDigit(scalars[index]) { index += 1 }
            guard index > digitsStart else {
                throw PredicateParser.error("expected digits in the exponent of the number", at: start)
            }
        }
        if index < scalars.count && PredicateSyntax.isIdentifierPart(scalars[index]) && scalars[index] != "." {
            throw PredicateParser.error(
                "unexpected \(Self.show(scalars[index])) after the number \(String(String.UnicodeScalarView(scalars[start..<index])))",
                at: index)
        }
        return String(String.UnicodeScalarView(scalars[start..<index]))
    }

    static func show(_ c: Unicode.Scalar) -> String {
        c.properties.isWhitespace || c.value < 0x20 || c.value == 0x7F
            ? "U+\(String(c.value, radix: 16, uppercase: true))" : "'\(c)'"
    }
}

// MARK: Parser

/// A recursive-descent parser over ``PredicateTokenizer``, one token of lookahead.
struct PredicateParser {
    private var tokenizer: PredicateTokenizer
    private var token: PredicateToken = .end
    private var tokenStart = 0
    /// The previous token, for "after 'x'" in messages.
    private var previous: PredicateToken = .end
    private var primed = false
    /// Open parentheses and `NOT`s around the current token.
    private var depth = 0

    init(_ text: String) { tokenizer = PredicateTokenizer(text) }

    static func error(_ message: String, at offset: Int) -> LakeError {
        LakeError(.invalidArgument, "where: \(message) at character \(offset + 1)")
    }

    private func expected(_ what: String) -> LakeError {
        LakeError(.invalidArgument, "where: expected \(what) at character \(tokenStart + 1), found \(token.shown)")
    }

    private mutating func advance() throws(LakeError) {
        previous = token
        (token, tokenStart) = try tokenizer.next()
    }

    mutating func parseExpression() throws(LakeError) -> Predicate {
        if !primed { try advance(); primed = true }
        if token == .end { throw expected("a condition") }
        let p = try orExpression()
        guard token == .end else {
            if token == .rightParen { throw Self.error("unbalanced ')'", at: tokenStart) }
            throw expected("AND, OR or end of input")
        }
        return p
    }

    private mutating func orExpression() throws(LakeError) -> Predicate {
        var parts = [try andExpression()]
        while token.keyword == "OR" {
            try advance()
            parts.append(try andExpression())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func andExpression() throws(LakeError) -> Predicate {
        var parts = [try notExpression()]
        while token.keyword == "AND" {
            try advance()
            parts.append(try notExpression())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func notExpression() throws(LakeError) -> Predicate {
        if token.keyword == "NOT" {
            try enter()
            try advance()
            defer { depth -= 1 }
            return .not(try notExpression())
        }
        return try primary()
    }

    /// Counts one more level of nesting at the current token.
    private mutating func enter() throws(LakeError) {
        depth += 1
        guard depth <= Predicate.maxNestingDepth else {
            let limit = Predicate.maxNestingDepth
            throw Self.error("the expression nests parentheses and NOTs more than \(limit) levels deep", at: tokenStart)
        }
    }

    private mutating func primary() throws(LakeError) -> Predicate {
        if token == .leftParen {
            let open = tokenStart
            try enter()
            defer { depth -= 1 }
            try advance()
            if token == .end { throw expected("a condition after '('") }
            let inner = try orExpression()
            guard token == .rightParen else {
                throw expected("')' (to close the '(' at character \(open + 1))")
            }
            try advance()
            return inner
        }
        // A literal first: `5 < x`, or a bare TRUE / FALSE.
        if let literal = try literalHere() {
            let literalToken = previous
            guard case .op(let op) = token else {
                if case .bool(let b) = literal { return b ? .and([]) : .or([]) }
                throw expected("a comparison operator after \(literalToken.shown)")
            }
            try advance()
            guard let column = try columnHere() else {
                throw expected("a column name after '\(op.rawValue)'")
            }
            return .compare(column: column, op.flipped, literal)
        }
        guard let column = try columnHere() else {
            throw expected("a column name or '('")
        }
        let columnToken = previous
        switch token {
        case .op(let op):
            try advance()
            guard let literal = try literalHere() else {
                if case .word = token, token.keyword.map(PredicateSyntax.keywords.contains) == false {
                    throw expected(
                        "a value after '\(op.rawValue)' (columns cannot be compared with columns; quote strings with '…')"
                    )
                }
                throw expected("a value after '\(op.rawValue)'")
            }
            return .compare(column: column, op, literal)
        case .word:
            switch token.keyword {
            case "IN":
                try advance()
                return .isIn(column: column, try literalList())
            case "NOT":
                try advance()
                guard token.keyword == "IN" else { throw expected("IN after NOT") }
                try advance()
                return .not(.isIn(column: column, try literalList()))
            case "IS":
                try advance()
                var negated = false
                if token.keyword == "NOT" { negated = true; try advance() }
                guard token.keyword == "NULL" else {
                    throw expected(negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS")
                }
                try advance()
                return negated ? .isNotNull(column: column) : .isNull(column: column)
            default:
                break
            }
        default:
            break
        }
        throw expected("an operator (=, !=, <, <=, >, >=, IN, NOT IN, IS) after \(columnToken.shown)")
    }

    /// `'(' [literal (',' literal)*] ')'`
    private mutating func literalList() throws(LakeError) -> [Predicate.Literal] {
        guard token == .leftParen else { throw expected("'(' after IN") }
        try advance()
        var values: [Predicate.Literal] = []
        if token == .rightParen { try advance(); return values }
        while true {
            guard let v = try literalHere() else { throw expected("a value in the IN list") }
            values.append(v)
            if token == .comma { try advance(); continue }
            guard token == .rightParen else { throw expected("',' or ')' in the IN list") }
            try advance()
            return values
        }
    }

    /// Consumes a literal token if there is one.
    private mutating func literalHere() throws(LakeError) -> Predicate.Literal? {
        let literal: Predicate.Literal
        switch token {
        case .string(let s): literal = .string(s)
        case .number(let n): literal = .number(n)
        case .word:
            switch token.keyword {
            case "TRUE": literal = .bool(true)
            case "FALSE": literal = .bool(false)
            case "NULL": literal = .null
            default: return nil
            }
        default: return nil
        }
        try advance()
        return literal
    }

    /// Consumes a column name if there is one (a bare word that is not a keyword, or quoted).
    private mutating func columnHere() throws(LakeError) -> String? {
        switch token {
        case .quotedName(let n):
            try advance()
            return n
        case .word(let w):
            guard let k = token.keyword, !PredicateSyntax.keywords.contains(k) else { return nil }
            if w.hasSuffix(".") || w.contains("..") {
                throw Self.error("'\(w)' is not a column name (empty struct field name)", at: tokenStart)
            }
            try advance()
            return w
        default:
            return nil
        }
    }
}

extension ComparisonOperator {
    /// The operator that gives the same result with its operands swapped (`<` ↔ `>`).
    var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }

    /// The operator true exactly when this one is false, for two non-null values of a totally
    /// ordered type (`<` ↔ `>=`).
    var negated: ComparisonOperator {
        switch self {
        case .equal: .notEqual
        case .notEqual: .equal
        case .less: .greaterOrEqual
        case .lessOrEqual: .greater
        case .greater: .lessOrEqual
        case .greaterOrEqual: .less
        }
    }
}
