import ArgumentParser
import Lake

/// `--format` of the commands that print rows: the library's machine formats (``RowFormat``)
/// or a text table for people (``TableRenderer``).
enum RowOutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// JSON lines (``RowFormat/jsonl``).
    case jsonl
    /// RFC 4180 CSV (``RowFormat/csv``).
    case csv
    /// An aligned text table (``TableRenderer``).
    case table
}
