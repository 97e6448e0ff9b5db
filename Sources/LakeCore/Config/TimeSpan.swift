/// A length of time as people write it: `100s`, `500ms`, `2m`, `1h`, `1.5s`, or a bare number of
/// seconds (`30`).
///
/// One parser for every duration lake reads — `--wait`, `lake stream --window`, `--wait` of
/// `lake stream`, and library options — so the same text means the same time everywhere.
/// Rules: a non-negative decimal number, optional spaces, and an optional unit,
/// case-insensitive: `ms`, `s`, `m`, `h` (seconds without one). The result is rounded to whole
/// milliseconds. Zero parses (`0`, `0s`); callers that need a positive time say why.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds.
    public var millis: Int64

    /// A span of `millis` milliseconds.
    public init(millis: Int64) {
        self.millis = millis
    }

    /// Parses a duration.
    /// - Throws: `.invalidArgument` naming the text when it is not a duration (negative,
    ///   unknown unit, not finite, or longer than about 30,000 years).
    public init(parsing text: String) throws(LakeError) {
        let t = text.trimmingWhitespace().lowercased()
        let numberEnd = t.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? t.endIndex
        let number = String(t[..<numberEnd])
        let unit = String(t[numberEnd...]).trimmingWhitespace()
        let scale: Double? =
            switch unit {
            case "ms": 1
            case "", "s", "sec": 1000
            case "m", "min": 60_000
            case "h": 3_600_000
            default: nil
            }
        guard let scale, let v = Double(number), v.isFinite, v >= 0 else {
            throw LakeError(
                .invalidArgument, "'\(text)' is not a duration such as 30s, 500ms, 2m, 1h or a number of seconds")
        }
        guard v * scale < 1e15 else { throw LakeError(.invalidArgument, "duration '\(text)' is too long") }
        millis = Int64((v * scale).rounded())
    }

    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.millis < b.millis }

    /// `250ms`, `30s`, `1.5s`, `2m`, `1h`: text that parses back to the same span.
    public var description: String {
        if millis % 3_600_000 == 0 && millis > 0 { return "\(millis / 3_600_000)h" }
        if millis % 60_000 == 0 && millis > 0 { return "\(millis / 60_000)m" }
        if millis % 1000 == 0 { return "\(millis / 1000)s" }
        return "\(millis)ms"
    }
}
