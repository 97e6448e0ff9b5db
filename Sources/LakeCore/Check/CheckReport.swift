/// What ``Table/check()`` found: every problem (what, where), and what it looked at.
public struct CheckReport: Sendable, Hashable {
    /// A kind of problem.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Comparable {
        /// `hoodie.properties` has a wrong `hoodie.table.checksum`.
        case propertiesChecksum = "properties-checksum"
        /// A completed commit's metadata cannot be read or parsed.
        case commitMetadata = "commit-metadata"
        /// The listing cannot be made into file groups (a `*.parquet` name that is not a base file
        /// name, two files of one group at one instant).
        case listing = "listing"
        /// A base file a readable snapshot needs is not there.
        case missingFile = "missing-file"
        /// A base file is not the size its commit's write stat says.
        case sizeMismatch = "size-mismatch"
        /// A visible base file named with an active commit's instant that the commit did not write.
        case unexpectedFile = "unexpected-file"
        /// A base file does not open as Parquet.
        case unreadableFile = "unreadable-file"
        /// A base file's row count is not its write stat's `numWrites`.
        case rowCountMismatch = "row-count-mismatch"
        /// A record key is held by two rows of the latest snapshot.
        case duplicateKey = "duplicate-key"
        /// A record index file is damaged (checksum, header, truncation).
        case indexDamaged = "index-damaged"
        /// The record index file of a lake commit is missing.
        case indexMissing = "index-missing"
        /// The record index disagrees with the data: a key indexed to the wrong file group, not
        /// indexed, or indexed to a group that does not hold it.
        case indexMismatch = "index-mismatch"

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// One problem.
    public struct Problem: Sendable, Hashable {
        /// What kind of problem.
        public var kind: Kind
        /// Where: the file (table-relative path), or the key for key problems.
        public var location: String
        /// What is wrong, naming the values involved.
        public var message: String

        /// A problem.
        public init(kind: Kind, location: String, message: String) {
            self.kind = kind
            self.location = location
            self.message = message
        }
    }

    /// The table's root.
    public var table: String
    /// The problems listed, by kind, then location. At most ``listLimit`` per kind; the rest are
    /// counted in ``unlisted``.
    public var problems: [Problem] = []
    /// Problems found beyond ``listLimit`` per kind.
    public var unlisted: [Kind: Int] = [:]
    /// Completed commits whose metadata was read (active and archived).
    public var commitsChecked = 0
    /// Snapshots whose files were checked: the latest, and as of every readable commit.
    public var snapshotsChecked = 0
    /// Base files opened.
    public var filesChecked = 0
    /// Their bytes.
    public var bytesChecked: Int64 = 0
    /// Rows of the latest snapshot whose keys were checked against the record index.
    public var keysChecked = 0
    /// Live and deleted entries of the record index.
    public var indexEntries = 0
    /// The record index: `current`, `damaged`, `missing`, or `stale (…)` when another engine's
    /// commit is newer (the next lake write rebuilds it; not a problem).
    public var indexStatus = "current"

    /// Kind and location of every problem added.
    private var seen: Set<String> = []

    /// How many problems of one kind are listed.
    public static let listLimit = 50

    /// A report for `table` with nothing found yet.
    public init(table: String) {
        self.table = table
    }

    /// Whether nothing is wrong.
    public var isClean: Bool { problems.isEmpty }

    /// Every problem found, listed or not.
    public var problemCount: Int { problems.count + unlisted.values.reduce(0, +) }

    /// Adds a problem (counted, not listed, past ``listLimit`` of its kind; a second problem of
    /// the same kind at the same location is dropped).
    mutating func add(_ kind: Kind, _ location: String, _ message: String) {
        let p = Problem(kind: kind, location: location, message: message)
        guard seen.insert("\(kind.rawValue)\u{0}\(location)").inserted else { return }
        if problems.count(where: { $0.kind == kind }) >= Self.listLimit {
            unlisted[kind, default: 0] += 1
        } else {
            problems.append(p)
        }
    }

    /// Sorts the problems by kind, then location.
    mutating func sort() {
        problems.sort { ($0.kind, $0.location, $0.message) < ($1.kind, $1.location, $1.message) }
    }
}
