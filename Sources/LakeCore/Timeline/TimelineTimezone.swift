/// How instant times on a table's timeline map to real time: the table property
/// `hoodie.table.timeline.timezone`.
///
/// lake writes `UTC` (the hudi-rs default). Java Hudi's default when the property is absent is
/// `LOCAL` (the writer machine's zone), which is what the Java-written reference tables use.
public enum TimelineTimezone: String, Sendable, Hashable, CaseIterable {
    /// Instant digits are UTC wall-clock time.
    case utc = "UTC"
    /// Instant digits are the local wall-clock time of this process (`TZ`).
    case local = "LOCAL"

    /// Parses the property value case-insensitively (`utc`, `UTC`, `local`, `LOCAL`).
    public init?(propertyValue: String) {
        switch propertyValue.trimmingWhitespace().uppercased() {
        case "UTC": self = .utc
        case "LOCAL": self = .local
        default: return nil
        }
    }
}
