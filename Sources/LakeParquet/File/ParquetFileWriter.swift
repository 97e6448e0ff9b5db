import Dispatch
import LakeBase

/// Writes a Parquet file from columnar ``RecordBatch``es.
///
/// Batches are shredded into per-leaf levels and values as they arrive; a row group is closed
/// when its estimated size reaches ``ParquetWriterOptions/rowGroupSize`` or its row count
/// reaches ``ParquetWriterOptions/maxRowsPerRowGroup``, and its column chunks are encoded (on
/// both cores when ``ParquetWriterOptions/parallelEncoding`` is set) and appended. `close()`
/// writes the footer. A writer is used from one thread at a time.
public final class ParquetFileWriter {
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions
    private let sink: ParquetSink
    private let shapes: [ColumnShape]
    private var shredder: ColumnShredder
    private var pendingRows = 0
    private var pendingBytes = 0
    private var offset: Int64 = 0
    private var rowGroups: [RowGroup] = []
    private var totalRows: Int64 = 0
    private var closed = false

    /// Creates a writer that writes to `sink`.
    public init(sink: ParquetSink, schema: ParquetSchema, options: ParquetWriterOptions = .init()) throws(ParquetError)
    {
        guard !schema.fields.isEmpty else {
            throw ParquetError(.invalidArgument, "a Parquet schema needs at least one field")
        }
        guard PageCompression.isSupported(options.codec) else {
            throw ParquetError(.unsupported, "codec \(options.codec.name) is not supported for writing")
        }
        self.sink = sink
        self.schema = schema
        self.options = options
        self.shapes = try ColumnShape.shapes(for: schema)
        self.shredder = ColumnShredder(schema: schema)
        try emit(Array("PAR1".utf8))
    }

    /// Creates (or truncates) the file at `path`. With `durable`, `close()` fsyncs it.
    public convenience init(
        path: String, schema: ParquetSchema, options: ParquetWriterOptions = .init(), durable: Bool = false
    ) throws(ParquetError) {
        try self.init(sink: FileSink(path: path, durable: durable), schema: schema, options: options)
    }

    /// Appends the rows of `batch`, whose schema must equal the writer's.
    public func write(_ batch: RecordBatch) throws(ParquetError) {
        guard !closed else { throw ParquetError(.invalidArgument, "write after close") }
        guard batch.schema.fields == schema.fields else {
            throw ParquetError(
                .invalidArgument,
                "batch schema does not match the writer's schema (batch columns: \(batch.schema.fields.map(\.name)), file columns: \(schema.fields.map(\.name)))"
            )
        }
        guard batch.rowCount > 0 else { return }
        let bytesPerRow = max(1, batch.estimatedByteSize / batch.rowCount)
        var start = 0
        while start < batch.rowCount {
            var room = batch.rowCount - start
            if let maxRows = options.maxRowsPerRowGroup { room = min(room, max(1, maxRows - pendingRows)) }
            room = min(room, max(1, (options.rowGroupSize - pendingBytes + bytesPerRow - 1) / bytesPerRow))
            let piece = (start == 0 && room == batch.rowCount) ? batch : batch.slice(start..<(start + room))
            for (i, shape) in shapes.enumerated() {
                do { try shredder.shred(piece.columns[i], shape: shape) } catch {
                    throw error.located("column '\(schema.fields[i].name)'")
                }
            }
            pendingRows += room
            pendingBytes += room * bytesPerRow
            start += room
            if pendingBytes >= options.rowGroupSize || pendingRows >= (options.maxRowsPerRowGroup ?? Int.max) {
                try flushRowGroup()
            }
        }
    }

    /// Closes the current row group, if it has rows.
    public func flushRowGroup() throws(ParquetError) {
        guard pendingRows > 0 else { return }
        let leaves = shredder.leaves.map(\.leafData)
        shredder = ColumnShredder(schema: schema)
        let descriptors = schema.leaves
        let options = self.options
        let outputs = try parallelMap(leaves.count, parallel: options.parallelEncoding) { i throws(ParquetError) in
            try ColumnChunkWriter(descriptor: descriptors[i], options: options).write(leaves[i])
        }
        var chunks: [ColumnChunk] = []
        var totalByteSize: Int64 = 0
        var totalCompressed: Int64 = 0
        let groupOffset = offset
        for output in outputs {
            var o = output
            let base = offset
            o.metadata.dataPageOffset += base
            if let d = o.metadata.dictionaryPageOffset { o.metadata.dictionaryPageOffset = d + base }
            try emit(o.bytes)
            totalByteSize += o.metadata.totalUncompressedSize
            totalCompressed += o.metadata.totalCompressedSize
            chunks.append(
                ColumnChunk(
                    fileOffset: o.metadata.dictionaryPageOffset ?? o.metadata.dataPageOffset, metaData: o.metadata))
        }
        rowGroups.append(
            RowGroup(
                columns: chunks, totalByteSize: totalByteSize, numRows: Int64(pendingRows),
                fileOffset: groupOffset, totalCompressedSize: totalCompressed,
                ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        totalRows += Int64(pendingRows)
        pendingRows = 0
        pendingBytes = 0
    }

    /// Writes the last row group and the footer, and closes the sink. Returns the footer.
    @discardableResult
    public func close() throws(ParquetError) -> FileMetaData {
        guard !closed else { throw ParquetError(.invalidArgument, "close called twice") }
        try flushRowGroup()
        closed = true
        let meta = FileMetaData(
            version: 1, schema: schema.elements(), numRows: totalRows, rowGroups: rowGroups,
            keyValueMetadata: options.keyValueMetadata.isEmpty ? nil : options.keyValueMetadata,
            createdBy: options.createdBy,
            columnOrders: Array(repeating: .typeDefinedOrder, count: schema.leaves.count))
        let footer = meta.thriftEncoded()
        try emit(footer)
        var tail = ByteWriter()
        tail.appendLittleEndian(UInt32(footer.count))
        tail.append(contentsOf: Array("PAR1".utf8))
        try emit(tail.bytes)
        try sink.finish()
        return meta
    }

    /// Writes `batches` to a new file at `path` and returns its footer.
    @discardableResult
    public static func write(
        _ batches: [RecordBatch], schema: ParquetSchema, to path: String,
        options: ParquetWriterOptions = .init(), durable: Bool = false
    ) throws(ParquetError) -> FileMetaData {
        let w = try ParquetFileWriter(path: path, schema: schema, options: options, durable: durable)
        for b in batches { try w.write(b) }
        return try w.close()
    }

    private func emit(_ bytes: [UInt8]) throws(ParquetError) {
        try bytes.withRawBytes { raw throws(ParquetError) in try sink.write(raw) }
        offset += Int64(bytes.count)
    }
}
