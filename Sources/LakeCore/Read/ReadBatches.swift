import LakeParquet

/// A lazy read of a ``ReadPlan``: each ``next()`` decodes the plan's next slice that has rows
/// the plan keeps and returns its batch (``Table/readBatches(_:)``).
///
/// Slices are read in plan order, one at a time on the calling thread, so memory holds one
/// slice's rows rather than the whole result — the shape a stream of Arrow batches needs. The
/// batches, and their order, are those of the eager ``Table/read(_:)-(ReadPlan)``.
///
/// ```swift
/// var batches = table.readBatches(try table.plan(ReadOptions(predicate: p)))
/// while let batch = try batches.next() { consume(batch) }
/// ```
public struct ReadBatches: Sendable {
    /// The plan being read.
    public let plan: ReadPlan
    private let storage: any TableStorage
    /// The index in ``ReadPlan/slices`` of the next slice to read.
    public private(set) var nextSlice = 0

    init(plan: ReadPlan, storage: any TableStorage) {
        self.plan = plan
        self.storage = storage
    }

    /// The next batch: the rows the plan keeps from its next slice that has any; `nil` once
    /// every slice has been read.
    /// - Throws: `.corruptTable` (or a storage error) naming a file that cannot be read. The
    ///   slice that failed is skipped: calling again continues with the next one.
    public mutating func next() throws(LakeError) -> RecordBatch? {
        while nextSlice < plan.slices.count {
            let slice = plan.slices[nextSlice]
            nextSlice += 1
            if let batch = try Table.readSlice(slice, of: plan, storage: storage) { return batch }
        }
        return nil
    }

    /// Reads every remaining batch.
    public mutating func collect() throws(LakeError) -> [RecordBatch] {
        var out: [RecordBatch] = []
        while let b = try next() { out.append(b) }
        return out
    }
}
