/// Which file slices the cleaner keeps (Hudi's `hoodie.cleaner.policy`).
///
/// Whatever the policy, the cleaner never deletes the latest slice of a live file group, nor a
/// slice that a read as of a savepointed commit needs.
public enum CleanerPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Keep every slice that a read as of any of the latest `n` completed commits needs: for each
    /// such commit `c`, the slice as of `c` of every file group live at `c`. Time travel,
    /// incremental and change-feed reads inside that window stay exact. File groups replaced by
    /// a replacecommit older than the window are deleted whole.
    case keepLatestCommits(Int)
    /// Keep the newest `n` slices of every live file group; delete replaced file groups whole.
    /// Promises nothing about time travel: the cleaner records how far back reads stay exact.
    case keepLatestFileVersions(Int)

    /// Hudi's default number of retained commits (`hoodie.cleaner.commits.retained`).
    public static let defaultCommitsRetained = 10
    /// Hudi's default number of retained file versions (`hoodie.cleaner.fileversions.retained`).
    public static let defaultFileVersionsRetained = 3
    /// `KEEP_LATEST_COMMITS` with 10 commits, as in Hudi.
    public static let `default` = CleanerPolicy.keepLatestCommits(defaultCommitsRetained)

    /// The policy name Hudi uses: `KEEP_LATEST_COMMITS` or `KEEP_LATEST_FILE_VERSIONS`.
    public var name: String {
        switch self {
        case .keepLatestCommits: "KEEP_LATEST_COMMITS"
        case .keepLatestFileVersions: "KEEP_LATEST_FILE_VERSIONS"
        }
    }

    /// The number of commits or file versions retained.
    public var retained: Int {
        switch self {
        case .keepLatestCommits(let n), .keepLatestFileVersions(let n): n
        }
    }

    /// `KEEP_LATEST_COMMITS(10)`.
    public var description: String { "\(name)(\(retained))" }

    /// A policy from its Hudi name and count.
    /// - Throws: `.invalidArgument` for an unknown name or a count below 1.
    public init(name: String, retained: Int) throws(LakeError) {
        guard retained >= 1 else {
            throw LakeError(
                .invalidArgument,
                "the cleaner must retain at least 1 \(name == "KEEP_LATEST_FILE_VERSIONS" ? "file version" : "commit"), not \(retained)"
            )
        }
        switch name.uppercased() {
        case "KEEP_LATEST_COMMITS": self = .keepLatestCommits(retained)
        case "KEEP_LATEST_FILE_VERSIONS": self = .keepLatestFileVersions(retained)
        default:
            throw LakeError(
                .invalidArgument,
                "unknown cleaner policy '\(name)'; use KEEP_LATEST_COMMITS or KEEP_LATEST_FILE_VERSIONS")
        }
    }
}
