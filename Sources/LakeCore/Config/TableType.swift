/// A Hudi table type (`hoodie.table.type`).
///
/// lake writes and reads copy-on-write tables and reads merge-on-read tables (base files merged
/// with their log files). Creating a merge-on-read table, and every operation that writes to
/// one (writes, cleaning, archival, rollback, restore, savepoints, index rebuilds), is refused
/// with `.unsupported` until lake writes log files — never carried out as copy-on-write.
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

    /// Whether lake can create and write tables of this type (both types are readable).
    public var isSupported: Bool { self == .copyOnWrite }

    /// The `.unsupported` error for creating or writing a table of this type, or `nil` if lake
    /// writes it.
    /// - Parameter operation: what was asked (`write`, `clean`), named in the message.
    public func unsupportedError(table: String, operation: String = "create") -> LakeError? {
        guard !isSupported else { return nil }
        return LakeError(
            .unsupported,
            "cannot \(operation) table \(table): it is \(rawValue), and lake reads merge-on-read tables but "
                + "does not write them yet (no \(operation) was attempted; nothing was changed)")
    }
}
