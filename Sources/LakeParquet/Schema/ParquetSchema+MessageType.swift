/// The textual schema syntax of parquet-mr's `MessageType` (what `parquet schema` prints):
///
/// ```text
/// message schema {
///   required int64 id;
///   optional binary name (STRING);
///   optional fixed_len_byte_array(16) d (DECIMAL(38,10));
///   optional group tags (LIST) {
///     repeated group list {
///       optional binary element (STRING);
///     }
///   }
/// }
/// ```
///
/// A field is `REPETITION TYPE NAME [(ANNOTATION)] [= ID];` or
/// `REPETITION group NAME [(ANNOTATION)] [= ID] { fields }`. Keywords are case-insensitive.
/// Names are any run of characters other than whitespace and `{ } ( ) ; , =`.
extension ParquetSchema {
    /// Parses parquet-mr's textual schema, e.g.
    /// message schema { required int64 id; optional binary name (STRING); optional fixed_len_byte_array(16) d (DECIMAL(38,10));
    ///   optional int64 ts (TIMESTAMP(MICROS,true)); optional group tags (LIST) { repeated group list { optional binary element (STRING); } } }
    ///
    /// Types: `boolean int32 int64 int96 float double binary fixed_len_byte_array(N)`.
    /// Annotations: `STRING UTF8 ENUM JSON BSON UUID DATE FLOAT16 UNKNOWN INTERVAL DECIMAL(P,S)
    /// TIMESTAMP(MILLIS|MICROS|NANOS,true|false) TIME(unit,bool) INTEGER(bits,signed) INT_8 … UINT_64
    /// TIMESTAMP_MILLIS TIMESTAMP_MICROS TIME_MILLIS TIME_MICROS` on leaves and `LIST MAP
    /// MAP_KEY_VALUE` on groups. Each field gets the logical type and the converted type its
    /// annotation implies (legacy names such as `UTF8` or `TIMESTAMP_MICROS` give the same field as
    /// their modern spelling).
    ///
    /// - Throws: `.invalidArgument` naming the line, column and unexpected token for a syntax
    ///   error, or the field for an annotation its physical type cannot carry (e.g. `STRING` on
    ///   `int32`), a bad `fixed_len_byte_array` width, or nesting beyond ``maxNestingDepth``.
    public init(messageType: String) throws(ParquetError) {
        var parser = MessageTypeParser(messageType)
        self = try parser.parseMessage()
    }

    /// Prints the schema in the same syntax, two-space indentation, one field per line.
    ///
    /// The output ends with a newline and parses back to an equal schema when every field's
    /// converted type is the one its logical type implies (as ``ParquetField`` constructors and
    /// ``init(messageType:)`` produce) and names avoid the syntax's delimiters.
    public func messageType() -> String {
        var out = "message \(rootName) {\n"
        for f in fields { Self.print(f, indent: 1, into: &out) }
        out += "}\n"
        return out
    }

    private static func print(_ f: ParquetField, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        out += pad + f.repetition.name + " "
        switch f.kind {
        case .primitive(let type, let typeLength, _, _):
            out += physicalTypeName(type)
            if type == .fixedLenByteArray { out += "(\(typeLength ?? 0))" }
            out += " " + f.name
        case .group:
            out += "group " + f.name
        }
        if let annotation = annotationText(f) { out += " (\(annotation))" }
        if let id = f.fieldId { out += " = \(id)" }
        switch f.kind {
        case .primitive:
            out += ";\n"
        case .group(let children, _, _):
            out += " {\n"
            for c in children { print(c, indent: indent + 1, into: &out) }
            out += pad + "}\n"
        }
    }

    private static func physicalTypeName(_ type: PhysicalType) -> String {
        switch type {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .int96: "int96"
        case .float: "float"
        case .double: "double"
        case .byteArray: "binary"
        case .fixedLenByteArray: "fixed_len_byte_array"
        }
    }

    private static func annotationText(_ f: ParquetField) -> String? {
        if f.convertedType == .mapKeyValue { return "MAP_KEY_VALUE" }
        if let logical = f.logicalType { return logical.description }
        return f.convertedType?.name
    }
}

/// A recursive-descent parser over the tokens of a textual message type.
private struct MessageTypeParser {
    enum Token: Equatable {
        case word(String)
        case symbol(Character)
        case end
    }

    struct Located {
        var token: Token
        var line: Int
        var column: Int
    }

    private var tokens: [Located] = []
    private var position = 0

    init(_ text: String) {
        var line = 1
        var column = 1
        var word = ""
        var wordLine = 1
        var wordColumn = 1
        func flush(_ tokens: inout [Located]) {
            if !word.isEmpty {
                tokens.append(Located(token: .word(word), line: wordLine, column: wordColumn))
                word = ""
            }
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "\t", "\r", "\n":
                flush(&tokens)
            case "{", "}", "(", ")", ";", ",", "=":
                flush(&tokens)
                tokens.append(Located(token: .symbol(Character(scalar)), line: line, column: column))
            default:
                if word.isEmpty {
                    wordLine = line
                    wordColumn = column
                }
                word.unicodeScalars.append(scalar)
            }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        flush(&tokens)
        tokens.append(Located(token: .end, line: line, column: column))
    }

    // MARK: Grammar

    mutating func parseMessage() throws(ParquetError) -> ParquetSchema {
        try expectKeyword("message")
        let name = try expectWord("the message name")
        try expectSymbol("{", "after the message name")
        let fields = try parseFields(depth: 1)
        if peek.token == .symbol(";") { position += 1 }
        guard peek.token == .end else { throw error(at: peek, expected: "end of input after the message") }
        return ParquetSchema(fields, rootName: name)
    }

    /// Parses fields up to and including the closing `}`.
    private mutating func parseFields(depth: Int) throws(ParquetError) -> [ParquetField] {
        var fields: [ParquetField] = []
        while true {
            if peek.token == .symbol("}") {
                position += 1
                return fields
            }
            fields.append(try parseField(depth: depth))
        }
    }

    private mutating func parseField(depth: Int) throws(ParquetError) -> ParquetField {
        let start = peek
        let repetitionWord = try expectWord("a repetition (required, optional or repeated) or '}'")
        let repetition: Repetition
        switch repetitionWord.lowercased() {
        case "required": repetition = .required
        case "optional": repetition = .optional
        case "repeated": repetition = .repeated
        default: throw error(at: start, expected: "a repetition (required, optional or repeated) or '}'")
        }
        let typeToken = peek
        let typeWord = try expectWord(
            "a type (boolean, int32, int64, int96, float, double, binary, fixed_len_byte_array(N)) or 'group'")
        if typeWord.lowercased() == "group" {
            let name = try expectWord("a group name")
            let annotation = try parseAnnotation()
            let fieldId = try parseFieldId()
            let openBrace = peek
            try expectSymbol("{", "after group '\(name)'")
            guard depth < ParquetSchema.maxNestingDepth else {
                throw located(
                    openBrace, "group '\(name)' is nested deeper than \(ParquetSchema.maxNestingDepth) levels")
            }
            let children = try parseFields(depth: depth + 1)
            if peek.token == .symbol(";") { position += 1 }
            var logical: LogicalType?
            var converted: ConvertedType?
            if let annotation {
                switch annotation.name {
                case "LIST": (logical, converted) = (.list, .list)
                case "MAP": (logical, converted) = (.map, .map)
                case "MAP_KEY_VALUE": (logical, converted) = (.map, .mapKeyValue)
                default:
                    throw located(
                        annotation.at,
                        "annotation \(annotation.name) is not valid on group '\(name)' (groups take LIST, MAP or MAP_KEY_VALUE)"
                    )
                }
            }
            return ParquetField(
                name: name, repetition: repetition,
                kind: .group(children, logical: logical, converted: converted), fieldId: fieldId)
        }
        let type: PhysicalType
        var typeLength: Int32?
        switch typeWord.lowercased() {
        case "boolean": type = .boolean
        case "int32": type = .int32
        case "int64": type = .int64
        case "int96": type = .int96
        case "float": type = .float
        case "double": type = .double
        case "binary": type = .byteArray
        case "fixed_len_byte_array":
            type = .fixedLenByteArray
            try expectSymbol("(", "after fixed_len_byte_array")
            let widthToken = peek
            let width = try parseInt("the fixed_len_byte_array width")
            guard width > 0 else {
                throw located(widthToken, "fixed_len_byte_array width must be positive, got \(width)")
            }
            typeLength = width
            try expectSymbol(")", "after the fixed_len_byte_array width")
        default:
            throw error(
                at: typeToken,
                expected:
                    "a type (boolean, int32, int64, int96, float, double, binary, fixed_len_byte_array(N)) or 'group'")
        }
        let name = try expectWord("a field name")
        let annotation = try parseAnnotation()
        let fieldId = try parseFieldId()
        try expectSymbol(";", "after field '\(name)'")
        var logical: LogicalType?
        var converted: ConvertedType?
        if let annotation {
            (logical, converted) = try resolve(annotation, type: type, typeLength: typeLength, field: name)
        }
        return ParquetField(
            name: name, repetition: repetition,
            kind: .primitive(type, typeLength: typeLength, logical: logical, converted: converted),
            fieldId: fieldId)
    }

    struct Annotation {
        /// Uppercased annotation name.
        var name: String
        /// Uppercased arguments with their positions.
        var arguments: [(text: String, at: Located)]
        var at: Located
    }

    /// Parses `(NAME)` or `(NAME(arg, …))` if present.
    private mutating func parseAnnotation() throws(ParquetError) -> Annotation? {
        guard peek.token == .symbol("(") else { return nil }
        position += 1
        let at = peek
        let name = try expectWord("an annotation such as STRING, DECIMAL(P,S) or TIMESTAMP(MICROS,true)").uppercased()
        var arguments: [(text: String, at: Located)] = []
        if peek.token == .symbol("(") {
            position += 1
            while true {
                let argAt = peek
                arguments.append((try expectWord("an argument of \(name)").uppercased(), argAt))
                if peek.token == .symbol(",") {
                    position += 1
                    continue
                }
                try expectSymbol(")", "after the arguments of \(name)")
                break
            }
        }
        try expectSymbol(")", "to close the annotation \(name)")
        return Annotation(name: name, arguments: arguments, at: at)
    }

    private mutating func parseFieldId() throws(ParquetError) -> Int32? {
        guard peek.token == .symbol("=") else { return nil }
        position += 1
        return try parseInt("a field id")
    }

    private mutating func parseInt(_ what: String) throws(ParquetError) -> Int32 {
        let at = peek
        let word = try expectWord(what)
        guard let value = Int32(word) else { throw error(at: at, expected: what) }
        return value
    }

    // MARK: Annotations

    private func resolve(
        _ a: Annotation, type: PhysicalType, typeLength: Int32?,
        field: String
    ) throws(ParquetError) -> (LogicalType?, ConvertedType?) {
        let logical: LogicalType?
        var converted: ConvertedType?
        switch a.name {
        case "STRING", "UTF8": logical = .string
        case "ENUM": logical = .enum
        case "JSON": logical = .json
        case "BSON": logical = .bson
        case "UUID": logical = .uuid
        case "DATE": logical = .date
        case "FLOAT16": logical = .float16
        case "UNKNOWN": logical = .unknown
        case "INTERVAL": (logical, converted) = (nil, .interval)
        case "DECIMAL":
            try arity(a, 2)
            let p = try number(a.arguments[0], "DECIMAL precision")
            let s = try number(a.arguments[1], "DECIMAL scale")
            guard p >= 1 else { throw located(a.arguments[0].at, "DECIMAL precision must be at least 1, got \(p)") }
            guard s >= 0 && s <= p else {
                throw located(a.arguments[1].at, "DECIMAL scale must be between 0 and the precision \(p), got \(s)")
            }
            logical = .decimal(precision: p, scale: s)
        case "TIMESTAMP", "TIME":
            try arity(a, 2)
            let unit = try timeUnit(a.arguments[0])
            let utc = try boolean(a.arguments[1])
            logical =
                a.name == "TIME"
                ? .time(isAdjustedToUTC: utc, unit: unit) : .timestamp(isAdjustedToUTC: utc, unit: unit)
        case "INTEGER":
            try arity(a, 2)
            let bits = try number(a.arguments[0], "INTEGER bit width")
            guard [8, 16, 32, 64].contains(bits) else {
                throw located(a.arguments[0].at, "INTEGER bit width must be 8, 16, 32 or 64, got \(bits)")
            }
            logical = .integer(bitWidth: Int8(bits), isSigned: try boolean(a.arguments[1]))
        case "INT_8": logical = .integer(bitWidth: 8, isSigned: true)
        case "INT_16": logical = .integer(bitWidth: 16, isSigned: true)
        case "INT_32": logical = .integer(bitWidth: 32, isSigned: true)
        case "INT_64": logical = .integer(bitWidth: 64, isSigned: true)
        case "UINT_8": logical = .integer(bitWidth: 8, isSigned: false)
        case "UINT_16": logical = .integer(bitWidth: 16, isSigned: false)
        case "UINT_32": logical = .integer(bitWidth: 32, isSigned: false)
        case "UINT_64": logical = .integer(bitWidth: 64, isSigned: false)
        case "TIMESTAMP_MILLIS": logical = .timestamp(isAdjustedToUTC: true, unit: .millis)
        case "TIMESTAMP_MICROS": logical = .timestamp(isAdjustedToUTC: true, unit: .micros)
        case "TIME_MILLIS": logical = .time(isAdjustedToUTC: true, unit: .millis)
        case "TIME_MICROS": logical = .time(isAdjustedToUTC: true, unit: .micros)
        case "LIST", "MAP", "MAP_KEY_VALUE":
            throw located(a.at, "annotation \(a.name) is only valid on a group, not on \(type.name) field '\(field)'")
        default:
            throw located(a.at, "unknown annotation '\(a.name)' on field '\(field)'")
        }
        if a.arguments.count > 0 && !["DECIMAL", "TIMESTAMP", "TIME", "INTEGER"].contains(a.name) {
            throw located(a.arguments[0].at, "annotation \(a.name) takes no arguments")
        }
        if let logical {
            converted = ConvertedType(logical: logical)
            guard Self.allows(logical, type: type, typeLength: typeLength) else {
                throw located(
                    a.at,
                    "annotation \(logical.description) is not valid for \(type.name)\(typeLength.map { "(\($0))" } ?? "") field '\(field)'"
                )
            }
        } else if converted == .interval, !(type == .fixedLenByteArray && typeLength == 12) {
            throw located(
                a.at, "annotation INTERVAL requires fixed_len_byte_array(12), not \(type.name) on field '\(field)'")
        }
        return (logical, converted)
    }

    /// Whether a leaf of `type` can carry `logical` (LogicalTypes.md).
    private static func allows(_ logical: LogicalType, type: PhysicalType, typeLength: Int32?) -> Bool {
        switch logical {
        case .string, .enum, .json, .bson: return type == .byteArray
        case .uuid: return type == .fixedLenByteArray && typeLength == 16
        case .float16: return type == .fixedLenByteArray && typeLength == 2
        case .date: return type == .int32
        case .decimal(let p, _):
            switch type {
            case .int32: return p <= 9
            case .int64: return p <= 18
            case .byteArray: return true
            case .fixedLenByteArray: return ParquetField.decimalByteWidth(precision: Int(p)) <= Int(typeLength ?? 0)
            default: return false
            }
        case .time(_, let unit): return unit == .millis ? type == .int32 : type == .int64
        case .timestamp: return type == .int64
        case .integer(let bits, _): return bits == 64 ? type == .int64 : type == .int32
        case .unknown: return true
        case .list, .map: return false
        }
    }

    private func arity(_ a: Annotation, _ n: Int) throws(ParquetError) {
        guard a.arguments.count == n else {
            throw located(a.at, "annotation \(a.name) takes \(n) arguments, got \(a.arguments.count)")
        }
    }

    private func number(_ arg: (text: String, at: Located), _ what: String) throws(ParquetError) -> Int32 {
        guard let v = Int32(arg.text) else {
            throw located(arg.at, "expected \(what) (an integer), found '\(arg.text)'")
        }
        return v
    }

    private func boolean(_ arg: (text: String, at: Located)) throws(ParquetError) -> Bool {
        switch arg.text {
        case "TRUE": return true
        case "FALSE": return false
        default: throw located(arg.at, "expected true or false, found '\(arg.text)'")
        }
    }

    private func timeUnit(_ arg: (text: String, at: Located)) throws(ParquetError) -> TimeUnit {
        switch arg.text {
        case "MILLIS": return .millis
        case "MICROS": return .micros
        case "NANOS": return .nanos
        default: throw located(arg.at, "expected a time unit (MILLIS, MICROS or NANOS), found '\(arg.text)'")
        }
    }

    // MARK: Tokens

    private var peek: Located { tokens[position] }

    private mutating func expectWord(_ what: String) throws(ParquetError) -> String {
        let t = peek
        guard case .word(let w) = t.token else { throw error(at: t, expected: what) }
        position += 1
        return w
    }

    private mutating func expectKeyword(_ keyword: String) throws(ParquetError) {
        let t = peek
        guard case .word(let w) = t.token, w.lowercased() == keyword else {
            throw error(at: t, expected: "'\(keyword)'")
        }
        position += 1
    }

    private mutating func expectSymbol(_ symbol: Character, _ context: String) throws(ParquetError) {
        let t = peek
        guard t.token == .symbol(symbol) else { throw error(at: t, expected: "'\(symbol)' \(context)") }
        position += 1
    }

    private func error(at t: Located, expected: String) -> ParquetError {
        let found: String
        switch t.token {
        case .word(let w): found = "'\(w)'"
        case .symbol(let c): found = "'\(c)'"
        case .end: found = "end of input"
        }
        return located(t, "expected \(expected), found \(found)")
    }

    private func located(_ t: Located, _ message: String) -> ParquetError {
        ParquetError(.invalidArgument, "message type line \(t.line), column \(t.column): \(message)")
    }
}
