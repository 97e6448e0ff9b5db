/// Column widths and rendering of `--format table` output (``TableRenderer``).
///
/// Holds rows back until ``TableRenderer/Options/sampleRows`` are collected (or ``flush(to:)``),
/// sizes each column to its widest sampled cell (at most ``TableRenderer/Options/maxCellWidth``
/// characters, at least the header), then renders rows psql-style:
/// ```
///  id | name  | amount
/// ----+-------+--------
///   1 | alice |  12.50
/// ```
struct TableLayout {
    let headers: [String]
    let rightAligned: [Bool]
    let options: TableRenderer.Options
    private var held: [[String]] = []
    private var widths: [Int]?

    init(headers: [String], rightAligned: [Bool], options: TableRenderer.Options) {
        self.headers = headers.map { TableLayout.visible(Array($0.utf8)) }
        self.rightAligned = rightAligned
        self.options = options
    }

    /// Adds one row of cells (already made visible), rendering it at once when widths are known.
    mutating func add(_ cells: [String], to out: inout [UInt8]) {
        if widths != nil {
            render(cells, to: &out)
            return
        }
        held.append(cells)
        if held.count >= options.sampleRows { flush(to: &out) }
    }

    /// Fixes the widths if not yet done, writes the header and every held row.
    mutating func flush(to out: inout [UInt8]) {
        guard widths == nil else { return }
        var w = headers.map { min(max($0.count, 1), options.maxCellWidth) }
        for row in held {
            for (i, cell) in row.enumerated() where i < w.count {
                w[i] = min(max(w[i], cell.count), options.maxCellWidth)
            }
        }
        widths = w
        render(headers, to: &out)
        var rule = ""
        for (i, width) in w.enumerated() {
            if i > 0 { rule += "+" }
            rule += String(repeating: "-", count: width + 2)
        }
        out.append(contentsOf: rule.utf8)
        out.append(UInt8(ascii: "\n"))
        for row in held { render(row, to: &out) }
        held = []
    }

    private func render(_ cells: [String], to out: inout [UInt8]) {
        guard let widths else { return }
        var line = ""
        for (i, width) in widths.enumerated() {
            if i > 0 { line += "|" }
            var cell = i < cells.count ? cells[i] : ""
            var n = cell.count
            if n > width {
                cell = String(cell.prefix(width - 1)) + "…"
                n = width
            }
            let pad = String(repeating: " ", count: width - n)
            line += " "
            line += rightAligned[i] ? pad + cell : cell + pad
            line += " "
        }
        while line.hasSuffix(" ") { line.removeLast() }
        out.append(contentsOf: line.utf8)
        out.append(UInt8(ascii: "\n"))
    }

    /// The cell text with control characters shown as escapes (`\n`, `\t`, `\u001B`), so a
    /// table row stays on one line; invalid UTF-8 is repaired.
    static func visible<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return String(decoding: bytes, as: UTF8.self) }
        var out = ""
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F:
                let h = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
