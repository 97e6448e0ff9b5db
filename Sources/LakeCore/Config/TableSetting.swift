/// One table setting, defined once: its key, the names Hudi users know it by, its default, how
/// its value is parsed and checked, and what it means.
///
/// The definitions (``AnyTableSetting/all``) are the single source for `lake create --set`
/// (which refuses unknown keys with the nearest valid one), the library's typed access
/// (``TableConfig/value(_:)``, ``TableConfig/set(_:to:)``) and the
/// settings table in `docs/tables.md` (a test keeps the two equal).
///
/// Two families, as in hudi-rs's `HudiTableConfig` / `HudiWriteConfig` split:
/// * **lake settings** (`target.file.size`, `cleaner.*`, `archive.*`, …) are stored in
///   `hoodie.properties` as `lake.<key>` (``TableConfig/lake``); Java and hudi-rs ignore them.
/// * **Hudi table properties** (`hoodie.table.type`, `hoodie.table.recordkey.fields`, …) are
///   modelled fields of ``TableConfig``; their key is the property name.
///
/// Every setting also accepts the Hudi write option users type for the same thing
/// (`hoodie.cleaner.commits.retained`, `hoodie.datasource.write.recordkey.field`, …) as an
/// alias; a value given under an alias is stored under the setting's own property, never as
/// `lake.hoodie.*`.
///
/// ```swift
/// var config = TableConfig(name: "customers", recordKeyFields: ["id"], precombineField: "ts")
/// try config.set(.cleanerCommitsRetained, to: 2)
/// try config.set("hoodie.parquet.max.file.size", to: "64MiB")   // by name, as --set does
/// let codec = try config.value(.parquetCodec)                     // .zstd unless set
/// ```
public struct TableSetting<Value: Sendable>: Sendable {
    /// The setting's name, documentation and untyped access.
    public let definition: AnyTableSetting
    let parse: @Sendable (String) throws(LakeError) -> Value
    let check: @Sendable (Value) throws(LakeError) -> Void
    let read: @Sendable (TableConfig) throws(LakeError) -> Value
    let write: @Sendable (inout TableConfig, Value) -> Void

    /// The key `--set` takes (`cleaner.commits.retained`, `hoodie.table.type`).
    public var key: String { definition.key }

    /// The value `text` stands for, checked.
    /// - Throws: `.invalidArgument` naming the setting and saying what values it takes.
    public func value(parsing text: String) throws(LakeError) -> Value {
        do throws(LakeError) {
            let v = try parse(text.trimmingWhitespace())
            try check(v)
            return v
        } catch {
            throw LakeError(.invalidArgument, "setting \(key)=\(text): \(error.message)")
        }
    }
}

/// Whether a setting is one of lake's own (`lake.<key>`) or a Hudi table property.
public enum TableSettingFamily: String, Sendable, Hashable {
    /// Stored as `lake.<key>` in ``TableConfig/lake``.
    case lake
    /// A modelled ``TableConfig`` field, stored under its Hudi property name.
    case hudi
}

/// A table setting without its value type: what lists, looks up and documents settings.
public struct AnyTableSetting: Sendable, CustomStringConvertible {
    /// The key `--set` takes and the documentation shows: `cleaner.commits.retained` for a lake
    /// setting, the property name (`hoodie.table.type`) for a Hudi table property.
    public let key: String
    /// Where the value is stored.
    public let family: TableSettingFamily
    /// Other names accepted for it: Hudi's write and table options.
    public let aliases: [String]
    /// The default, as the documentation states it.
    public let defaultText: String
    /// The values it takes (`an integer ≥ 1`, `true or false`).
    public let valuesText: String
    /// What it does, one sentence.
    public let summary: String
    /// Parses, checks and stores a value; errors carry the reason only.
    let assign: @Sendable (inout TableConfig, String) throws(LakeError) -> Void
    let stored: @Sendable (TableConfig) -> String?
    let validate: @Sendable (TableConfig) throws(LakeError) -> Void

    /// The name in `hoodie.properties`: `lake.<key>` for lake settings, else the key.
    public var property: String { family == .lake ? TableConfig.Key.lakePrefix + key : key }

    /// Every name the setting answers to: key, property, aliases.
    public var names: [String] {
        var out = [key]
        if property != key { out.append(property) }
        return out + aliases
    }

    public var description: String { property }

    /// The setting called `name` (key, property or alias; case-insensitive), or `nil`.
    public static func named(_ name: String) -> AnyTableSetting? {
        let n = name.trimmingWhitespace().lowercased()
        return all.first { s in s.names.contains { $0.lowercased() == n } }
    }

    /// The setting called `name`.
    /// - Throws: `.invalidArgument` for an unknown name, suggesting the nearest setting by edit
    ///   distance when one is close.
    public static func resolve(_ name: String) throws(LakeError) -> AnyTableSetting {
        if let s = named(name) { return s }
        var message = "unknown setting '\(name)'"
        if let near = nearest(to: name) {
            message += "; did you mean '\(near)'?"
        } else if name.lowercased().hasPrefix("hoodie.") {
            message += "; lake has no such setting (the Hudi options it accepts are listed by 'lake create --help')"
        } else {
            message += " (the settings are listed by 'lake create --help')"
        }
        throw LakeError(.invalidArgument, message)
    }

    /// The setting name closest to `name` by edit distance (the key of the setting, or the
    /// alias when that is what came closest), if it is close enough to be a typo.
    public static func nearest(to name: String) -> String? {
        let n = name.trimmingWhitespace().lowercased()
        var best: (name: String, distance: Int)?
        for s in all {
            for candidate in s.names {
                let d = editDistance(n, candidate.lowercased())
                if best == nil || d < best!.distance { best = (candidate, d) }
            }
        }
        guard let best, best.distance <= max(2, n.count / 4) else { return nil }
        return best.name
    }

    /// The Levenshtein distance between two strings (by Unicode scalar).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}

// MARK: - Building definitions

extension TableSetting {
    /// A lake setting stored as `lake.<key>` text.
    static func lake(
        _ key: String, aliases: [String], default defaultValue: Value, defaultText: String,
        values valuesText: String, summary: String,
        parse: @escaping @Sendable (String) throws(LakeError) -> Value,
        check: @escaping @Sendable (Value) throws(LakeError) -> Void = { _ throws(LakeError) in },
        format: @escaping @Sendable (Value) -> String
    ) -> TableSetting {
        let read: @Sendable (TableConfig) throws(LakeError) -> Value = { config throws(LakeError) in
            guard let text = config.lakeText(key) else { return defaultValue }
            do throws(LakeError) {
                let v = try parse(text)
                try check(v)
                return v
            } catch {
                throw LakeError(
                    .invalidArgument, "table property \(TableConfig.Key.lakePrefix)\(key)=\(text): \(error.message)")
            }
        }
        let write: @Sendable (inout TableConfig, Value) -> Void = { config, value in
            config.lake[TableConfig.Key.lakePrefix + key] = nil
            let text = format(value)
            config.lake[key] = text.isEmpty ? nil : text  // an empty text is "unset" (a derived default)
        }
        let definition = AnyTableSetting(
            key: key, family: .lake, aliases: aliases, defaultText: defaultText, valuesText: valuesText,
            summary: summary,
            assign: { config, text throws(LakeError) in
                let v = try Self.checked(key, text, parse, check)
                write(&config, v)
            },
            stored: { $0.lakeText(key) },
            validate: { config throws(LakeError) in _ = try read(config) })
        return TableSetting(definition: definition, parse: parse, check: check, read: read, write: write)
    }

    /// A Hudi table property modelled as a ``TableConfig`` field.
    static func hudi(
        _ property: String, aliases: [String], defaultText: String, values valuesText: String,
        summary: String, field: WritableKeyPath<TableConfig, Value> & Sendable,
        parse: @escaping @Sendable (String) throws(LakeError) -> Value,
        check: @escaping @Sendable (Value) throws(LakeError) -> Void = { _ throws(LakeError) in },
        format: @escaping @Sendable (Value) -> String?
    ) -> TableSetting {
        let definition = AnyTableSetting(
            key: property, family: .hudi, aliases: aliases, defaultText: defaultText, valuesText: valuesText,
            summary: summary,
            assign: { config, text throws(LakeError) in
                config[keyPath: field] = try Self.checked(property, text, parse, check)
            },
            stored: { format($0[keyPath: field]) },
            validate: { config throws(LakeError) in
                do throws(LakeError) {
                    try check(config[keyPath: field])
                } catch {
                    throw LakeError(error.code, "\(property): \(error.message)")
                }
            })
        return TableSetting(
            definition: definition, parse: parse, check: check, read: { $0[keyPath: field] },
            write: { $0[keyPath: field] = $1 })
    }

    /// The checked value of `text`; errors carry the reason only (callers say which setting).
    private static func checked(
        _ key: String, _ text: String, _ parse: (String) throws(LakeError) -> Value,
        _ check: (Value) throws(LakeError) -> Void
    ) throws(LakeError) -> Value {
        let v = try parse(text.trimmingWhitespace())
        try check(v)
        return v
    }
}

/// Value parsers shared by the definitions. Their messages say what is wrong with the value;
/// the caller adds which setting it was.
enum SettingValue {
    static func integer(_ text: String) throws(LakeError) -> Int {
        guard let v = Int(text) else { throw LakeError(.invalidArgument, "not an integer") }
        return v
    }

    static func atLeast(_ min: Int, _ v: Int?) throws(LakeError) {
        if let v, v < min { throw LakeError(.invalidArgument, "must be at least \(min), not \(v)") }
    }

    static func boolean(_ text: String) throws(LakeError) -> Bool {
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw LakeError(.invalidArgument, "not true or false")
        }
    }

    /// A comma-separated list of field names: each non-empty, none twice.
    static func fields(_ text: String) throws(LakeError) -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        if text.trimmingWhitespace().isEmpty { return [] }
        guard !names.contains(where: \.isEmpty) else {
            throw LakeError(.invalidArgument, "an empty field name in '\(text)' (give field names separated by commas)")
        }
        guard Set(names).count == names.count else { throw LakeError(.invalidArgument, "a field is named twice") }
        return names
    }
}

extension TableConfig {
    /// The raw text of lake setting `key` (also found under a legacy `lake.`-prefixed key inside
    /// ``lake``), trimmed; `nil` when unset.
    func lakeText(_ key: String) -> String? {
        (lake[key] ?? lake[Key.lakePrefix + key]).map { $0.trimmingWhitespace() }
    }
}
