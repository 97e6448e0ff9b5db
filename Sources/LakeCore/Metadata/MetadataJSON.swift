/// A parsed JSON value, used for commit metadata and Avro schemas (neither is a hot path).
///
/// Parsing goes through LakeCore's ``JSONParser``; writing is done here so key order and layout
/// are deterministic and match what Java Hudi (Jackson) writes. Objects keep their keys in order
/// of insertion when built here; parsed objects come back with keys sorted (JSON objects are
/// unordered).
enum MetadataJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([MetadataJSON])
    case object([(String, MetadataJSON)])
    /// Pre-rendered JSON text, written verbatim (never produced by parsing).
    case raw(String)

    static func == (a: MetadataJSON, b: MetadataJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.raw(let x), .raw(let y)): x == y
        default: false
        }
    }

    func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .int(let i): h.combine(i)
        case .double(let d): h.combine(d)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o): for (k, v) in o { h.combine(k); h.combine(v) }
        case .raw(let r): h.combine(1); h.combine(r)
        }
    }

    /// Parses UTF-8 JSON text with LakeCore's own parser (Foundation's `JSONDecoder` parses
    /// ~20 MB/s here, and incremental reads parse the metadata of every commit in their window).
    /// Integers that fit 64 bits stay integers; other numbers become doubles; object members
    /// come back sorted by key (the last of duplicate keys wins).
    /// - Throws: `.invalidInput` naming the document (`what`) and the byte column of the error.
    static func parse(_ bytes: [UInt8], what: String) throws(LakeError) -> MetadataJSON {
        do throws(LakeError) {
            return Self(try JSONParser().parse(bytes))
        } catch {
            throw LakeError(.invalidInput, "\(what): invalid JSON: \(error.message)")
        }
    }

    /// The same document as a ``MetadataJSON``.
    init(_ v: JSONValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n):
            if n.isInteger, let i = n.int64 { self = .int(i) } else { self = .double(n.double ?? .nan) }
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(Self.init))
        case .object(let members):
            var byKey: [String: MetadataJSON] = [:]
            for m in members { byKey[m.key] = Self(m.value) }
            self = .object(byKey.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    // MARK: Access

    /// The value of `key` in an object, or `nil` if absent or not an object.
    subscript(key: String) -> MetadataJSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    var isNull: Bool { if case .null = self { return true } else { return false } }

    /// A short name of the JSON type for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case .raw: "JSON"
        }
    }

    // MARK: Writing

    /// Compact text with no spaces (`{"a":1,"b":[true,null]}`), as Avro's `Schema.toString()` writes.
    var compactText: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Pretty text in Jackson's default layout: two-space indent, `"key" : value`, `[ a, b ]` and
    /// `{ }` for empty objects, as Java Hudi writes commit metadata.
    var prettyText: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? Self.format(d) : "null"
        case .string(let s): Self.writeString(s, to: &out)
        case .raw(let r): out += r
        case .array(let items):
            if items.isEmpty { out += "[ ]"; return }
            guard let indent else {
                out += "["
                for (i, v) in items.enumerated() {
                    if i > 0 { out += "," }
                    v.write(to: &out, indent: nil, level: 0)
                }
                out += "]"
                return
            }
            // Jackson keeps arrays on one line and breaks objects inside them.
            out += "[ "
            for (i, v) in items.enumerated() {
                if i > 0 { out += ", " }
                v.write(to: &out, indent: indent, level: level)
            }
            out += " ]"
        case .object(let pairs):
            if pairs.isEmpty { out += indent == nil ? "{}" : "{ }"; return }
            guard let indent else {
                out += "{"
                for (i, (k, v)) in pairs.enumerated() {
                    if i > 0 { out += "," }
                    Self.writeString(k, to: &out)
                    out += ":"
                    v.write(to: &out, indent: nil, level: 0)
                }
                out += "}"
                return
            }
            out += "{\n"
            let inner = String(repeating: indent, count: level + 1)
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += ",\n" }
                out += inner
                Self.writeString(k, to: &out)
                out += " : "
                v.write(to: &out, indent: indent, level: level + 1)
            }
            out += "\n" + String(repeating: indent, count: level) + "}"
        }
    }

    private static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return "\(d)"
    }

    /// Writes a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`… or
    /// `\u00XX`, everything else (including non-ASCII) as UTF-8.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
