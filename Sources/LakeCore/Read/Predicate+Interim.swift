// INTERIM (not to be committed): conservative stand-ins until the predicate helper lands.
import LakeParquet
extension Predicate {
    public func mightMatch(partitionValues: [String: String?], schema: [ParquetField]) -> Bool { true }
    public func parquetPredicate(schema: ParquetSchema) -> ParquetPredicate? { nil }
    public func evaluate(_ batch: RecordBatch) throws(LakeError) -> [Bool] { [Bool](repeating: true, count: batch.rowCount) }
}
extension RecordBatch {
    public func filter(_ keep: [Bool]) -> RecordBatch { slice(0..<rowCount) }
}
extension Predicate {
    public init(parsing text: String) throws(LakeError) { throw LakeError(.unsupported, "--where is not available yet") }
}
