/// What table metadata (commit, rollback, restore and savepoint metadata, Avro schemas) needs of
/// a ``JSONValue``: construction from integers, doubles and key–value pairs, typed access,
/// error-message type names, and Jackson's pretty layout (``JSONWriter/appendJackson(_:to:)``).
extension JSONValue {
    /// Parses metadata JSON (``JSONParser``: integers that fit 64 bits keep their text, objects
    /// keep their members in document order).
    /// - Parameter what: names the document in the error.
    /// - Throws: `.invalidInput` naming `what` and the byte offset of the error.
    static func parse(_ bytes: [UInt8], what: String) throws(LakeError) -> JSONValue {
        do throws(LakeError) {
            return try JSONParser().parse(bytes)
        } catch {
            throw LakeError(.invalidInput, "\(what): invalid JSON: \(error.message)")
        }
    }

    /// An integer.
    static func int(_ v: Int64) -> JSONValue { .number(JSONNumber(v)) }

    /// A double written as Jackson writes one: whole values below 10^15 as `12.0`, others in
    /// Swift's shortest form; NaN and infinities (which JSON cannot hold) as `null`.
    static func double(_ d: Double) -> JSONValue {
        guard d.isFinite else { return .null }
        if d == d.rounded(), abs(d) < 1e15 { return .number(JSONNumber(validText: String(Int64(d)) + ".0")) }
        return .number(JSONNumber(validText: "\(d)"))
    }

    /// An object with these members, in this order.
    static func object(pairs: [(String, JSONValue)]) -> JSONValue {
        .object(pairs.map { JSONMember($0.0, $0.1) })
    }

    /// The number as an integer when it is written without fraction or exponent and fits 64 bits.
    var int64Value: Int64? {
        guard case .number(let n) = self, n.isInteger else { return nil }
        return n.int64
    }

    /// The elements when this is an array.
    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members when this is an object.
    var members: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// A short name of the JSON type for error messages (`integer` for a number written
    /// without fraction or exponent).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let n): n.isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Text in Jackson's default pretty layout (``JSONWriter/appendJackson(_:to:)``), as Java
    /// Hudi writes commit metadata.
    var prettyText: String {
        var out: [UInt8] = []
        JSONWriter.appendJackson(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Compact text with no spaces (`{"a":1,"b":[true,null]}`), as Avro's `Schema.toString()` writes.
    var compactText: String {
        var out: [UInt8] = []
        JSONWriter.appendValue(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension JSONWriter {
    /// Appends a value in Jackson's default pretty layout, as Java Hudi writes commit metadata:
    /// two-space indent, `"key" : value`, arrays on one line (`[ a, b ]`, objects inside them
    /// broken), `[ ]` and `{ }` when empty.
    static func appendJackson(_ v: JSONValue, to out: inout [UInt8]) {
        appendJackson(v, level: 0, to: &out)
    }

    private static func appendJackson(_ v: JSONValue, level: Int, to out: inout [UInt8]) {
        switch v {
        case .null, .bool, .number, .string:
            appendValue(v, to: &out)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: "[ ]".utf8)
                return
            }
            out.append(contentsOf: "[ ".utf8)
            for (i, e) in items.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                appendJackson(e, level: level, to: &out)
            }
            out.append(contentsOf: " ]".utf8)
        case .object(let members):
            if members.isEmpty {
                out.append(contentsOf: "{ }".utf8)
                return
            }
            out.append(contentsOf: "{\n".utf8)
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                indent(level + 1, &out)
                appendString(m.key, to: &out)
                out.append(contentsOf: " : ".utf8)
                appendJackson(m.value, level: level + 1, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
            indent(level, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func indent(_ level: Int, _ out: inout [UInt8]) {
        for _ in 0..<level { out.append(contentsOf: "  ".utf8) }
    }
}
