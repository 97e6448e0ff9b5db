/// The cleaner's table settings, read from ``TableConfig/lake`` (persisted in
/// `hoodie.properties` as `lake.cleaner.*`).
///
/// | property | default | meaning |
/// |---|---|---|
/// | `lake.cleaner.policy` | `KEEP_LATEST_COMMITS` | or `KEEP_LATEST_FILE_VERSIONS` |
/// | `lake.cleaner.commits.retained` | 10 | N for `KEEP_LATEST_COMMITS` |
/// | `lake.cleaner.file.versions.retained` | 3 | N for `KEEP_LATEST_FILE_VERSIONS` |
/// | `lake.cleaner.automatic` | `true` | clean after every commit |
///
/// The defaults are Hudi's (`hoodie.clean.automatic=true`, `hoodie.cleaner.commits.retained=10`).
public struct CleanerSettings: Sendable, Hashable {
    /// Which slices to keep.
    public var policy: CleanerPolicy
    /// Whether every write cleans after it commits.
    public var automatic: Bool

    /// Keys in ``TableConfig/lake`` (without the `lake.` prefix).
    public enum Key {
        public static let policy = "cleaner.policy"
        public static let commitsRetained = "cleaner.commits.retained"
        public static let fileVersionsRetained = "cleaner.file.versions.retained"
        public static let automatic = "cleaner.automatic"
    }

    /// Settings given explicitly.
    public init(policy: CleanerPolicy = .default, automatic: Bool = true) {
        self.policy = policy
        self.automatic = automatic
    }

    /// The table's settings.
    /// - Throws: `.invalidArgument` naming the property and its value when one is malformed.
    public init(config: TableConfig) throws(LakeError) {
        let name = Self.setting(config, Key.policy) ?? "KEEP_LATEST_COMMITS"
        let isFileVersions = name.uppercased() == "KEEP_LATEST_FILE_VERSIONS"
        let countKey = isFileVersions ? Key.fileVersionsRetained : Key.commitsRetained
        let count = try Self.integer(config, countKey) ?? (isFileVersions ? CleanerPolicy.defaultFileVersionsRetained : CleanerPolicy.defaultCommitsRetained)
        do {
            policy = try CleanerPolicy(name: name, retained: count)
        } catch {
            throw LakeError(.invalidArgument, "table property lake.\(Key.policy) / lake.\(countKey): \(error.message)")
        }
        automatic = try Self.boolean(config, Key.automatic) ?? true
    }

    /// The value of `lake.<key>`. Accepts the key with or without the `lake.` prefix inside
    /// ``TableConfig/lake``, since both spellings occur.
    static func setting(_ config: TableConfig, _ key: String) -> String? {
        guard let raw = config.lake[key] ?? config.lake[TableConfig.Key.lakePrefix + key] else { return nil }
        var s = Substring(raw)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    /// An integer setting; `nil` when absent.
    static func integer(_ config: TableConfig, _ key: String) throws(LakeError) -> Int? {
        guard let text = setting(config, key) else { return nil }
        guard let v = Int(text) else {
            throw LakeError(.invalidArgument, "table property lake.\(key)=\(text) is not an integer")
        }
        return v
    }

    /// A boolean setting (`true`/`false`, any case); `nil` when absent.
    static func boolean(_ config: TableConfig, _ key: String) throws(LakeError) -> Bool? {
        guard let text = setting(config, key) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw LakeError(.invalidArgument, "table property lake.\(key)=\(text) is not true or false")
        }
    }
}
