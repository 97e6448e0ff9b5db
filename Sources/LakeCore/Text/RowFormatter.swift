/// Output formats for rows.
public enum RowFormat: String, Sendable, CaseIterable {
    /// One canonical JSON object per line, keys in schema order, nulls written as `null`.
    case jsonl
    /// RFC 4180 CSV: a header row of field names, then one record per row (lines end with
    /// `\n`); fields holding `,`, `"`, CR or LF are quoted with `"` doubled. Null is an empty
    /// field and an empty string is `""`. Values use the plain-text rendering.
    case csv
}

/// Renders ``RecordBatch``es as JSON lines or CSV, batch by batch (the `lake` CLI renders text
/// tables for people itself, from ``ValueFormatter``'s plain-text cells).
///
/// Call ``append(_:rows:to:)`` for each batch and ``finish(to:)`` once at the end; write `out`
/// wherever the rows go between calls. Both formats stream row by row.
public struct RowFormatter {
    /// The schema of the batches being formatted.
    public let schema: ParquetSchema
    /// The output format.
    public let format: RowFormat
    /// `{"a":`, `,"b":` … for JSON lines.
    private let keyPrefixes: [[UInt8]]
    private var started = false
    /// The cells of each chunk of rows, column by column.
    private var cells: BatchCells

    /// - Parameter schema: the schema of the batches that will be appended (projected, if the
    ///   rows are a projection).
    public init(schema: ParquetSchema, format: RowFormat) {
        self.schema = schema
        self.format = format
        cells = BatchCells(schema: schema)
        keyPrefixes = schema.fields.enumerated().map { i, f in
            var p: [UInt8] = [i == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")]
            JSONWriter.appendString(f.name, to: &p)
            p.append(UInt8(ascii: ":"))
            return p
        }
    }

    /// Appends rows of `batch` (all, or the given range) to `out`.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` when the batch does not fit the schema.
    public mutating func append(_ batch: RecordBatch, rows: Range<Int>? = nil, to out: inout [UInt8]) throws(LakeError)
    {
        let chunks = try cells.chunks(of: batch, rows: rows)
        if !started { start(&out) }
        let n = cells.columnCount
        for chunk in chunks {
            try cells.format(batch, rows: chunk, form: format == .jsonl ? .json : .text)
            for r in chunk {
                let k = r - chunk.lowerBound
                switch format {
                case .jsonl:
                    if n == 0 { out.append(UInt8(ascii: "{")) }
                    for c in 0..<n {
                        out.append(contentsOf: keyPrefixes[c])
                        out.append(contentsOf: cells[c, k])
                    }
                    out.append(UInt8(ascii: "}"))
                    out.append(UInt8(ascii: "\n"))
                case .csv:
                    for c in 0..<n {
                        if c > 0 { out.append(UInt8(ascii: ",")) }
                        if batch.columns[c].isNull(r) { continue }
                        Self.appendCSVField(cells[c, k], to: &out)
                    }
                    out.append(UInt8(ascii: "\n"))
                }
            }
        }
    }

    /// Ends the output: writes a CSV header if no rows came.
    public mutating func finish(to out: inout [UInt8]) {
        if !started { start(&out) }
    }

    private mutating func start(_ out: inout [UInt8]) {
        started = true
        if format == .csv {
            for (i, f) in schema.fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendCSVField(Array(f.name.utf8), to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Appends a CSV field, quoting it when it holds `,`, `"`, CR or LF, or is empty (so that an
    /// empty string differs from null).
    static func appendCSVField<C: Collection>(_ cell: C, to out: inout [UInt8]) where C.Element == UInt8 {
        let needsQuotes =
            cell.isEmpty
            || cell.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(contentsOf: cell)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in cell {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
