import LakeParquet

/// A ``ParquetSource`` over a ``StorageReader``: a Parquet reader asks for the footer, then for
/// the byte ranges of the column chunks it decodes, and each becomes one ranged read of the
/// storage. LakeParquet stays ignorant of tables and storages.
struct StorageParquetSource: ParquetSource {
    let reader: any StorageReader

    var size: Int { Int(reader.size) }
    var name: String { reader.path }

    func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try reader.read(Int64(range.lowerBound)..<Int64(range.upperBound))
        } catch {
            throw ParquetError(.io, error.message)
        }
        guard bytes.count == range.count else {
            throw ParquetError(
                .truncated,
                "\(name) ended at byte \(range.lowerBound + bytes.count), expected \(range.upperBound)")
        }
        return bytes
    }
}
