import Testing
import PropertyBased
@testable import LakeCore
import LakeTestSupport

@Suite struct PredicateParsingTests {
    private func parse(_ text: String) throws -> Predicate {
        try Result { () throws(LakeError) -> Predicate in try Predicate(parsing: text) }.get()
    }

    private func message(_ text: String) -> String? {
        do throws(LakeError) {
            _ = try Predicate(parsing: text)
            return nil
        } catch {
            #expect(error.code == .invalidArgument)
            return error.message
        }
    }

    /// Parentheses and NOTs nest at most `maxNestingDepth` deep; deeper input (10,000 levels
    /// crashed the stack) is a usage error naming where it went too deep.
    @Test func nestingIsLimited() throws {
        let n = Predicate.maxNestingDepth
        _ = try parse(String(repeating: "(", count: n) + "a = 1" + String(repeating: ")", count: n))
        _ = try parse(String(repeating: "NOT ", count: n) + "a = 1")
        _ = try parse(String(repeating: "NOT (", count: n / 2) + "a = 1" + String(repeating: ")", count: n / 2))
        for text in [
            String(repeating: "(", count: n + 1) + "a = 1" + String(repeating: ")", count: n + 1),
            String(repeating: "NOT ", count: n + 1) + "a = 1",
            String(repeating: "(", count: 10_000) + "a = 1" + String(repeating: ")", count: 10_000),
            String(repeating: "NOT ", count: 10_000) + "a = 1",
            String(repeating: "NOT (", count: 5_000) + "a = 1",
        ] {
            #expect(message(text)?.contains("more than \(n) levels deep") == true)
        }
        // Long flat chains are not nesting.
        let chain = (0..<10_000).map { "a = \($0)" }.joined(separator: " OR ")
        guard case .or(let parts) = try parse(chain) else { Issue.record("not an OR"); return }
        #expect(parts.count == 10_000)
    }

    @Test func comparisons() throws {
        #expect(try parse("id = 5") == .compare(column: "id", .equal, .number("5")))
        #expect(try parse("id == 5") == .compare(column: "id", .equal, .number("5")))
        #expect(try parse("id != -1.5e3") == .compare(column: "id", .notEqual, .number("-1.5e3")))
        #expect(try parse("id <> .5") == .compare(column: "id", .notEqual, .number(".5")))
        #expect(try parse("id<5") == .compare(column: "id", .less, .number("5")))
        #expect(try parse("id<=5") == .compare(column: "id", .lessOrEqual, .number("5")))
        #expect(try parse("id>-5") == .compare(column: "id", .greater, .number("-5")))
        #expect(try parse("id >= 007") == .compare(column: "id", .greaterOrEqual, .number("007")))
        #expect(try parse("name = 'O''Brien'") == .compare(column: "name", .equal, .string("O'Brien")))
        #expect(try parse("name = ''") == .compare(column: "name", .equal, .string("")))
        #expect(try parse("name = 'ünï ☃'") == .compare(column: "name", .equal, .string("ünï ☃")))
        #expect(try parse("flag = true") == .compare(column: "flag", .equal, .bool(true)))
        #expect(try parse("flag = False") == .compare(column: "flag", .equal, .bool(false)))
        #expect(try parse("x = null") == .compare(column: "x", .equal, .null))
        #expect(try parse("address.city = 'Paris'") == .compare(column: "address.city", .equal, .string("Paris")))
        #expect(try parse("\"my col\" = 1") == .compare(column: "my col", .equal, .number("1")))
        #expect(try parse("\"say \"\"hi\"\"\" = 1") == .compare(column: "say \"hi\"", .equal, .number("1")))
        #expect(try parse("`we``ird` = 1") == .compare(column: "we`ird", .equal, .number("1")))
        #expect(try parse("\"and\" = 1") == .compare(column: "and", .equal, .number("1")))
        #expect(try parse("città = 1") == .compare(column: "città", .equal, .number("1")))
    }

    @Test func literalFirstIsFlipped() throws {
        #expect(try parse("5 < x") == .compare(column: "x", .greater, .number("5")))
        #expect(try parse("5 <= x") == .compare(column: "x", .greaterOrEqual, .number("5")))
        #expect(try parse("'a' > x") == .compare(column: "x", .less, .string("a")))
        #expect(try parse("'a' >= x") == .compare(column: "x", .lessOrEqual, .string("a")))
        #expect(try parse("1 = x") == .compare(column: "x", .equal, .number("1")))
        #expect(try parse("1 != x") == .compare(column: "x", .notEqual, .number("1")))
    }

    @Test func membershipAndNulls() throws {
        #expect(try parse("c IN ('a', 'b')") == .isIn(column: "c", [.string("a"), .string("b")]))
        #expect(try parse("c in (1,NULL , 2.5)") == .isIn(column: "c", [.number("1"), .null, .number("2.5")]))
        #expect(try parse("c NOT IN (1)") == .not(.isIn(column: "c", [.number("1")])))
        #expect(try parse("c IN ()") == .isIn(column: "c", []))
        #expect(try parse("c IS NULL") == .isNull(column: "c"))
        #expect(try parse("c is not null") == .isNotNull(column: "c"))
    }

    @Test func precedenceAndGrouping() throws {
        let a = Predicate.compare(column: "a", .equal, .number("1"))
        let b = Predicate.compare(column: "b", .equal, .number("2"))
        let c = Predicate.isNull(column: "c")
        #expect(try parse("a = 1 AND b = 2 OR c IS NULL") == .or([.and([a, b]), c]))
        #expect(try parse("a = 1 OR b = 2 AND c IS NULL") == .or([a, .and([b, c])]))
        #expect(try parse("a = 1 and b = 2 and c is null") == .and([a, b, c]))
        #expect(try parse("(a = 1 AND b = 2) AND c IS NULL") == .and([.and([a, b]), c]))
        #expect(try parse("a = 1 AND (b = 2 OR c IS NULL)") == .and([a, .or([b, c])]))
        #expect(try parse("NOT a = 1 AND b = 2") == .and([.not(a), b]))
        #expect(try parse("NOT (a = 1 AND b = 2)") == .not(.and([a, b])))
        #expect(try parse("not not a = 1") == .not(.not(a)))
        #expect(try parse("((a = 1))") == a)
        #expect(try parse("TRUE") == .and([]))
        #expect(try parse("a = 1 OR FALSE") == .or([a, .or([])]))
    }

    @Test func errorsNamePositionAndToken() {
        #expect(message("") == "where: expected a condition at character 1, found end of input")
        #expect(message("   ") == "where: expected a condition at character 4, found end of input")
        #expect(message("col_name = ") == "where: expected a value after '=' at character 12, found end of input")
        #expect(message("x = 1 AND") == "where: expected a column name or '(' at character 10, found end of input")
        #expect(message("x = 'abc") == "where: unterminated string starting at character 5")
        #expect(message("\"x = 1") == "where: unterminated quoted column name starting at character 1")
        #expect(message("x IS 5") == "where: expected NULL or NOT NULL after IS at character 6, found number 5")
        #expect(message("x IS NOT 5") == "where: expected NULL after IS NOT at character 10, found number 5")
        #expect(
            message("x IN (1, 2") == "where: expected ',' or ')' in the IN list at character 11, found end of input")
        #expect(message("x IN 1") == "where: expected '(' after IN at character 6, found number 1")
        #expect(message("x NOT 1") == "where: expected IN after NOT at character 7, found number 1")
        #expect(
            message("(x = 1")
                == "where: expected ')' (to close the '(' at character 1) at character 7, found end of input")
        #expect(message("x = 1)") == "where: unbalanced ')' at character 6")
        #expect(message("x = 1 y") == "where: expected AND, OR or end of input at character 7, found 'y'")
        #expect(message("x # 1") == "where: unexpected character '#' at character 3")
        #expect(message("x ! 1") == "where: unexpected character '!' (did you mean '!='?) at character 3")
        #expect(message("x = 12abc") == "where: unexpected 'a' after the number 12 at character 7")
        #expect(message("x = 1e") == "where: expected digits in the exponent of the number at character 5")
        #expect(
            message("x = y")
                == "where: expected a value after '=' (columns cannot be compared with columns; quote strings with '…') at character 5, found 'y'"
        )
        #expect(
            message("x 'a'")
                == "where: expected an operator (=, !=, <, <=, >, >=, IN, NOT IN, IS) after 'x' at character 3, found string 'a'"
        )
        #expect(message("= 1") == "where: expected a column name or '(' at character 1, found '='")
        #expect(message("1 = 2") == "where: expected a column name after '=' at character 5, found number 2")
        #expect(
            message("NULL") == "where: expected a comparison operator after 'NULL' at character 5, found end of input")
        #expect(message("a. = 1") == "where: 'a.' is not a column name (empty struct field name) at character 1")
        #expect(message("AND = 1") == "where: expected a column name or '(' at character 1, found 'AND'")
        #expect(message("é = 'x' AND ☃") == "where: unexpected character '☃' at character 13")
    }

    @Test func descriptionQuotesWhereNeeded() throws {
        #expect(Predicate.compare(column: "a.b", .less, .number("1")).description == "a.b < 1")
        #expect(Predicate.compare(column: "my col", .equal, .string("it's")).description == "\"my col\" = 'it''s'")
        #expect(Predicate.compare(column: "or", .equal, .bool(true)).description == "\"or\" = TRUE")
        #expect(Predicate.compare(column: "1x", .equal, .null).description == "\"1x\" = NULL")
        #expect(Predicate.compare(column: "a..b", .equal, .null).description == "\"a..b\" = NULL")
        #expect(Predicate.not(.isIn(column: "c", [.number("1"), .string("x")])).description == "c NOT IN (1, 'x')")
        let a = Predicate.compare(column: "a", .equal, .number("1"))
        let b = Predicate.isNull(column: "b")
        #expect(
            Predicate.and([.or([a, b]), .not(.and([a, b]))]).description
                == "(a = 1 OR b IS NULL) AND NOT (a = 1 AND b IS NULL)")
        #expect(Predicate.or([.and([a, b]), a]).description == "a = 1 AND b IS NULL OR a = 1")
        #expect(Predicate.and([.and([a, b]), a]).description == "(a = 1 AND b IS NULL) AND a = 1")
        #expect(Predicate.and([.and([.or([a, b])]), a]).description == "(a = 1 OR b IS NULL) AND a = 1")
        #expect(Predicate.and([]).description == "TRUE")
        #expect(Predicate.or([]).description == "FALSE")
    }

    @Test func descriptionParsesBackToTheSamePredicate() async {
        await propertyCheck(count: 500, input: Gen<UInt64>.value()) { seed in
            var rng = SplitMix(seed: seed)
            let p = randomSyntaxPredicate(&rng, depth: 0)
            let text = p.description
            let back = try parse(text)
            #expect(back == p, "\(text)")
            #expect(back.description == text)
        }
    }
}

// MARK: Random predicates for the syntax round trip

private let syntaxNames = [
    "id", "a.b.c", "_x1", "and", "Select", "null", "my col", "say \"hi\"", "back`tick", "", "1abc", "a.", ".a",
    "città", "日本", "x-y", "tab\there", "it's", "ÅÄÖ.ü", "a..b", "NOT", "in",
]

func randomSyntaxLiteral(_ rng: inout SplitMix) -> Predicate.Literal {
    switch Int.random(in: 0..<10, using: &rng) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2, 3, 4:
        var t = Bool.random(using: &rng) ? "-" : ""
        let intDigits = Int.random(in: 0...4, using: &rng)
        for _ in 0..<intDigits { t += String(Int.random(in: 0...9, using: &rng)) }
        if intDigits == 0 || Bool.random(using: &rng) {
            t += "."
            for _ in 0..<Int.random(in: intDigits == 0 ? 1...3 : 0...3, using: &rng) {
                t += String(Int.random(in: 0...9, using: &rng))
            }
        }
        if Int.random(in: 0..<4, using: &rng) == 0 {
            t +=
                ["e", "E"].randomElement(using: &rng)! + ["", "+", "-"].randomElement(using: &rng)!
                + String(Int.random(in: 0...40, using: &rng))
        }
        return .number(t)
    default:
        return .string(randomString(&rng, maxLength: 6) + (Bool.random(using: &rng) ? "'" : ""))
    }
}

func randomSyntaxPredicate(_ rng: inout SplitMix, depth: Int) -> Predicate {
    let name = syntaxNames.randomElement(using: &rng)!
    let leafOnly = depth >= 3
    switch Int.random(in: 0..<(leafOnly ? 4 : 7), using: &rng) {
    case 0, 1:
        return .compare(
            column: name, ComparisonOperator.allCases.randomElement(using: &rng)!, randomSyntaxLiteral(&rng))
    case 2:
        return .isIn(column: name, (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomSyntaxLiteral(&rng) })
    case 3:
        return Bool.random(using: &rng) ? .isNull(column: name) : .isNotNull(column: name)
    case 4:
        return .and((0..<Int.random(in: 2...3, using: &rng)).map { _ in randomSyntaxPredicate(&rng, depth: depth + 1) })
    case 5:
        return .or((0..<Int.random(in: 2...3, using: &rng)).map { _ in randomSyntaxPredicate(&rng, depth: depth + 1) })
    default:
        return .not(randomSyntaxPredicate(&rng, depth: depth + 1))
    }
}
