/// The cells of ``RecordBatch``es formatted column by column (one type dispatch per column), a
/// chunk of rows at a time, into per-column buffers reused across chunks; callers interleave the
/// cells row by row (``RowFormatter`` into JSON lines or CSV, the CLI's text tables):
///
/// ```swift
/// for chunk in try cells.chunks(of: batch, rows: rows) {
///     try cells.format(batch, rows: chunk, form: .text)
///     for r in chunk { … cells[c, r - chunk.lowerBound] … }
/// }
/// ```
public struct BatchCells {
    /// Which rendering of ``ValueFormatter`` the cells hold.
    public enum Form: Sendable {
        /// Canonical JSON (`null` for null slots).
        case json
        /// Plain text (empty for null slots; check ``Column/isNull(_:)`` to tell them apart).
        case text
    }

    /// The most rows formatted at once.
    public static let chunkRows = 4096

    /// The schema of the batches being formatted.
    public let schema: ParquetSchema
    /// One formatter per top-level field.
    public let formatters: [ValueFormatter]
    /// Per-column cell buffers of the chunk formatted last.
    private var cells: [ByteArrayValues]

    /// - Parameter schema: the schema of the batches that will be formatted.
    public init(schema: ParquetSchema) {
        self.schema = schema
        formatters = schema.fields.map { ValueFormatter(field: $0) }
        cells = Array(repeating: ByteArrayValues(), count: formatters.count)
    }

    /// The number of columns.
    public var columnCount: Int { formatters.count }

    /// Cell `k` of column `c` in the chunk formatted last (row `chunk.lowerBound + k`).
    public subscript(c: Int, k: Int) -> ArraySlice<UInt8> { cells[c][k] }

    /// `rows` of `batch` (all when `nil`) cut into chunks of at most ``chunkRows`` rows.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` when the batch does not fit the schema or
    ///   `rows` is outside it.
    public func chunks(of batch: RecordBatch, rows: Range<Int>? = nil) throws(LakeError) -> [Range<Int>] {
        guard batch.columns.count == formatters.count else {
            throw LakeError(
                .invalidArgument, "batch has \(batch.columns.count) columns, the output schema has \(formatters.count)")
        }
        let range = rows ?? 0..<batch.rowCount
        guard range.lowerBound >= 0 && range.upperBound <= batch.rowCount else {
            throw LakeError(.invalidArgument, "rows \(range) are outside a batch of \(batch.rowCount) rows")
        }
        return stride(from: range.lowerBound, to: range.upperBound, by: Self.chunkRows).map {
            $0..<min($0 + Self.chunkRows, range.upperBound)
        }
    }

    /// Formats the cells of `rows` (one of ``chunks(of:rows:)``) of every column of `batch`.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` when a column's storage does not match its
    ///   field; the message names the column.
    public mutating func format(_ batch: RecordBatch, rows: Range<Int>, form: Form) throws(LakeError) {
        for c in formatters.indices {
            cells[c].offsets.removeAll(keepingCapacity: true)
            cells[c].offsets.append(0)
            cells[c].bytes.removeAll(keepingCapacity: true)
            let column = batch.columns[c]
            do throws(LakeError) {
                switch form {
                case .json: try formatters[c].appendJSON(column, rows: rows, to: &cells[c])
                case .text: try formatters[c].appendText(column, rows: rows, to: &cells[c])
                }
            } catch {
                throw LakeError(error.code, "column '\(schema.fields[c].name)': \(error.message)", cause: error.cause)
            }
        }
    }
}
