import LakeCore

extension Expression {
    /// Parses an expression.
    ///
    /// Grammar: `expr := literal | name | name '(' [expr (',' expr)*] ')'`; names are letters,
    /// digits and `_` (not starting with a digit) or any text in backquotes; strings are in
    /// single or double quotes (a doubled quote or a backslash escapes one); numbers are
    /// `-?digits[.digits]`; `true`, `false`, `null` are literals.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` naming the expression, the offset and what was
    ///   expected, or an unknown function or wrong argument count.
    public init(parsing text: String) throws(LakeError) {
        var p = ExpressionParser(text)
        let e = try p.parseExpression()
        p.skipSpaces()
        guard p.isAtEnd else { throw p.error("unexpected '\(p.rest)'") }
        self = e
    }
}

private struct ExpressionParser {
    let text: String
    let chars: [Character]
    var i = 0

    init(_ text: String) {
        self.text = text
        chars = Array(text)
    }

    var isAtEnd: Bool { i >= chars.count }
    var rest: String { String(chars[i...].prefix(20)) }

    func error(_ why: String) -> LakeError {
        LakeError(.invalidArgument, "expression '\(text)' at offset \(i): \(why)")
    }

    mutating func skipSpaces() {
        while i < chars.count && chars[i].isWhitespace { i += 1 }
    }

    mutating func consume(_ c: Character) -> Bool {
        skipSpaces()
        if i < chars.count && chars[i] == c {
            i += 1
            return true
        }
        return false
    }

    mutating func parseExpression() throws(LakeError) -> Expression {
        skipSpaces()
        guard i < chars.count else { throw error("expected a value, a column or a function call") }
        let c = chars[i]
        if c == "'" || c == "\"" { return .literal(.string(try quoted(c))) }
        if c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber) { return try number() }
        var name: String
        var backquoted = false
        if c == "`" {
            name = try quoted("`")
            backquoted = true
        } else if c.isLetter || c == "_" {
            name = ""
            while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_") {
                name.append(chars[i])
                i += 1
            }
        } else {
            throw error("unexpected '\(c)'")
        }
        if !backquoted && consume("(") {
            let f = name.lowercased()
            guard let arity = Expression.functions[f] else {
                throw error(
                    "unknown function '\(name)' (known: \(Expression.functions.keys.sorted().joined(separator: ", ")))")
            }
            var args: [Expression] = []
            if !consume(")") {
                repeat { args.append(try parseExpression()) } while consume(",")
                guard consume(")") else { throw error("expected ',' or ')'") }
            }
            guard arity.contains(args.count) else {
                throw error(
                    "\(f) takes \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)") arguments, not \(args.count)"
                )
            }
            return .call(f, args)
        }
        if !backquoted {
            switch name.lowercased() {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            default: break
            }
        }
        return .column(name)
    }

    mutating func quoted(_ q: Character) throws(LakeError) -> String {
        let start = i
        i += 1
        var s = ""
        while i < chars.count {
            let c = chars[i]
            if c == q {
                if i + 1 < chars.count && chars[i + 1] == q {
                    s.append(q)
                    i += 2
                    continue
                }
                i += 1
                return s
            }
            if c == "\\" && q != "`" && i + 1 < chars.count {
                s.append(chars[i + 1])
                i += 2
                continue
            }
            s.append(c)
            i += 1
        }
        i = start
        throw error("unterminated \(q == "`" ? "name" : "string")")
    }

    mutating func number() throws(LakeError) -> Expression {
        var s = ""
        if chars[i] == "-" {
            s.append("-")
            i += 1
        }
        while i < chars.count && chars[i].isNumber { s.append(chars[i]); i += 1 }
        if i < chars.count && chars[i] == "." {
            s.append(".")
            i += 1
            while i < chars.count && chars[i].isNumber { s.append(chars[i]); i += 1 }
            guard let d = Double(s) else { throw error("bad number '\(s)'") }
            return .literal(.double(d))
        }
        guard let v = Int64(s) else { throw error("integer '\(s)' out of range") }
        return .literal(.int(v))
    }
}
