/// The cleaner's table settings, read from ``TableConfig`` through the typed settings
/// ``TableSetting/cleanerPolicy``, ``TableSetting/cleanerCommitsRetained``,
/// ``TableSetting/cleanerFileVersionsRetained`` and ``TableSetting/cleanerAutomatic``
/// (persisted in `hoodie.properties` as `lake.cleaner.*`; defaults and Hudi aliases are in
/// their definitions and in docs/tables.md).
///
/// The defaults are Hudi's (`hoodie.clean.automatic=true`, `hoodie.cleaner.commits.retained=10`).
public struct CleanerSettings: Sendable, Hashable {
    /// Which slices to keep.
    public var policy: CleanerPolicy
    /// Whether every write cleans after it commits.
    public var automatic: Bool

    /// Keys in ``TableConfig/lake`` (without the `lake.` prefix).
    public enum Key {
        public static let policy = TableSetting.cleanerPolicy.key
        public static let commitsRetained = TableSetting.cleanerCommitsRetained.key
        public static let fileVersionsRetained = TableSetting.cleanerFileVersionsRetained.key
        public static let automatic = TableSetting.cleanerAutomatic.key
    }

    /// Settings given explicitly.
    public init(policy: CleanerPolicy = .default, automatic: Bool = true) {
        self.policy = policy
        self.automatic = automatic
    }

    /// The table's settings.
    /// - Throws: `.invalidArgument` naming the property and its value when one is malformed.
    public init(config: TableConfig) throws(LakeError) {
        switch try config.value(.cleanerPolicy) {
        case .keepLatestCommits: policy = .keepLatestCommits(try config.value(.cleanerCommitsRetained))
        case .keepLatestFileVersions: policy = .keepLatestFileVersions(try config.value(.cleanerFileVersionsRetained))
        }
        automatic = try config.value(.cleanerAutomatic)
    }
}
