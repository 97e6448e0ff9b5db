/// Formatting and parsing of dates, times and timestamps in the canonical text forms:
/// `YYYY-MM-DD`, `HH:MM:SS.fff`, `YYYY-MM-DDTHH:MM:SS.fff[Z]`.
///
/// Dates use the proleptic Gregorian calendar with day 0 = 1970-01-01 and work over the whole
/// `Int64` day range reachable from the stored values. Years 0001–9999 print as 4 digits, others
/// as a sign and at least 6 digits (`+010000`, `-000001`, year 0 as `+000000`), the ISO 8601
/// expanded form. Fractions always have exactly the unit's digits (3 millis, 6 micros, 9 nanos).
public enum TemporalText {
    // MARK: Calendar arithmetic

    /// Year, month (1–12) and day (1–31) of a day count since 1970-01-01.
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        // Shift to a 400-year era starting on 0000-03-01, so leap days fall at the end of a year.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097  // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365  // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)  // [0, 365]
        let mp = (5 * doy + 2) / 153  // [0, 11], March = 0
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, Int(month), Int(day))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (month 1–12, day 1–31, not checked here).
    public static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in a month of a year.
    public static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Sub-second units per second.
    @inline(__always)
    public static func unitsPerSecond(_ unit: TimeUnit) -> Int64 {
        switch unit {
        case .millis: 1_000
        case .micros: 1_000_000
        case .nanos: 1_000_000_000
        }
    }

    /// Fraction digits printed for a unit.
    @inline(__always)
    public static func fractionDigits(_ unit: TimeUnit) -> Int {
        switch unit {
        case .millis: 3
        case .micros: 6
        case .nanos: 9
        }
    }

    // MARK: Formatting

    /// Appends `YYYY-MM-DD` for a day count since 1970-01-01.
    public static func appendDate(days: Int64, to out: inout [UInt8]) {
        let (y, m, d) = civil(fromDays: days)
        appendYear(y, to: &out)
        out.append(UInt8(ascii: "-"))
        append2(m, to: &out)
        out.append(UInt8(ascii: "-"))
        append2(d, to: &out)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.fff` (plus `Z` when `utc`) for `value` units since the epoch.
    public static func appendTimestamp(_ value: Int64, unit: TimeUnit, utc: Bool, to out: inout [UInt8]) {
        let perDay = unitsPerSecond(unit) * 86_400
        var days = value / perDay
        var rem = value % perDay
        if rem < 0 {
            rem += perDay
            days -= 1
        }
        appendDate(days: days, to: &out)
        out.append(UInt8(ascii: "T"))
        appendTimeOfDay(rem, unit: unit, to: &out)
        if utc { out.append(UInt8(ascii: "Z")) }
    }

    /// Appends `HH:MM:SS.fff` for `value` units since midnight. Values outside one day (invalid
    /// data) print with a `-` sign and/or hours beyond 23 rather than failing.
    public static func appendTime(_ value: Int64, unit: TimeUnit, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendTimeOfDay(value.magnitude, unit: unit, to: &out)
    }

    private static func appendTimeOfDay(_ value: Int64, unit: TimeUnit, to out: inout [UInt8]) {
        appendTimeOfDay(value.magnitude, unit: unit, to: &out)
    }

    private static func appendTimeOfDay(_ value: UInt64, unit: TimeUnit, to out: inout [UInt8]) {
        let ups = UInt64(unitsPerSecond(unit))
        let fraction = value % ups
        let seconds = value / ups
        let h = seconds / 3600
        if h < 10 { out.append(UInt8(ascii: "0")) }
        JSONWriter.appendInteger(h, to: &out)
        out.append(UInt8(ascii: ":"))
        append2(Int(seconds / 60 % 60), to: &out)
        out.append(UInt8(ascii: ":"))
        append2(Int(seconds % 60), to: &out)
        out.append(UInt8(ascii: "."))
        JSONWriter.appendPadded(Int64(fraction), width: fractionDigits(unit), to: &out)
    }

    private static func appendYear(_ y: Int64, to out: inout [UInt8]) {
        if y >= 1 && y <= 9999 {
            JSONWriter.appendPadded(y, width: 4, to: &out)
        } else {
            out.append(y < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let digits = String(y.magnitude)
            if digits.utf8.count < 6 {
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 6 - digits.utf8.count))
            }
            out.append(contentsOf: digits.utf8)
        }
    }

    @inline(__always)
    private static func append2(_ v: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "0") + UInt8(v / 10))
        out.append(UInt8(ascii: "0") + UInt8(v % 10))
    }
}

/// Why a text value could not be parsed (the caller adds which value and where).
public struct TextValueError: Error, Sendable, Hashable {
    /// What is wrong, e.g. `month 13 out of range 1–12`.
    public var reason: String
    /// An error with the given reason.
    public init(_ reason: String) { self.reason = reason }
}

// MARK: Parsing

extension TemporalText {
    /// Parses `YYYY-MM-DD` (or `±YYYYYY-MM-DD`) into days since 1970-01-01.
    public static func parseDate(_ t: UnsafeRawBufferPointer) throws(TextValueError) -> Int64 {
        var c = TextCursor(t)
        let days = try c.date()
        guard c.isAtEnd else { throw TextValueError("unexpected text after the date") }
        return days
    }

    /// Parses `HH:MM:SS[.f…]` into units since midnight. More fraction digits than the unit
    /// holds are accepted only when the extra digits are zeros.
    public static func parseTime(_ t: UnsafeRawBufferPointer, unit: TimeUnit) throws(TextValueError) -> Int64 {
        var c = TextCursor(t)
        let v = try c.timeOfDay(unit: unit)
        guard c.isAtEnd else { throw TextValueError("unexpected text after the time") }
        return v
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f…][Z|±HH:MM]` (a space may replace `T`) into units since
    /// the epoch. A UTC offset is applied; a local timestamp (`utc == false`) accepts `Z` but no
    /// other offset. Missing zone means UTC for adjusted timestamps.
    public static func parseTimestamp(
        _ t: UnsafeRawBufferPointer, unit: TimeUnit, utc: Bool
    ) throws(TextValueError) -> Int64 {
        var c = TextCursor(t)
        let days = try c.date()
        guard let sep = c.next(), sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " ")
        else {
            throw TextValueError("expected 'T' between date and time")
        }
        let timeOfDay = try c.timeOfDay(unit: unit)
        var offsetSeconds: Int64 = 0
        if let z = c.next() {
            switch z {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                break
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard utc else {
                    throw TextValueError("a local timestamp (not adjusted to UTC) cannot have a UTC offset")
                }
                let h = try c.digits(2, "offset hours")
                try c.expect(UInt8(ascii: ":"), "':' in the UTC offset")
                let m = try c.digits(2, "offset minutes")
                guard h <= 23 && m <= 59 else { throw TextValueError("UTC offset out of range") }
                offsetSeconds = (h * 3600 + m * 60) * (z == UInt8(ascii: "-") ? -1 : 1)
            default:
                throw TextValueError("expected 'Z' or a UTC offset after the time")
            }
        }
        guard c.isAtEnd else { throw TextValueError("unexpected text after the timestamp") }
        let ups = unitsPerSecond(unit)
        let perDay = 86_400 * ups
        // Before the epoch, count from the following midnight so the intermediate product
        // cannot overflow when the result is near Int64.min.
        let (dayBase, dayPart) = days < 0 ? (days + 1, timeOfDay - perDay) : (days, timeOfDay)
        let (a, o1) = dayBase.multipliedReportingOverflow(by: perDay)
        let (b, o2) = a.addingReportingOverflow(dayPart)
        let (r, o3) = b.subtractingReportingOverflow(offsetSeconds * ups)
        guard !(o1 || o2 || o3) else { throw TextValueError("out of the range of a 64-bit \(unit.name) timestamp") }
        return r
    }
}

/// A small cursor for the fixed-format date and time grammars.
struct TextCursor {
    let t: UnsafeRawBufferPointer
    var i = 0

    init(_ t: UnsafeRawBufferPointer) { self.t = t }

    var isAtEnd: Bool { i >= t.count }

    mutating func next() -> UInt8? {
        guard i < t.count else { return nil }
        i += 1
        return t[i - 1]
    }

    mutating func expect(_ b: UInt8, _ what: String) throws(TextValueError) {
        guard i < t.count, t[i] == b else { throw TextValueError("expected \(what)") }
        i += 1
    }

    /// Exactly `n` digits.
    mutating func digits(_ n: Int, _ what: String) throws(TextValueError) -> Int64 {
        var v: Int64 = 0
        for _ in 0..<n {
            guard i < t.count, t[i] &- UInt8(ascii: "0") < 10 else {
                throw TextValueError("expected \(n) digits for the \(what)")
            }
            v = v * 10 + Int64(t[i] - UInt8(ascii: "0"))
            i += 1
        }
        return v
    }

    mutating func date() throws(TextValueError) -> Int64 {
        var year: Int64
        if i < t.count && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) {
            let negative = t[i] == UInt8(ascii: "-")
            i += 1
            let start = i
            year = 0
            while i < t.count, t[i] &- UInt8(ascii: "0") < 10 {
                guard i - start < 12 else { throw TextValueError("year has too many digits") }
                year = year * 10 + Int64(t[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard i - start >= 4 else { throw TextValueError("expected at least 4 digits for a signed year") }
            if negative { year = -year }
        } else {
            year = try digits(4, "year")
        }
        try expect(UInt8(ascii: "-"), "'-' after the year")
        let month = try digits(2, "month")
        try expect(UInt8(ascii: "-"), "'-' after the month")
        let day = try digits(2, "day")
        guard month >= 1 && month <= 12 else { throw TextValueError("month \(month) out of range 1–12") }
        let dim = TemporalText.daysInMonth(year: year, month: Int(month))
        guard day >= 1 && day <= dim else {
            throw TextValueError(
                "day \(day) out of range for \(String(year))-\(month < 10 ? "0" : "")\(month) (1–\(dim))")
        }
        return TemporalText.days(year: year, month: Int(month), day: Int(day))
    }

    mutating func timeOfDay(unit: TimeUnit) throws(TextValueError) -> Int64 {
        let h = try digits(2, "hour")
        try expect(UInt8(ascii: ":"), "':' after the hour")
        let m = try digits(2, "minute")
        try expect(UInt8(ascii: ":"), "':' after the minute")
        let s = try digits(2, "second")
        guard h <= 23 else { throw TextValueError("hour \(h) out of range 0–23") }
        guard m <= 59 else { throw TextValueError("minute \(m) out of range 0–59") }
        guard s <= 59 else { throw TextValueError("second \(s) out of range 0–59") }
        var fraction: Int64 = 0
        let maxDigits = TemporalText.fractionDigits(unit)
        if i < t.count && t[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < t.count, t[i] &- UInt8(ascii: "0") < 10 {
                let d = Int64(t[i] - UInt8(ascii: "0"))
                if n < maxDigits {
                    fraction = fraction * 10 + d
                } else if d != 0 {
                    throw TextValueError("more than \(maxDigits) fraction digits for unit \(unit.name)")
                }
                n += 1
                i += 1
            }
            guard n > 0 else { throw TextValueError("expected digits after '.'") }
            for _ in min(n, maxDigits)..<maxDigits { fraction *= 10 }
        }
        return ((h * 60 + m) * 60 + s) * TemporalText.unitsPerSecond(unit) + fraction
    }
}
