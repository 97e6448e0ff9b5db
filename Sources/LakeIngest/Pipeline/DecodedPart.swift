import LakeCore
import LakeParquet

/// The columns one decoder produced, with where each row came from.
struct DecodedPart {
    var columns: [(String, TypedColumn)]
    var sources: [RowSource]
    var upserts: Int
    var deletes: Int
    var byteCount: Int

    /// Finishes `decoder` (ending its use).
    init(_ decoder: ChangeRecordDecoder) {
        upserts = decoder.upserts
        deletes = decoder.deletes
        byteCount = decoder.estimatedByteCount
        (columns, sources) = decoder.finish()
    }

    init(columns: [(String, TypedColumn)], sources: [RowSource], upserts: Int, deletes: Int) {
        self.columns = columns
        self.sources = sources
        self.upserts = upserts
        self.deletes = deletes
        byteCount = 0
    }

    /// The parts one after another. Parts of fixed-type decoders have the same columns; any
    /// difference is a bug, reported rather than mixed.
    static func concatenate(_ parts: [DecodedPart]) throws(LakeError) -> DecodedPart {
        guard let first = parts.first else { return DecodedPart(columns: [], sources: [], upserts: 0, deletes: 0) }
        if parts.count == 1 { return first }
        let shape = first.columns.map { [$0.0, $0.1.type.description] }
        for p in parts.dropFirst() where p.columns.map({ [$0.0, $0.1.type.description] }) != shape {
            throw LakeError(
                .invalidInput,
                "decoded parts of one batch have different columns (a bug in lake; please report it): \(shape) and \(p.columns.map { [$0.0, $0.1.type.description] })"
            )
        }
        var columns: [(String, TypedColumn)] = []
        for (i, (name, typed)) in first.columns.enumerated() {
            columns.append((name, TypedColumn(Column.concatenate(parts.map { $0.columns[i].1.column }), typed.type)))
        }
        return DecodedPart(
            columns: columns, sources: parts.flatMap(\.sources),
            upserts: parts.reduce(0) { $0 + $1.upserts }, deletes: parts.reduce(0) { $0 + $1.deletes })
    }
}
