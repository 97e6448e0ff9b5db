/// One file of the timeline in `.hoodie/` (timeline layout 1): an action at an instant time in
/// one of three states.
///
/// File names (format page §1, §2), for timestamp `ts`:
///
/// | action | requested | inflight | completed |
/// |---|---|---|---|
/// | commit | `ts.commit.requested` | `ts.inflight` | `ts.commit` |
/// | any other action `a` | `ts.a.requested` | `ts.a.inflight` | `ts.a` |
///
/// A commit's inflight file has no action word. `ts.commit.inflight` is not a Java name and does
/// not parse. ``init(fileName:)`` and ``fileName`` round-trip exactly.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The instant time: 17 digits as lake writes (`yyyyMMddHHmmssSSS`), or 14 digits from older writers.
    public var timestamp: String
    /// What the instant does.
    public var action: Action
    /// Where the instant is in its life cycle.
    public var state: State

    /// The kinds of timeline actions Java Hudi writes.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// A copy-on-write write (insert, upsert, delete, bulk insert).
        case commit
        /// A merge-on-read write; loaded like a commit by hudi-rs on COW tables.
        case deltacommit
        /// A write that replaces file groups (insert overwrite, delete partition, clustering).
        case replacecommit
        /// Removal of old file slices (its files are Avro; ignored by hudi-rs).
        case clean
        /// Undo of a failed write.
        case rollback
        case savepoint
        case restore
        /// MOR compaction plan; completes as a `.commit`.
        case compaction
        case logcompaction
        case indexing

        /// Whether instants of this action add data files to the table (commit, deltacommit,
        /// replacecommit): the actions whose completion makes files visible (format page §7.2).
        public var isWrite: Bool {
            self == .commit || self == .deltacommit || self == .replacecommit
        }
    }

    /// The life-cycle state of an instant; ordered requested < inflight < completed.
    public enum State: String, Sendable, Hashable, Comparable, CaseIterable {
        case requested
        case inflight
        case completed

        var rank: Int {
            switch self {
            case .requested: 0
            case .inflight: 1
            case .completed: 2
            }
        }

        /// Life-cycle order.
        public static func < (a: State, b: State) -> Bool { a.rank < b.rank }
    }

    /// An instant; `timestamp` is not validated.
    public init(timestamp: String, action: Action, state: State) {
        self.timestamp = timestamp
        self.action = action
        self.state = state
    }

    /// Parses a timeline file name; `nil` for anything that is not an instant file
    /// (`hoodie.properties`, `archived`, unknown actions, timestamps that are not 14 or 17 digits).
    public init?(fileName: String) {
        let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        let ts = String(parts[0])
        guard ts.isAllASCIIDigits, ts.utf8.count == 17 || ts.utf8.count == 14 else { return nil }
        if parts.count == 2 {
            if parts[1] == "inflight" {
                self.init(timestamp: ts, action: .commit, state: .inflight)
                return
            }
            guard let action = Action(rawValue: String(parts[1])) else { return nil }
            self.init(timestamp: ts, action: action, state: .completed)
            return
        }
        guard let action = Action(rawValue: String(parts[1])) else { return nil }
        switch parts[2] {
        case "requested":
            self.init(timestamp: ts, action: action, state: .requested)
        case "inflight" where action != .commit:
            self.init(timestamp: ts, action: action, state: .inflight)
        default:
            return nil
        }
    }

    /// The file name of this instant in `.hoodie/`.
    public var fileName: String {
        switch state {
        case .completed: "\(timestamp).\(action.rawValue)"
        case .inflight: action == .commit ? "\(timestamp).inflight" : "\(timestamp).\(action.rawValue).inflight"
        case .requested: "\(timestamp).\(action.rawValue).requested"
        }
    }

    /// The same instant in another state.
    public func with(state: State) -> Instant {
        Instant(timestamp: timestamp, action: action, state: state)
    }

    /// Whether the state is `.completed`.
    public var isCompleted: Bool { state == .completed }

    /// The file name.
    public var description: String { fileName }

    /// The timestamp widened to 17 digits (`…000` appended to a 14-digit one), for ordering.
    public var normalizedTimestamp: String {
        Instant.normalize(timestamp)
    }

    /// A 14-digit instant time widened to 17 digits; other strings unchanged.
    public static func normalize(_ ts: String) -> String {
        ts.utf8.count == 14 && ts.isAllASCIIDigits ? ts + "000" : ts
    }

    /// Orders by timestamp (14-digit ones read as `…000`), then state (requested, inflight,
    /// completed), then action name.
    public static func < (a: Instant, b: Instant) -> Bool {
        let ta = a.normalizedTimestamp, tb = b.normalizedTimestamp
        if ta != tb { return ta < tb }
        if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
        if a.state != b.state { return a.state < b.state }
        return a.action.rawValue < b.action.rawValue
    }
}
