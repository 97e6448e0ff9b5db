/// Timeline archival settings, read from ``TableConfig`` through the typed settings
/// ``TableSetting/archiveMinCommits``, ``TableSetting/archiveMaxCommits`` and
/// ``TableSetting/archiveAutomatic`` (persisted as `lake.archive.*`).
///
/// The defaults are Hudi's (`hoodie.keep.min.commits=20`, `hoodie.keep.max.commits=30`). The
/// minimum must exceed the cleaner's N with `KEEP_LATEST_COMMITS`, so every commit a read may
/// still target stays on the active timeline; when only N is set, the defaults move up with it.
public struct ArchiverSettings: Sendable, Hashable {
    /// Completed commits left on the active timeline after archiving.
    public var minCommits: Int
    /// Archiving starts when the active timeline holds more completed commits than this.
    public var maxCommits: Int
    /// Whether every write archives after it commits.
    public var automatic: Bool

    /// Keys in ``TableConfig/lake`` (without the `lake.` prefix).
    public enum Key {
        public static let minCommits = TableSetting.archiveMinCommits.key
        public static let maxCommits = TableSetting.archiveMaxCommits.key
        public static let automatic = TableSetting.archiveAutomatic.key
    }

    /// Hudi's `hoodie.keep.min.commits`.
    public static let defaultMinCommits = 20
    /// Hudi's `hoodie.keep.max.commits`.
    public static let defaultMaxCommits = 30

    /// Settings given explicitly.
    /// - Throws: `.invalidArgument` unless `1 <= minCommits <= maxCommits`.
    public init(
        minCommits: Int = defaultMinCommits, maxCommits: Int = defaultMaxCommits, automatic: Bool = true
    ) throws(LakeError) {
        guard minCommits >= 1, minCommits <= maxCommits else {
            throw LakeError(
                .invalidArgument, "archival needs 1 <= min commits (\(minCommits)) <= max commits (\(maxCommits))")
        }
        self.minCommits = minCommits
        self.maxCommits = maxCommits
        self.automatic = automatic
    }

    /// The table's settings, checked against its cleaner policy.
    /// - Throws: `.invalidArgument` naming the property when a value is malformed, when
    ///   min > max, or when min is not above the cleaner's retained commits.
    public init(config: TableConfig) throws(LakeError) {
        let cleaner = try CleanerSettings(config: config)
        let retained: Int = if case .keepLatestCommits(let n) = cleaner.policy { n } else { 0 }
        let explicitMin = try config.value(.archiveMinCommits)
        let minCommits = explicitMin ?? max(Self.defaultMinCommits, retained + 1)
        let maxCommits = try config.value(.archiveMaxCommits) ?? max(Self.defaultMaxCommits, minCommits + 10)
        if let m = explicitMin, m <= retained {
            throw LakeError(
                .invalidArgument,
                "table property lake.\(Key.minCommits)=\(m) must be greater than lake.\(CleanerSettings.Key.commitsRetained)=\(retained)"
            )
        }
        guard minCommits >= 1, minCommits <= maxCommits else {
            throw LakeError(
                .invalidArgument,
                "table properties lake.\(Key.minCommits)=\(minCommits) and lake.\(Key.maxCommits)=\(maxCommits): need 1 <= min <= max"
            )
        }
        self.minCommits = minCommits
        self.maxCommits = maxCommits
        self.automatic = try config.value(.archiveAutomatic)
    }
}
