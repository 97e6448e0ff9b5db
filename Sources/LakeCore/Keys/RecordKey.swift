/// Record key formatting as Java Hudi's key generators write `_hoodie_record_key`
/// (`KeyGenUtils.getRecordKey`).
///
/// * Simple: the value itself (`1`). A null or empty value is an error, as in Java.
/// * Complex: `field:value` pairs joined with `,` (`id:1,name:Alice`); a null component is
///   written `field:__null__`, an empty one `field:__empty__`; all components null/empty is an
///   error. Java does not escape `,` or `:` inside values, so such keys cannot always be split
///   back; ``parseComplex(_:fields:)`` handles them when the field names are known.
///
/// Values are the caller's string rendering of the column value; it must equal Java's
/// `toString()` of the Avro value for keys to match rows a Java writer produced (integers and
/// strings do; floating point and timestamps need care).
public enum RecordKey {
    /// Written for a null component of a complex key.
    public static let nullPlaceholder = "__null__"
    /// Written for an empty component of a complex key.
    public static let emptyPlaceholder = "__empty__"

    /// A simple key: the value itself.
    /// - Throws: `.invalidInput` if the value is null or empty (Java `HoodieKeyException`).
    public static func simple(_ value: String?, field: String) throws(LakeError) -> String {
        guard let value, !value.isEmpty else {
            throw LakeError(.invalidInput, "record key field '\(field)' is \(value == nil ? "null" : "empty"); a record key cannot be null or empty")
        }
        return value
    }

    /// A complex key `f1:v1,f2:v2` with Java's placeholders for null and empty components.
    /// - Precondition: `fields.count == values.count`.
    /// - Throws: `.invalidInput` if every component is null or empty.
    public static func complex(fields: [String], values: [String?]) throws(LakeError) -> String {
        precondition(fields.count == values.count, "one value per record key field")
        var out = ""
        var allNullOrEmpty = true
        for (i, field) in fields.enumerated() {
            if i > 0 { out += "," }
            out += field
            out += ":"
            switch values[i] {
            case nil: out += nullPlaceholder
            case let v? where v.isEmpty: out += emptyPlaceholder
            case let v?:
                out += v
                allNullOrEmpty = false
            }
        }
        if allNullOrEmpty {
            throw LakeError(.invalidInput, "record key fields \(fields.joined(separator: ",")) are all null or empty; a record key cannot be entirely null or empty")
        }
        return out
    }

    /// Splits a complex key back into values for `fields` (placeholders become `nil` / `""`).
    /// Each component must start with `<field>:` in order; a value may itself contain `,` or
    /// `:` as long as the next component's `,<field>:` marker does not occur inside it.
    /// Returns `nil` if the key does not have that shape.
    public static func parseComplex(_ key: String, fields: [String]) -> [String?]? {
        guard !fields.isEmpty else { return nil }
        var rest = Substring(key)
        var out: [String?] = []
        for (i, field) in fields.enumerated() {
            let prefix = field + ":"
            guard rest.hasPrefix(prefix) else { return nil }
            rest = rest.dropFirst(prefix.count)
            let raw: Substring
            if i + 1 < fields.count {
                guard let r = rest.firstRange(ofUTF8: "," + fields[i + 1] + ":") else { return nil }
                raw = rest[..<r.lowerBound]
                rest = rest[rest.index(after: r.lowerBound)...]
            } else {
                raw = rest
                rest = ""
            }
            switch raw {
            case Substring(nullPlaceholder): out.append(nil)
            case Substring(emptyPlaceholder): out.append("")
            default: out.append(String(raw))
            }
        }
        return out
    }
}
