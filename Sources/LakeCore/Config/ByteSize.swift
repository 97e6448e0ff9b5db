/// A size in bytes as people write it: `1048576`, `64KiB`, `8MiB`, `1.5GiB`, `120 MB`.
///
/// One parser for every size lake reads — command-line options (`--target-file-size`,
/// `--max-bytes`, `lake parquet write --page-size`), table settings (`target.file.size`) and
/// library options — so the same text means the same size everywhere. Rules: a non-negative
/// decimal number, optional spaces, and an optional unit, case-insensitive: `B`; `K`, `KB`,
/// `KiB`; `M`, `MB`, `MiB`; `G`, `GB`, `GiB`; `T`, `TB`, `TiB`. Units are binary multiples
/// (`1MB` is 1,048,576 bytes, as Hudi's and Parquet's own sizes are). A fraction is rounded
/// down to whole bytes. Zero parses; callers that need a positive size say so.
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The size in bytes.
    public var bytes: Int64

    /// A size of `bytes` bytes.
    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// Parses a size.
    /// - Throws: `.invalidArgument` naming the text when it is not a size or does not fit in 63 bits.
    public init(parsing text: String) throws(LakeError) {
        let t = text.trimmingWhitespace()
        let numberEnd = t.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? t.endIndex
        let number = t[..<numberEnd]
        let unit = String(t[numberEnd...]).trimmingWhitespace().uppercased()
        let factor: Int64? =
            switch unit {
            case "", "B": 1
            case "K", "KB", "KIB": 1 << 10
            case "M", "MB", "MIB": 1 << 20
            case "G", "GB", "GIB": 1 << 30
            case "T", "TB", "TIB": 1 << 40
            default: nil
            }
        guard let factor, !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != "." else {
            throw LakeError(.invalidArgument, "'\(text)' is not a size such as 1048576, 64KiB, 256MiB or 1.5GiB")
        }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = parts[0].isEmpty ? 0 : Int64(parts[0]) else {
            throw LakeError(.invalidArgument, "size '\(text)' is too large")
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw LakeError(.invalidArgument, "size '\(text)' is too large") }
        var fraction: Int64 = 0
        if parts.count == 2, !parts[1].isEmpty {
            // Exact for up to 18 fraction digits: floor(0.d1d2… × factor).
            let digits = String(parts[1].prefix(18))
            var scale: Int64 = 1
            for _ in digits { scale *= 10 }
            let f = Int64(digits)!
            fraction = Int64((Double(f) / Double(scale) * Double(factor)).rounded(.down))
        }
        let (total, overflow2) = scaled.addingReportingOverflow(fraction)
        guard !overflow2 else { throw LakeError(.invalidArgument, "size '\(text)' is too large") }
        bytes = total
    }

    public static func < (a: ByteSize, b: ByteSize) -> Bool { a.bytes < b.bytes }

    /// `0 B`, `512 B`, `1.5 KiB`, `120.0 MiB`: one decimal in the largest binary unit.
    public var description: String { Self.format(bytes) }

    /// Formats a byte count like ``description``.
    public static func format(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var v = Double(n), u = 0
        while abs(v) >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        if u == 0 { return "\(n) B" }
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10)) \(units[u])"
    }

    /// The exact text that parses back to this size: `128MiB` when the size is a whole number
    /// of a binary unit, else the byte count.
    public var exactText: String {
        for (unit, shift) in [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)]
        where bytes != 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return String(bytes)
    }
}
