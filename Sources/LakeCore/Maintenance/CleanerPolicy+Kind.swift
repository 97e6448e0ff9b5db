extension CleanerPolicy {
    /// A policy without its count: what the `cleaner.policy` setting names.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// ``CleanerPolicy/keepLatestCommits(_:)``.
        case keepLatestCommits = "KEEP_LATEST_COMMITS"
        /// ``CleanerPolicy/keepLatestFileVersions(_:)``.
        case keepLatestFileVersions = "KEEP_LATEST_FILE_VERSIONS"
    }

    /// The policy's kind.
    public var kind: Kind {
        switch self {
        case .keepLatestCommits: .keepLatestCommits
        case .keepLatestFileVersions: .keepLatestFileVersions
        }
    }
}
