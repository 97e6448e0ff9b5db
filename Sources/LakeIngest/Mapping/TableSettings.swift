import LakeCore

/// The table settings a mapping carries; used when ingestion creates the table.
public struct TableSettings: Sendable, Hashable {
    /// The table name (`hoodie.table.name`); the directory name when absent.
    public var name: String?
    /// Record key fields. Empty: the names of the first record's `Keys` (inference).
    public var recordKey: [String]
    /// The ordering field; `nil` uses lake's ``EventOrder`` column.
    public var precombine: String?
    /// Partition fields (columns), outermost first.
    public var partitionFields: [String]
    /// `field=value` partition directories (Hive style), the default.
    public var hiveStyle: Bool
    /// Commits the cleaner retains (`lake.cleaner.commits.retained`), if set.
    public var cleanerCommitsRetained: Int?
    /// Further lake settings (`lake.*` keys) for the table's configuration.
    public var properties: [String: String]

    public init(name: String? = nil, recordKey: [String] = [], precombine: String? = nil, partitionFields: [String] = [],
                hiveStyle: Bool = true, cleanerCommitsRetained: Int? = nil, properties: [String: String] = [:]) {
        self.name = name
        self.recordKey = recordKey
        self.precombine = precombine
        self.partitionFields = partitionFields
        self.hiveStyle = hiveStyle
        self.cleanerCommitsRetained = cleanerCommitsRetained
        self.properties = properties
    }

    /// The key the cleaner setting is stored under in the table's lake settings.
    public static let cleanerCommitsRetainedKey = "lake.cleaner.commits.retained"

    /// The lake settings for the table configuration (`properties` plus the cleaner setting).
    public var lakeProperties: [String: String] {
        var p = properties
        if let n = cleanerCommitsRetained { p[Self.cleanerCommitsRetainedKey] = String(n) }
        return p
    }
}
