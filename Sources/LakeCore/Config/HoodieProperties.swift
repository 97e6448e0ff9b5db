import LakeBase
/// The key/value content of `.hoodie/hoodie.properties` (format page §3), parsed and written the
/// way both Java Hudi and hudi-rs agree on.
///
/// Parsing (hudi-rs `parse_data_for_options`): one `key=value` per line, split at the **first**
/// `=`, key and value trimmed; lines starting with `#` or `!` and blank lines are skipped, as are
/// lines without `=`. Backslash escapes are not processed, with one exception: `\:` becomes `:`
/// (Java's `Properties.store` escapes every `:` in a value; hudi-rs strips it from
/// `hoodie.table.create.schema`). A later duplicate key wins.
///
/// Writing (``serialized(savedAtMillis:)``): a `#Properties saved on <ISO-8601>` line and a
/// `#<Java Date.toString()>` line like Java's, then the keys in sorted order with
/// `hoodie.table.checksum` last (Java appends it last), `key=value\n`, UTF-8. Only the value of
/// `hoodie.table.create.schema` gets `:` escaped as `\:`, as Java writes it and hudi-rs expects;
/// other values are written verbatim so hudi-rs reads them unchanged.
public struct HoodieProperties: Sendable, Hashable {
    /// The properties, keys and values as stored (unescaped).
    public var values: [String: String]

    /// The path of the file relative to the table root.
    public static let path = ".hoodie/hoodie.properties"
    /// The key whose value is written with `:` escaped.
    public static let createSchemaKey = "hoodie.table.create.schema"
    /// The checksum key, written last.
    public static let checksumKey = "hoodie.table.checksum"

    /// Properties with the given (unescaped) values.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The value of `key`; setting `nil` removes it.
    public subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// Parses the file content.
    /// - Throws: `.corruptTable` if the bytes are not UTF-8.
    public init(bytes: [UInt8]) throws(LakeError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LakeError(.corruptTable, "\(Self.path) is not valid UTF-8")
        }
        self.init(text: text)
    }

    /// Parses the file content.
    public init(text: String) {
        var values: [String: String] = [:]
        for raw in text.split(
            omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        {
            let line = String(raw).trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]).trimmingWhitespace()
            let value = String(line[line.index(after: eq)...]).trimmingWhitespace()
            guard !key.isEmpty else { continue }
            values[key] = value.replacingAll("\\:", with: ":")
        }
        self.values = values
    }

    /// The file content as Java would write it, dated `savedAtMillis` (UTC).
    /// - Throws: `.invalidArgument` if a key is empty or contains `=`, or a key or value contains
    ///   a line break or starts/ends with whitespace (it would not read back the same).
    public func serialized(savedAtMillis: Int64) throws(LakeError) -> [UInt8] {
        let date = CivilTime(utcEpochMillis: savedAtMillis)
        var out = "#Properties saved on \(date.isoString)\n#\(date.javaDateString)\n"
        let keys = values.keys.sorted { a, b in
            if a == Self.checksumKey || b == Self.checksumKey { return b == Self.checksumKey && a != b }
            return a < b
        }
        for key in keys {
            let value = values[key]!
            try Self.check(key: key, value: value)
            out += key + "=" + (key == Self.createSchemaKey ? value.replacingAll(":", with: "\\:") : value) + "\n"
        }
        return Array(out.utf8)
    }

    private static func check(key: String, value: String) throws(LakeError) {
        if key.isEmpty || key.contains("=") || key.hasPrefix("#") || key.hasPrefix("!") {
            throw LakeError(.invalidArgument, "property key '\(key)' cannot be written to \(path)")
        }
        for s in [key, value] where s.contains(where: { $0 == "\n" || $0 == "\r" }) || s != s.trimmingWhitespace() {
            throw LakeError(
                .invalidArgument,
                "property \(key): '\(StoragePath.printable(s))' has a line break or surrounding whitespace and would not read back unchanged from \(path)"
            )
        }
    }

    /// Java `HoodieTableConfig.generateChecksum`: CRC-32 of the UTF-8 bytes of
    /// `"<database>.<table>"`, as a non-negative decimal. `database` is `""` if unset.
    public static func tableChecksum(database: String?, table: String) -> Int64 {
        Int64(CRC32.checksum(Array("\(database ?? "").\(table)".utf8)))
    }
}

extension HoodieProperties {
    /// The copy Java Hudi keeps while it rewrites the file (`HoodieTableConfig.modify`), and
    /// reads when the main file is missing.
    public static let backupPath = ".hoodie/hoodie.properties.backup"

    /// Java `HoodieTableConfig.validateChecksum`, as Java's `fetchConfigs` applies it: when
    /// `hoodie.table.checksum` is present it must equal ``tableChecksum(database:table:)`` of
    /// `hoodie.database.name` (`""` if absent) and `hoodie.table.name`. An absent checksum (tables
    /// written before Hudi 0.10) is accepted, as Java accepts it.
    /// - Throws: `.corruptTable` naming both values when they differ, or when the checksum is not a
    ///   number.
    public func validateChecksum() throws(LakeError) {
        guard let stored = self[Self.checksumKey] else { return }
        guard let value = Int64(stored) else {
            throw LakeError(.corruptTable, "\(Self.path): \(Self.checksumKey)=\(stored) is not a number")
        }
        let database = self["hoodie.database.name"] ?? ""
        let table = self["hoodie.table.name"] ?? ""
        let computed = Self.tableChecksum(database: database, table: table)
        guard value == computed else {
            throw LakeError(
                .corruptTable,
                """
                \(Self.path) is damaged or was edited: \(Self.checksumKey)=\(value), but the CRC-32 of \
                '\(database).\(table)' (hoodie.database.name.hoodie.table.name) is \(computed). Restore the file \
                from \(Self.backupPath) or a backup; if the name was changed on purpose, set \
                \(Self.checksumKey)=\(computed)
                """)
        }
    }

    /// Reads and parses `.hoodie/hoodie.properties`, verifying its checksum (``validateChecksum()``).
    /// - Throws: `.notFound` if the file is missing; `.corruptTable` if it is not UTF-8 or its
    ///   checksum is wrong.
    public static func load(from storage: some TableStorage) throws(LakeError) -> HoodieProperties {
        let p = try HoodieProperties(bytes: storage.read(path))
        try p.validateChecksum()
        return p
    }
}
