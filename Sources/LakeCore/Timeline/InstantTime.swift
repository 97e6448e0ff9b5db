#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant time: 17 digits `yyyyMMddHHmmssSSS` in the table's timeline zone (UTC for tables
/// lake creates).
///
/// lake always writes and compares the 17-digit form: hudi-rs orders file slices by comparing
/// instant strings, so mixing 14- and 17-digit instants would misorder them (format page §4).
/// Because the width is fixed, string order is time order.
public struct InstantTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 17 digits.
    public let value: String

    /// The earliest instant, `19700101000000000`; the default start of an incremental window.
    public static let epoch = InstantTime(epochMillis: 0)

    /// Accepts exactly 17 digits, or 14 digits (`yyyyMMddHHmmss`, extended with `000`), that
    /// form a valid calendar date and time; `nil` otherwise.
    public init?(_ digits: String) {
        guard digits.isAllASCIIDigits, digits.utf8.count == 17 || digits.utf8.count == 14 else { return nil }
        let full = digits.utf8.count == 14 ? digits + "000" : digits
        guard let civil = Self.civil(full), civil.isValid else { return nil }
        value = full
    }

    /// The instant of an epoch time, formatted in `timezone`.
    /// Precondition: the year is between 1 and 9999.
    public init(epochMillis: Int64, timezone: TimelineTimezone = .utc) {
        value = CivilTime(epochMillis: epochMillis, timezone: timezone).instantDigits
    }

    /// Milliseconds since 1970-01-01T00:00:00Z of this instant read in `timezone`.
    public func epochMillis(timezone: TimelineTimezone = .utc) -> Int64 {
        Self.civil(value)!.epochMillis(timezone: timezone)
    }

    /// The 17 digits.
    public var description: String { value }

    /// Time order (string order of the fixed-width digits).
    public static func < (a: InstantTime, b: InstantTime) -> Bool { a.value < b.value }

    static func civil(_ d: String) -> CivilTime? {
        let u = Array(d.utf8)
        guard u.count == 17 else { return nil }
        func num(_ r: Range<Int>) -> Int { u[r].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        return CivilTime(
            year: num(0..<4), month: num(4..<6), day: num(6..<8), hour: num(8..<10),
            minute: num(10..<12), second: num(12..<14), millisecond: num(14..<17))
    }
}

extension InstantTime {
    /// Parses a time given by a user (for `--as-of`, `--since`, `--until`) into an instant.
    ///
    /// Accepted forms, tried in this order:
    /// * 17 digits `yyyyMMddHHmmssSSS` or 14 digits `yyyyMMddHHmmss`: an instant as is.
    /// * Other all-digit numbers: epoch time, unit by magnitude: below 10^11 seconds, below
    ///   10^14 milliseconds, below 10^17 microseconds, otherwise nanoseconds.
    ///   (A 14- or 17-digit number is always read as an instant, never as an epoch time.)
    /// * ISO-8601 / RFC 3339: `2024-04-18`, `2024-04-18T22:32`, `2024-04-18T22:32:13`,
    ///   `2024-04-18 22:32:13.674`, with an optional fraction (`.` or `,`, any number of digits,
    ///   truncated to milliseconds) and an optional zone: `Z`, `+02:00`, `-0530`, `+02`. Without a
    ///   zone the time is wall-clock time in `timezone`.
    ///
    /// The result is the instant in `timezone` (UTC unless the table says `LOCAL`). Sub-millisecond
    /// parts are truncated, so "as of" a time never selects an instant after it.
    /// - Throws: `.invalidArgument` naming the input and the accepted forms.
    public static func parse(_ spec: String, timezone: TimelineTimezone = .utc) throws(LakeError) -> InstantTime {
        let s = spec.trimmingWhitespace()
        if s.isAllASCIIDigits {
            if s.utf8.count == 17 || s.utf8.count == 14 {
                guard let t = InstantTime(s) else {
                    throw LakeError(
                        .invalidArgument,
                        "time '\(spec)': \(s.utf8.count) digits but not a valid yyyyMMddHHmmss\(s.utf8.count == 17 ? "SSS" : "") date and time"
                    )
                }
                return t
            }
            guard s.utf8.count <= 19, let n = Int64(s) else {
                throw LakeError(.invalidArgument, "time '\(spec)': number too large for an epoch time")
            }
            let millis: Int64 =
                n < 100_000_000_000
                ? n * 1000
                : n < 100_000_000_000_000
                    ? n
                    : n < 100_000_000_000_000_000
                        ? n / 1000
                        : n / 1_000_000
            return try checked(millis, spec, timezone)
        }
        if let millis = parseISO(s, timezone: timezone) {
            return try checked(millis, spec, timezone)
        }
        throw LakeError(
            .invalidArgument,
            """
            cannot parse time '\(spec)': expected an instant (yyyyMMddHHmmssSSS or yyyyMMddHHmmss), \
            epoch seconds/milliseconds/microseconds/nanoseconds, or ISO-8601 such as 2024-04-18T22:32:13.674Z
            """)
    }

    private static func checked(
        _ millis: Int64, _ spec: String, _ tz: TimelineTimezone
    ) throws(LakeError) -> InstantTime {
        // Years 1..9999 keep the instant at 17 digits.
        let lo = CivilTime(year: 1, month: 1, day: 1).utcEpochMillis + 86_400_000
        let hi = CivilTime(year: 9999, month: 12, day: 31).utcEpochMillis - 86_400_000
        guard millis >= lo, millis <= hi else {
            throw LakeError(.invalidArgument, "time '\(spec)' is outside the years 0001-9999")
        }
        return InstantTime(epochMillis: millis, timezone: tz)
    }

    /// Parses ISO-8601 date or date-time; returns epoch milliseconds or `nil`.
    static func parseISO(_ s: String, timezone: TimelineTimezone) -> Int64? {
        let u = Array(s.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = u[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func take(_ c: UInt8) -> Bool {
            if i < u.count && u[i] == c { i += 1; return true }
            return false
        }
        guard let year = digits(4), take(UInt8(ascii: "-")), let month = digits(2),
            take(UInt8(ascii: "-")), let day = digits(2)
        else { return nil }
        var civil = CivilTime(year: year, month: month, day: day)
        var offsetSeconds: Int? = nil
        if i < u.count {
            guard take(UInt8(ascii: "T")) || take(UInt8(ascii: "t")) || take(UInt8(ascii: " ")) else { return nil }
            guard let h = digits(2), take(UInt8(ascii: ":")), let m = digits(2) else { return nil }
            civil.hour = h
            civil.minute = m
            if take(UInt8(ascii: ":")) {
                guard let sec = digits(2) else { return nil }
                civil.second = sec
                if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
                    var n = 0
                    var ms = 0
                    while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                        if n < 3 { ms = ms * 10 + Int(u[i] - 0x30) }
                        n += 1
                        i += 1
                    }
                    guard n > 0 else { return nil }
                    for _ in n..<max(n, 3) { ms *= 10 }
                    civil.millisecond = ms
                }
            }
            if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) {
                offsetSeconds = 0
            } else if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
                let sign = u[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let oh = digits(2), oh <= 23 else { return nil }
                var om = 0
                if take(UInt8(ascii: ":")) {
                    guard let v = digits(2) else { return nil }
                    om = v
                } else if i < u.count {
                    guard let v = digits(2) else { return nil }
                    om = v
                }
                guard om <= 59 else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == u.count, civil.isValid else { return nil }
        if let offsetSeconds {
            return civil.utcEpochMillis - Int64(offsetSeconds) * 1000
        }
        return civil.epochMillis(timezone: timezone)
    }

    /// Now, from the system clock, in milliseconds since the epoch.
    public static func systemNowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
