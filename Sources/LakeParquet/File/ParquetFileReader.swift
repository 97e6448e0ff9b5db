import Dispatch
import LakeBase

/// Reads a Parquet file: footer, schema, and row groups decoded into ``RecordBatch``es.
///
/// Only the footer is read on open. `readRowGroup` reads and decodes the column chunks of one
/// row group — only those of the requested columns — so memory stays bounded by a row group.
/// ``rowGroups(matching:)`` uses column statistics to skip row groups a predicate cannot match.
/// Any malformed structure yields a ``ParquetError`` naming the row group, column chunk, page
/// and offset.
public final class ParquetFileReader: @unchecked Sendable {
    public let source: ParquetSource
    public let metadata: FileMetaData
    public let schema: ParquetSchema
    private let shapes: [ColumnShape]
    /// Decode the column chunks of a row group on several threads.
    public var parallelDecoding = true

    /// Opens the file at `path`.
    public convenience init(path: String) throws(ParquetError) {
        try self.init(source: FileSource(path: path))
    }

    /// Opens a file held in memory.
    public convenience init(bytes: [UInt8]) throws(ParquetError) {
        try self.init(source: MemorySource(bytes))
    }

    public init(source: ParquetSource) throws(ParquetError) {
        self.source = source
        let size = source.size
        let name = source.name
        guard size >= 12 else {
            throw ParquetError(.truncated, "\(name): \(size) bytes is too small for a Parquet file (at least 12)")
        }
        let head = try source.read(0..<4)
        let tail = try source.read((size - 8)..<size)
        if tail[4..<8].elementsEqual("PARE".utf8) {
            throw ParquetError(.unsupported, "\(name): encrypted Parquet files (PARE) are not supported")
        }
        guard head.elementsEqual("PAR1".utf8), tail[4..<8].elementsEqual("PAR1".utf8) else {
            throw ParquetError(.corrupt, "\(name): not a Parquet file (magic bytes PAR1 missing at the start or end)")
        }
        let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength > 0, footerLength <= size - 12 else {
            throw ParquetError(.corrupt, "\(name): footer length \(footerLength) does not fit in a \(size)-byte file")
        }
        let footerStart = size - 8 - footerLength
        let footer = try source.read(footerStart..<(size - 8))
        do throws(ParquetError) {
            metadata = try footer.withRawBytes { raw throws(ParquetError) in try FileMetaData(thriftBytes: raw) }
            schema = try ParquetSchema(elements: metadata.schema)
            shapes = try ColumnShape.shapes(for: schema)
        } catch {
            throw error.located("\(name): footer at offset \(footerStart)")
        }
        try validate(footerStart: footerStart)
    }

    private func validate(footerStart: Int) throws(ParquetError) {
        let leaves = schema.leaves
        for (r, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == leaves.count else {
                throw ParquetError(
                    .corrupt,
                    "\(source.name): row group \(r) has \(group.columns.count) column chunks, the schema has \(leaves.count) leaves"
                )
            }
            guard group.numRows >= 0 else {
                throw ParquetError(.corrupt, "\(source.name): row group \(r) has \(group.numRows) rows")
            }
            for (c, chunk) in group.columns.enumerated() {
                let where_ = "\(source.name): row group \(r), column chunk \(leaves[c].dottedPath)"
                if chunk.filePath != nil { throw ParquetError(.unsupported, "\(where_): column data in another file") }
                guard let m = chunk.metaData else { throw ParquetError(.corrupt, "\(where_): no column metadata") }
                guard m.type == leaves[c].physicalType else {
                    throw ParquetError(
                        .corrupt, "\(where_): chunk type \(m.type.name) but schema type \(leaves[c].physicalType.name)")
                }
                guard let range = Self.chunkRange(m) else {
                    throw ParquetError(
                        .corrupt,
                        "\(where_): data page offset \(m.dataPageOffset), dictionary page offset \(m.dictionaryPageOffset.map(String.init) ?? "none") and compressed size \(m.totalCompressedSize) do not form a byte range"
                    )
                }
                guard range.isEmpty && m.numValues == 0 || range.lowerBound >= 4 && range.upperBound <= footerStart
                else {
                    throw ParquetError(
                        .corrupt, "\(where_): byte range \(range) lies outside the data section 4..<\(footerStart)")
                }
            }
        }
    }

    /// The bytes of a column chunk: from its first page (the dictionary page when there is one) for
    /// `total_compressed_size` bytes; `nil` when the footer's numbers do not form a range (a negative
    /// offset or size, or an end past `Int.max`) — hostile input, refused by ``validate(footerStart:)``.
    static func chunkRange(_ m: ColumnMetaData) -> Range<Int>? {
        var start = Int(m.dataPageOffset)
        // Some writers (pyarrow for 0-row chunks) leave the data page offset 0 when the chunk
        // holds only a dictionary page.
        if let d = m.dictionaryPageOffset, d > 0, d < m.dataPageOffset || m.dataPageOffset == 0 { start = Int(d) }
        let length = Int(clamping: m.totalCompressedSize)
        if length == 0 { return 0..<0 }
        guard start >= 0, length > 0 else { return nil }
        let (end, overflow) = start.addingReportingOverflow(length)
        return overflow ? nil : start..<end
    }

    public var rowGroupCount: Int { metadata.rowGroups.count }
    public var rowCount: Int { Int(metadata.numRows) }

    /// Decodes row group `index`. `columns` names top-level fields (nil = all) in the order wanted.
    public func readRowGroup(_ index: Int, columns: [String]? = nil) throws(ParquetError) -> RecordBatch {
        guard index >= 0 && index < rowGroupCount else {
            throw ParquetError(.invalidArgument, "row group \(index) does not exist (the file has \(rowGroupCount))")
        }
        let fieldIndices: [Int]
        if let columns {
            var idx: [Int] = []
            for n in columns {
                guard let i = schema.fieldIndex(n) else {
                    throw ParquetError(
                        .invalidArgument,
                        "\(source.name): no column '\(n)' (columns: \(schema.fields.map(\.name).joined(separator: ", ")))"
                    )
                }
                idx.append(i)
            }
            fieldIndices = idx
        } else {
            fieldIndices = Array(schema.fields.indices)
        }
        let group = metadata.rowGroups[index]
        let needed = fieldIndices.flatMap { schema.leafRange(ofField: $0) }
        let leaves = schema.leaves
        let source = self.source
        let decoded = parallelMap(needed.count, parallel: parallelDecoding) { k -> Result<LeafData, ParquetError> in
            let c = needed[k]
            let m = group.columns[c].metaData!
            let range = ParquetFileReader.chunkRange(m)!  // validated when the file was opened
            do throws(ParquetError) {
                let bytes = range.isEmpty ? [] : try source.read(range)
                let reader = ColumnChunkReader(descriptor: leaves[c], metadata: m, fileOffset: range.lowerBound)
                return .success(try bytes.withRawBytes { raw throws(ParquetError) in try reader.read(raw) })
            } catch {
                return .failure(
                    error.located("\(source.name): row group \(index), column chunk \(leaves[c].dottedPath)"))
            }
        }
        var results = [Result<LeafData, ParquetError>?](repeating: nil, count: leaves.count)
        for (k, c) in needed.enumerated() { results[c] = decoded[k] }
        var leafData: [LeafData] = []
        leafData.reserveCapacity(leaves.count)
        let placeholder = LeafData(
            definitionLevels: nil, repetitionLevels: nil, values: .int32([]), entryCount: 0, rowCount: 0)
        for r in results {
            switch r {
            case .none: leafData.append(placeholder)
            case .success(let l)?: leafData.append(l)
            case .failure(let e)?: throw e
            }
        }
        let assembler = ColumnAssembler(leaves: leafData)
        var cols: [Column] = []
        for f in fieldIndices {
            do throws(ParquetError) {
                let col = try assembler.assemble(shapes[f])
                guard col.count == Int(group.numRows) else {
                    throw ParquetError(.corrupt, "\(col.count) rows decoded, row group declares \(group.numRows)")
                }
                cols.append(col)
            } catch {
                throw error.located("\(source.name): row group \(index), column '\(schema.fields[f].name)'")
            }
        }
        let projected = ParquetSchema(fieldIndices.map { schema.fields[$0] }, rootName: schema.rootName)
        return RecordBatch(schema: projected, columns: cols, rowCount: Int(group.numRows))
    }

    /// Indices of the row groups whose statistics allow a row matching `predicate`.
    public func rowGroups(matching predicate: ParquetPredicate?) -> [Int] {
        guard let predicate else { return Array(0..<rowGroupCount) }
        return (0..<rowGroupCount).filter { predicate.mightMatch(rowGroup: metadata.rowGroups[$0], schema: schema) }
    }

    /// Decodes every row group that `filter` might match (all when nil). Rows inside a kept
    /// row group are not filtered.
    public func readAll(columns: [String]? = nil, filter: ParquetPredicate? = nil) throws(ParquetError) -> [RecordBatch]
    {
        var out: [RecordBatch] = []
        for i in rowGroups(matching: filter) { out.append(try readRowGroup(i, columns: columns)) }
        return out
    }
}
