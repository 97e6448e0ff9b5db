import LakeCore

extension ColumnType {
    /// The deepest nesting of `array<…>` and `struct<…>` ``init(parsing:)`` reads.
    public static let maxNestingDepth = 64

    /// Parses a type name as written in mapping files (case-insensitive, spaces ignored):
    /// `string` (`varchar`, `text`), `int` (`integer`, `int32`), `long` (`bigint`, `int64`),
    /// `float` (`real`), `double`, `boolean` (`bool`), `binary` (`bytes`), `json`, `date`,
    /// `timestamp` (microseconds; `timestamp_millis`, `timestamp_nanos`), `decimal(p,s)`
    /// (`decimal(p)` has scale 0; p ≤ 38), `array<T>` (`list<T>`), `struct<name:T,…>`.
    ///
    /// Arrays and structs nest at most ``maxNestingDepth`` levels; the table schema sets a lower
    /// limit (``AvroSchema/maxReadableDepth``), which the mapping checks per column.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` naming the text and what is wrong with it.
    public init(parsing text: String) throws(LakeError) {
        var p = TypeTextParser(text)
        let t = try p.parseType()
        guard p.isAtEnd else { throw p.error("unexpected text after the type") }
        self = t
    }
}

/// A recursive-descent reader of type names.
private struct TypeTextParser {
    let original: String
    let chars: [Character]
    var i = 0
    var depth = 0

    init(_ text: String) {
        original = text
        chars = Array(text.filter { !$0.isWhitespace })
    }

    var isAtEnd: Bool { i >= chars.count }

    func error(_ why: String) -> LakeError {
        LakeError(.invalidArgument, "type '\(original)': \(why)")
    }

    mutating func word() -> String {
        var s = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
            s.append(chars[i])
            i += 1
        }
        return s
    }

    mutating func consume(_ c: Character) -> Bool {
        if i < chars.count && chars[i] == c {
            i += 1
            return true
        }
        return false
    }

    mutating func expect(_ c: Character) throws(LakeError) {
        guard consume(c) else { throw error("expected '\(c)'") }
    }

    mutating func integer() throws(LakeError) -> Int {
        let w = word()
        guard let v = Int(w), v >= 0 else { throw error("expected a number, found '\(w)'") }
        return v
    }

    mutating func parseType() throws(LakeError) -> ColumnType {
        depth += 1
        defer { depth -= 1 }
        guard depth <= ColumnType.maxNestingDepth else {
            throw error("arrays and structs nest more than \(ColumnType.maxNestingDepth) levels deep")
        }
        let name = word().lowercased()
        switch name {
        case "string", "varchar", "text", "char": return .string
        case "int", "integer", "int32": return .int32
        case "long", "bigint", "int64": return .int64
        case "float", "real", "float32": return .float
        case "double", "float64": return .double
        case "boolean", "bool": return .boolean
        case "binary", "bytes", "blob": return .binary
        case "json": return .json
        case "date": return .date
        case "timestamp", "timestamp_micros": return .timestamp(.micros)
        case "timestamp_millis": return .timestamp(.millis)
        case "timestamp_nanos": return .timestamp(.nanos)
        case "decimal", "numeric":
            guard consume("(") else { return .decimal(precision: 38, scale: 0) }
            let p = try integer()
            var s = 0
            if consume(",") { s = try integer() }
            try expect(")")
            guard p >= 1 && p <= 38 else { throw error("decimal precision \(p) is outside 1…38") }
            guard s <= p else { throw error("decimal scale \(s) exceeds precision \(p)") }
            return .decimal(precision: p, scale: s)
        case "array", "list":
            try expect("<")
            let e = try parseType()
            try expect(">")
            return .list(e)
        case "struct":
            try expect("<")
            var members: [ColumnType.StructMember] = []
            repeat {
                let n = word()
                guard !n.isEmpty else { throw error("expected a struct field name") }
                guard AttributeNaming.isValid(n) else {
                    throw error("struct field name '\(n)' is not a valid column name ([A-Za-z_][A-Za-z0-9_]*)")
                }
                try expect(":")
                members.append(.init(n, try parseType()))
            } while consume(",")
            try expect(">")
            guard Set(members.map(\.name)).count == members.count else { throw error("duplicate struct field name") }
            return .structure(members)
        case "":
            throw error("expected a type name")
        default:
            throw error("unknown type '\(name)'")
        }
    }
}
