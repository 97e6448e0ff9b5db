import Foundation
import LakeCore
import LakeTestSupport

/// A stream of change records with hostile attribute names and key values, and a plain
/// in-memory model of what a table fed by it must hold, written from docs/ingest.md (not from
/// lake's code):
///
/// - attribute names become column names by Hudi's sanitization (mask `__`, UTF-16 units); names
///   reserved at the top level (`_hoodie_*`, `_event_order`, `_event_time`, the mapping's own
///   columns) get `__` in front;
/// - the first attribute name seen for a column (or struct member) name owns it for good; a
///   record that carries another name for it is quarantined (its other names are still seen);
/// - a key field without a value, a complex key that is all null or empty, a component equal to
///   `__null__`/`__empty__`, a component (but the last) containing `,<next field>:`, or a simple
///   key that is empty is quarantined;
/// - per key, the change with the greatest (time, sequence number, position) wins, REMOVE
///   leaving no row (and still ordering later changes).
struct HostileStreamModel {
    /// A column value: text, or a struct's non-null members.
    enum Value: Hashable, CustomStringConvertible {
        case text(String)
        case members([String: String])
        var description: String {
            switch self {
            case .text(let s): return "'\(s)'"
            case .members(let m):
                return "{" + m.keys.sorted().map { "\($0): '\(m[$0]!)'" }.joined(separator: ", ") + "}"
            }
        }
    }

    /// An attribute value in a generated image: text, NULL, or a map of texts.
    enum Attribute {
        case text(String)
        case null
        case map([(String, String)])
    }

    struct Record {
        var event: String
        var keys: [(String, String)]
        var newImage: [(String, Attribute)]?
        var oldImage: [(String, Attribute)]?
        var seconds: Int64
        var sequence: Int
    }

    /// The key fields, as attribute names (valid names: they are their own columns).
    let keyFields: [String]
    /// Column names the mapping fills itself (reserved for inferred attributes).
    let mappingColumns: Set<String>
    /// Attribute names the mapping reads from the NewImage (filled as they are, never inferred).
    let mappedAttributes: Set<String>
    /// Columns excluded from the comparison (derived ones the model does not compute).
    let ignoredColumns: Set<String>

    // MARK: Naming, as documented

    static func sanitized(_ name: String) -> String {
        var out = ""
        for (i, u) in name.utf16.enumerated() {
            let letter = (0x41...0x5A).contains(u) || (0x61...0x7A).contains(u) || u == 0x5F
            let digit = (0x30...0x39).contains(u)
            out += letter || (digit && i > 0) ? String(UnicodeScalar(UInt8(u))) : "__"
        }
        return out.isEmpty ? "__" : out
    }

    func columnName(_ attribute: String) -> String {
        let s = Self.sanitized(attribute)
        let reserved =
            s.hasPrefix("_hoodie_") || s == "_event_order" || s == "_event_time" || mappingColumns.contains(s)
        return reserved ? "__" + s : s
    }

    // MARK: State

    /// Column or member path → the attribute name (or "<mapping>") that owns it.
    var owners: [String: String] = [:]
    /// Per key tuple: (order, removed, row).
    var rows: [[String?]: (order: (Int64, Int, Int), removed: Bool, row: [String: Value])] = [:]
    /// 1-based line numbers of the records the model quarantines.
    var refused: Set<Int> = []

    init(
        keyFields: [String], mappingColumns: Set<String> = [], mappedAttributes: Set<String> = [],
        ignoredColumns: Set<String> = []
    ) {
        self.keyFields = keyFields
        self.mappingColumns = mappingColumns
        self.mappedAttributes = mappedAttributes
        self.ignoredColumns = ignoredColumns
        for c in mappingColumns.union(["_event_order", "_event_time", "_hoodie_is_deleted"]) { owners[c] = "<mapping>" }
    }

    /// Applies record `line` (1-based).
    mutating func apply(_ r: Record, line: Int) {
        // The image the row comes from: NewImage, or for a REMOVE the OldImage, or the Keys.
        let image: [(String, Attribute)] = r.newImage ?? r.oldImage ?? r.keys.map { ($0.0, .text($0.1)) }
        var collision = false
        var row: [String: Value] = [:]
        var keyValues: [String: String?] = [:]
        for (name, attribute) in image {
            if mappedAttributes.contains(name) {
                if case .text(let s) = attribute { row[name] = .text(s) }
                if keyFields.contains(name) { keyValues[name] = attribute.text }
                continue
            }
            let column = columnName(name)
            if let o = owners[column], o != name {
                collision = true
                continue
            }
            owners[column] = name
            switch attribute {
            case .text(let s): row[column] = .text(s)
            case .null: break
            case .map(let members):
                var m: [String: String] = [:]
                for (key, value) in members {
                    let path = column + "." + Self.sanitized(key)
                    if let o = owners[path], o != key {
                        collision = true
                        continue
                    }
                    owners[path] = key
                    m[Self.sanitized(key)] = value
                }
                if !m.isEmpty { row[column] = .members(m) }
            }
            if keyFields.contains(column) { keyValues[column] = attribute.text }
        }
        if collision || keyRefused(keyFields.map { keyValues[$0] ?? nil }) {
            refused.insert(line)
            return
        }
        let key = keyFields.map { keyValues[$0] ?? nil }
        let order = (r.seconds * 1000, r.sequence, line)
        if let old = rows[key], old.order > order { return }
        rows[key] = (order, r.event == "REMOVE", row.filter { !ignoredColumns.contains($0.key) })
    }

    /// The documented key rules.
    func keyRefused(_ values: [String?]) -> Bool {
        if values.contains(where: { $0 == nil }) { return true }
        if values.count == 1 { return values[0]!.isEmpty }
        if values.allSatisfy({ $0!.isEmpty }) { return true }
        for (i, v) in values.enumerated() {
            if v == "__null__" || v == "__empty__" { return true }
            if i + 1 < values.count && v!.contains("," + keyFields[i + 1] + ":") { return true }
        }
        return false
    }

    /// The live rows: key tuple → non-null columns.
    var live: [[String?]: [String: Value]] {
        var out: [[String?]: [String: Value]] = [:]
        for (k, v) in rows where !v.removed { out[k] = v.row }
        return out
    }
}

extension HostileStreamModel.Attribute {
    var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}

/// Generates hostile change records from a seed.
struct HostileStreamGenerator {
    var rng: SplitMix
    let keyFields: [String]
    /// Attributes every image carries besides the keys (a mapping's columns).
    let fixedAttributes: [String]

    static let names = [
        "a", "name", "Name2", "order-id", "order.id", "order id", "order__id", "a.b", "a__b", "a-b", "é", "ü", "",
        "1st",
        "2nd", "😀", "_event_order", "__event_order", "___event_order", "_event_time", "_hoodie_commit_time",
        "_hoodie_record_key", "_hoodie_is_deleted", "_hoodie_operation", "_hoodie_", "__hoodie_commit_time",
        "___hoodie_commit_time", "tag", "__tag", "x,y", "k:v", "p/q", "a=b", "__null__", "__empty__", "\t", "名前",
    ]
    static let keyValues = [
        "a", "b", "", "a,b", "a:b", ",sk:", "x,sk:y", "y", "__null__", "__empty__", "p/q", "k=v", "é", "😀", " ",
        "a,b:c",
        "sk:", ",", ":", "__null__x",
    ]
    static let partitionValues = [
        "a", "a/b", "k=v", "", "..", ".", "__HIVE_DEFAULT_PARTITION__", "default", "%2F", "é", "x y", "/", "=",
    ]
    static let alphabet: [Character] = Array("aZ_09-.:,/= é名😀\\\"") + ["\u{1}"]

    mutating func randomText(_ pool: [String]) -> String {
        if Int.random(in: 0..<3, using: &rng) > 0 { return pool[Int.random(in: 0..<pool.count, using: &rng)] }
        return String(
            (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)]
            })
    }

    /// Whether an attribute name carries maps (fixed per name, so no type ever conflicts).
    static func isMap(_ name: String) -> Bool {
        name.unicodeScalars.reduce(7) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF } % 4 == 0
    }

    mutating func image(keys: [(String, String)], clean: Bool) -> [(String, HostileStreamModel.Attribute)] {
        var out: [(String, HostileStreamModel.Attribute)] = []
        var used = Set<String>()
        for (k, v) in keys {
            // A key attribute is sometimes NULL in the image.
            let a: HostileStreamModel.Attribute = !clean && Int.random(in: 0..<25, using: &rng) == 0 ? .null : .text(v)
            out.append((k, a))
            used.insert(k)
        }
        for f in fixedAttributes where !used.contains(f) {
            out.append((f, .text(clean ? "p" : randomText(Self.partitionValues))))
            used.insert(f)
        }
        for _ in 0..<(clean ? 1 : Int.random(in: 0...4, using: &rng)) {
            let name = clean ? "a" : randomText(Self.names)
            guard used.insert(name).inserted else { continue }
            if Self.isMap(name) {
                var members: [(String, String)] = []
                var keysUsed = Set<String>()
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let k = randomText(Self.names)
                    if keysUsed.insert(k).inserted { members.append((k, randomText(Self.keyValues))) }
                }
                out.append((name, .map(members)))
            } else if !clean && Int.random(in: 0..<8, using: &rng) == 0 {
                out.append((name, .null))
            } else {
                out.append((name, .text(clean ? "v" : randomText(Self.keyValues))))
            }
        }
        return out
    }

    mutating func records(_ count: Int) -> [HostileStreamModel.Record] {
        var out: [HostileStreamModel.Record] = []
        var known: [[(String, String)]] = []
        for i in 0..<count {
            let clean = i == 0
            var keys: [(String, String)]
            if !known.isEmpty && Int.random(in: 0..<3, using: &rng) > 0 {
                keys = known[Int.random(in: 0..<known.count, using: &rng)]
            } else {
                keys = keyFields.map { ($0, clean ? "k0" : randomText(Self.keyValues)) }
                known.append(keys)
            }
            let event = clean ? "INSERT" : ["INSERT", "MODIFY", "MODIFY", "REMOVE"][Int.random(in: 0..<4, using: &rng)]
            var r = HostileStreamModel.Record(
                event: event, keys: keys, newImage: nil, oldImage: nil,
                seconds: 1_700_000_000 + Int64(i / 3) + Int64.random(in: -2...2, using: &rng),
                sequence: 1000 + i)
            if event == "REMOVE" {
                if Int.random(in: 0..<2, using: &rng) == 0 { r.oldImage = image(keys: keys, clean: false) }
            } else {
                r.newImage = image(keys: keys, clean: clean)
                if Int.random(in: 0..<4, using: &rng) == 0 { r.oldImage = image(keys: keys, clean: false) }
            }
            out.append(r)
        }
        return out
    }

    /// The record as a DynamoDB Streams JSON line.
    static func line(_ r: HostileStreamModel.Record) -> String {
        func str(_ s: String) -> String {
            var out: [UInt8] = []
            JSONWriter.appendString(s, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        func image(_ attrs: [(String, HostileStreamModel.Attribute)]) -> String {
            "{"
                + attrs.map { name, a in
                    let v: String =
                        switch a {
                        case .text(let s): #"{"S":\#(str(s))}"#
                        case .null: #"{"NULL":true}"#
                        case .map(let m):
                            #"{"M":{"# + m.map { #"\#(str($0.0)):{"S":\#(str($0.1))}"# }.joined(separator: ",") + "}}"
                        }
                    return str(name) + ":" + v
                }.joined(separator: ",") + "}"
        }
        var d = [#""Keys":"# + image(r.keys.map { ($0.0, .text($0.1)) })]
        if let n = r.newImage { d.append(#""NewImage":"# + image(n)) }
        if let o = r.oldImage { d.append(#""OldImage":"# + image(o)) }
        d.append(#""ApproximateCreationDateTime":\#(r.seconds)"#)
        d.append(#""SequenceNumber":"\#(r.sequence)""#)
        d.append(#""StreamViewType":"NEW_AND_OLD_IMAGES""#)
        return #"{"eventName":"\#(r.event)","dynamodb":{"# + d.joined(separator: ",") + "}}"
    }
}
