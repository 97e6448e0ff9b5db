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
    private var layout: TableLayout
    private var rowsWritten = 0
    /// The cells of each chunk of rows, column by column.
    private var cells: BatchCells

    /// - Parameter schema: the schema of the batches that will be appended.
    init(schema: ParquetSchema, options: Options = Options()) {
        self.schema = schema
        cells = BatchCells(schema: schema)
        layout = TableLayout(
            headers: schema.fields.map(\.name), rightAligned: cells.formatters.map(\.isNumeric),
            options: options)
    }

    /// Appends rows of `batch` (all, or the given range).
    /// - Throws: `.invalidArgument` when the batch does not fit the schema or `rows` is outside it.
    mutating func append(_ batch: RecordBatch, rows: Range<Int>? = nil, to out: inout [UInt8]) throws(LakeError) {
        let n = cells.columnCount
        let chunks = try cells.chunks(of: batch, rows: rows)
        for chunk in chunks {
            try cells.format(batch, rows: chunk, form: .text)
            for r in chunk {
                var row: [String] = []
                row.reserveCapacity(n)
                for c in 0..<n {
                    row.append(
                        batch.columns[c].isNull(r) ? "null" : TableLayout.visible(cells[c, r - chunk.lowerBound]))
                }
                layout.add(row, to: &out)
            }
        }
        rowsWritten += chunks.reduce(0) { $0 + $1.count }
    }

    /// Ends the table: writes the held-back rows (the header first) and the footer.
    mutating func finish(to out: inout [UInt8]) {
        layout.flush(to: &out)
        out.append(contentsOf: "(\(rowsWritten) \(rowsWritten == 1 ? "row" : "rows"))\n".utf8)
    }
}
