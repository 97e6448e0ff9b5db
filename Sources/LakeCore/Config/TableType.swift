/// A Hudi table type (`hoodie.table.type`).
///
/// lake writes and reads copy-on-write tables. A merge-on-read table's configuration parses (so
/// its properties can be inspected), but ``Table/open(_:)`` and ``Table/create(at:config:schema:)``
/// refuse it with `.unsupported` until lake reads log files.
public enum TableType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Every write rewrites the base files it touches.
    case copyOnWrite = "COPY_ON_WRITE"
    /// Writes append log files that readers merge with the base files.
    case mergeOnRead = "MERGE_ON_READ"

    /// Parses the spellings Hudi accepts, case-insensitively: `COPY_ON_WRITE` / `MERGE_ON_READ`,
    /// with `-` for `_`, and the short forms `COW` / `MOR`.
    public init?(propertyValue: String) {
        switch propertyValue.trimmingWhitespace().uppercased().replacingAll("-", with: "_") {
        case "COPY_ON_WRITE", "COW": self = .copyOnWrite
        case "MERGE_ON_READ", "MOR": self = .mergeOnRead
        default: return nil
        }
    }

    /// The property value (`COPY_ON_WRITE`).
    public var description: String { rawValue }

    /// Whether lake can read and write tables of this type.
    public var isSupported: Bool { self == .copyOnWrite }

    /// The `.unsupported` error for a table of this type, or `nil` if lake supports it.
    public func unsupportedError(table: String) -> LakeError? {
        guard !isSupported else { return nil }
        return LakeError(
            .unsupported,
            "table \(table) is \(rawValue); lake reads and writes COPY_ON_WRITE tables only "
                + "(merge-on-read is not supported yet)")
    }
}
