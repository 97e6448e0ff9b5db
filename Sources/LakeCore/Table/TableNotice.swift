/// Something lake found wrong with a table and handled without failing the operation: a record
/// index that was stale, missing or damaged and was rebuilt from the base files (or, by a reader,
/// not used). Delivered to ``Table/noticeHandler``; the CLI prints each as a warning.
public struct TableNotice: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Sendable, Hashable {
        /// A write (or archival, or `lake index rebuild`) rebuilt the record index from the base
        /// files; the message says why (a missing or damaged index file, a commit by another
        /// engine).
        case indexRebuilt = "index-rebuilt"
        /// A reader found the record index damaged and read without it (it scans instead).
        case indexIgnored = "index-ignored"
    }

    /// What happened.
    public var kind: Kind
    /// What was found and done, naming the files involved.
    public var message: String

    /// A notice.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension Table {
    /// Reports `message` to ``noticeHandler`` (nothing happens without one).
    func notice(_ kind: TableNotice.Kind, _ message: String) {
        noticeHandler?(TableNotice(kind, message))
    }
}
