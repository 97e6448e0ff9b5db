import Testing
import Foundation
@testable import LakeIngest

@Test func scratch() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: "/work/shared/fixtures/cdc/dynamodb-streams.jsonl"))
    let b = try ChangeBatchBuilder(mapping: .inferred, tableSchema: nil, keyFields: [], onError: .quarantine)
    try b.append(SourceChunk(bytes: Array(data), file: "dynamodb-streams.jsonl"))
    let batch = try b.finish()
    print(batch.batch.schema.fields.map { "\($0.name): \(ColumnType(field: $0).map { "\($0)" } ?? "?")" })
    print(batch.issues, batch.recordKeyFields, batch.upserts, batch.deletes, batch.end as Any)
    for (f, c) in zip(batch.batch.schema.fields, batch.batch.columns) { print(f.name, c) }
}
