/// How writers share a table: Hudi's `hoodie.write.concurrency.mode`.
public enum WriteConcurrencyMode: String, Sendable, Hashable, CaseIterable {
    /// One writer at a time: a write holds the table's writer lock (``WriterLock``) from start to
    /// finish; a second writer waits (``Table/lockWaitMillis``) or fails with `.conflict`.
    case singleWriter = "SINGLE_WRITER"
    /// Several writers at once (Hudi's optimistic concurrency control): each plans against the
    /// snapshot it started from and, just before completing, checks every commit completed
    /// since; one that changed the same file groups, partitions it replaced, or the same new
    /// keys makes this write a loser — rolled back and failed with a ``WriteConflict``. The
    /// writer lock is held only for that check and the completion.
    case optimisticConcurrencyControl = "OPTIMISTIC_CONCURRENCY_CONTROL"

    /// The mode named `text` (case-insensitive, as Hudi's enum names).
    public init?(name text: String) {
        guard let m = Self(rawValue: text.uppercased()) else { return nil }
        self = m
    }
}
