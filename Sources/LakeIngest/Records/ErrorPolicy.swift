/// What to do with a record that cannot be ingested (malformed JSON, no key, a value that does
/// not fit its column).
public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
    /// Write the record, its position and the reason to the table's error log and go on.
    case quarantine
    /// Stop: the batch fails with the record's position and reason, and nothing is committed.
    case fail
}
