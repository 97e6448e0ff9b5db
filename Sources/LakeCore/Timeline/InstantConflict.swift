/// Why a write failed with ``LakeError/Code/conflict`` because another writer completed its
/// instant first: the ``LakeError/cause`` of that error, so callers can tell it from a held
/// writer lock (also `.conflict`) and re-plan.
///
/// ```swift
/// do { try table.write(batch, operation: .upsert) } catch where error.instantConflict != nil {
///     // another writer completed the instant; this write was rolled back — re-plan and retry
/// }
/// ```
public struct InstantConflict: Error, Sendable, Hashable, CustomStringConvertible {
    /// The completed instant this writer tried to publish (`<ts>.commit`, `<ts>.clean`, …).
    public var instant: Instant

    /// A conflict on `instant`.
    public init(instant: Instant) {
        self.instant = instant
    }

    public var description: String {
        "instant \(instant.timestamp) (\(instant.fileName)) was completed by another writer"
    }
}

extension LakeError {
    /// The instant another writer completed first, when this is a completion conflict.
    public var instantConflict: InstantConflict? { cause as? InstantConflict }
}
