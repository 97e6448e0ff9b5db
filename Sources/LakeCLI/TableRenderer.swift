import Lake

/// Renders ``RecordBatch``es as an aligned text table for people (`--format table`): header,
/// separator, rows, and a `(N rows)` footer. Nulls show as `null`, long cells are cut with `…`,
/// control characters are escaped, numbers are right-aligned.
///
/// Call ``append(_:rows:to:)`` for each batch and ``finish(to:)`` once at the end. A table needs
/// column widths, so it holds back up to ``Options/sampleRows`` rows to measure them, then
/// streams the rest with those widths (cells wider than their column are cut with `…`). Cells
/// are the plain-text forms of ``ValueFormatter`` (those of CSV output).
struct TableRenderer {
    /// Table layout options.
    struct Options: Sendable {
        /// The widest a table column grows, in characters.
        var maxCellWidth: Int
        /// How many rows a table holds back to measure column widths.
        var sampleRows: Int

        /// Options with the given limits (at least 4 characters and 1 row).
        init(maxCellWidth: Int = 48, sampleRows: Int = 1000) {
            self.maxCellWidth = max(maxCellWidth, 4)
            self.sampleRows = max(sampleRows, 1)
        }
    }

    /// The schema of the batches being rendered.
    let schema: ParquetSchema
    private let formatters: [ValueFormatter]
    private var layout: TableLayout
    private var rowsWritten = 0
    /// Per-column cell buffers, reused across chunks.
    private var cells: [ByteArrayValues] = []

    /// - Parameter schema: the schema of the batches that will be appended.
    init(schema: ParquetSchema, options: Options = Options()) {
        self.schema = schema
        formatters = schema.fields.map { ValueFormatter(field: $0) }
        layout = TableLayout(
            headers: schema.fields.map(\.name), rightAligned: formatters.map(\.isNumeric),
            options: options)
    }

    /// Appends rows of `batch` (all, or the given range).
    /// - Throws: `.invalidArgument` when the batch does not fit the schema or `rows` is outside it.
    mutating func append(_ batch: RecordBatch, rows: Range<Int>? = nil, to out: inout [UInt8]) throws(LakeError) {
        guard batch.columns.count == formatters.count else {
            throw LakeError(
                .invalidArgument,
                "batch has \(batch.columns.count) columns, the output schema has \(formatters.count)")
        }
        let range = rows ?? 0..<batch.rowCount
        guard range.lowerBound >= 0 && range.upperBound <= batch.rowCount else {
            throw LakeError(.invalidArgument, "rows \(range) are outside a batch of \(batch.rowCount) rows")
        }
        if cells.count != formatters.count { cells = Array(repeating: ByteArrayValues(), count: formatters.count) }
        var lo = range.lowerBound
        while lo < range.upperBound {
            let hi = min(lo + 4096, range.upperBound)
            for c in formatters.indices {
                cells[c].offsets.removeAll(keepingCapacity: true)
                cells[c].offsets.append(0)
                cells[c].bytes.removeAll(keepingCapacity: true)
                do throws(LakeError) {
                    try formatters[c].appendText(batch.columns[c], rows: lo..<hi, to: &cells[c])
                } catch {
                    throw LakeError(
                        error.code, "column '\(schema.fields[c].name)': \(error.message)",
                        cause: error.cause)
                }
            }
            for r in lo..<hi {
                var row: [String] = []
                row.reserveCapacity(formatters.count)
                for c in formatters.indices {
                    row.append(batch.columns[c].isNull(r) ? "null" : TableLayout.visible(cells[c][r - lo]))
                }
                layout.add(row, to: &out)
            }
            lo = hi
        }
        rowsWritten += range.count
    }

    /// Ends the table: writes the held-back rows (the header first) and the footer.
    mutating func finish(to out: inout [UInt8]) {
        layout.flush(to: &out)
        out.append(contentsOf: "(\(rowsWritten) \(rowsWritten == 1 ? "row" : "rows"))\n".utf8)
    }
}
