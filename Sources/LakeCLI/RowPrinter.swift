import Lake

/// Prints rows in a ``RowOutputFormat``: the library's ``RowFormatter`` for JSON lines and CSV,
/// a ``TableRenderer`` for tables.
struct RowPrinter {
    private var rows: RowFormatter?
    private var table: TableRenderer?

    /// A printer of batches with `schema`.
    init(schema: ParquetSchema, format: RowOutputFormat) {
        switch format {
        case .jsonl: rows = RowFormatter(schema: schema, format: .jsonl)
        case .csv: rows = RowFormatter(schema: schema, format: .csv)
        case .table: table = TableRenderer(schema: schema)
        }
    }

    /// Appends rows of `batch` (all, or the given range) to `out`.
    /// - Throws: `.invalidArgument` when the batch does not fit the schema.
    mutating func append(_ batch: RecordBatch, rows range: Range<Int>? = nil, to out: inout [UInt8]) throws(LakeError) {
        if rows != nil {
            try rows!.append(batch, rows: range, to: &out)
        } else {
            try table!.append(batch, rows: range, to: &out)
        }
    }

    /// Ends the output (a table's held-back rows and footer, a CSV header if no rows came).
    mutating func finish(to out: inout [UInt8]) {
        if rows != nil { rows!.finish(to: &out) } else { table!.finish(to: &out) }
    }
}
