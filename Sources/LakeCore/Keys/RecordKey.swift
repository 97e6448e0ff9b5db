/// Record key formatting as Java Hudi's key generators write `_hoodie_record_key`
/// (`KeyGenUtils.getRecordKey`).
///
/// * Simple: the value itself (`1`). A null or empty value is an error, as in Java.
/// * Complex: `field:value` pairs joined with `,` (`id:1,name:Alice`); a null component is
///   written `field:__null__`, an empty one `field:__empty__`; all components null/empty is an
///   error. Java escapes nothing, so two different rows could get one key: `a:x,b:y,b:z` is both
///   (`x,b:y`, `z`) and (`x`, `y,b:z`), and `a:__null__` is both a null and the text
///   `__null__`. lake refuses exactly the values that make a key ambiguous (see
///   ``complex(fields:values:)``), so every key it writes splits back into the one row it came
///   from (``parseComplex(_:fields:)``); the rest are written exactly as Java writes them.
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
            throw LakeError(
                .invalidInput,
                "record key field '\(field)' is \(value == nil ? "null" : "empty"); a record key cannot be null or empty"
            )
        }
        return value
    }

    /// A complex key `f1:v1,f2:v2` with Java's placeholders for null and empty components.
    ///
    /// Values that would make the key ambiguous — equal to another row's key — are refused:
    /// a value that is literally ``nullPlaceholder`` or ``emptyPlaceholder`` (it would read back
    /// as a null or empty value), and a value other than the last that contains the next
    /// component's marker `,<next field>:` (it would read back as two components). Any other
    /// `,` or `:` is fine: with those two rules a key splits back into exactly one row's values.
    /// - Precondition: `fields.count == values.count`.
    /// - Throws: `.invalidInput` if every component is null or empty, or a value is ambiguous
    ///   (the message names the field, the value and why).
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
                if let reason = ambiguity(v, next: i + 1 < fields.count ? fields[i + 1] : nil) {
                    throw LakeError(
                        .invalidInput,
                        "record key field '\(field)' has the value '\(printable(v))', \(reason)")
                }
                out += v
                allNullOrEmpty = false
            }
        }
        if allNullOrEmpty {
            throw LakeError(
                .invalidInput,
                "record key fields \(fields.joined(separator: ",")) are all null or empty; a record key cannot be entirely null or empty"
            )
        }
        return out
    }

    /// Why a component value would make a complex key ambiguous, or `nil`.
    static func ambiguity(_ v: String, next: String?) -> String? {
        if v == nullPlaceholder || v == emptyPlaceholder {
            let what = v == nullPlaceholder ? "a null" : "an empty"
            return "which Hudi's key format writes for \(what) value; as a value it would give two rows one key"
        }
        guard let next, v.utf8.contains(UInt8(ascii: ",")) else { return nil }
        let marker = "," + next + ":"
        if Substring(v).firstRange(ofUTF8: marker) != nil {
            return "which contains '\(marker)', the separator before the next key field in Hudi's key format; "
                + "the key would be ambiguous"
        }
        return nil
    }

    /// A value for messages: at most 60 characters, control characters escaped.
    static func printable(_ v: String) -> String {
        let cut = v.unicodeScalars.count > 60
        let head = cut ? String(String.UnicodeScalarView(v.unicodeScalars.prefix(60))) : v
        let shown = head.unicodeScalars.map { $0.value < 0x20 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
        return shown.joined() + (cut ? "…" : "")
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
