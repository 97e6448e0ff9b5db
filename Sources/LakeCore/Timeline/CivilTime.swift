#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A proleptic-Gregorian calendar date and wall-clock time with millisecond precision, and its
/// conversion to and from epoch milliseconds (UTC by arithmetic, local time through libc).
struct CivilTime: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int = 0
    var minute: Int = 0
    var second: Int = 0
    var millisecond: Int = 0

    /// Whether every component is in range (seconds 0...59, no leap seconds).
    var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= Self.daysInMonth(year, month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
            && (0...999).contains(millisecond)
    }

    // Calendar arithmetic is TemporalText's (proleptic Gregorian, days since 1970-01-01).

    static func daysInMonth(_ y: Int, _ m: Int) -> Int { TemporalText.daysInMonth(year: Int64(y), month: m) }

    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
        TemporalText.days(year: Int64(y), month: m, day: d)
    }

    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let c = TemporalText.civil(fromDays: days)
        return (Int(c.year), c.month, c.day)
    }

    /// Milliseconds since the epoch of this wall-clock time read as UTC.
    var utcEpochMillis: Int64 {
        let days = Self.daysFromCivil(year, month, day)
        let secs = days * 86400 + Int64(hour * 3600 + minute * 60 + second)
        return secs * 1000 + Int64(millisecond)
    }

    /// The UTC wall-clock time of an epoch instant.
    init(utcEpochMillis ms: Int64) {
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let milli = Int(ms - secs * 1000)
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = Int(secs - days * 86400)
        let (y, m, d) = Self.civilFromDays(days)
        self.init(
            year: y, month: m, day: d, hour: rem / 3600, minute: (rem % 3600) / 60,
            second: rem % 60, millisecond: milli)
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// The wall-clock time of an epoch instant in `timezone`.
    init(epochMillis ms: Int64, timezone: TimelineTimezone) {
        switch timezone {
        case .utc:
            self.init(utcEpochMillis: ms)
        case .local:
            let offset = Self.localOffsetSeconds(atEpochSeconds: ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
            self.init(utcEpochMillis: ms + offset * 1000)
        }
    }

    /// Milliseconds since the epoch of this wall-clock time read in `timezone`. For local
    /// times in a daylight-saving gap or overlap, libc's `mktime` choice applies.
    func epochMillis(timezone: TimelineTimezone) -> Int64 {
        switch timezone {
        case .utc:
            return utcEpochMillis
        case .local:
            var t = tm()
            t.tm_year = Int32(year - 1900)
            t.tm_mon = Int32(month - 1)
            t.tm_mday = Int32(day)
            t.tm_hour = Int32(hour)
            t.tm_min = Int32(minute)
            t.tm_sec = Int32(second)
            t.tm_isdst = -1
            let secs = mktime(&t)
            if secs == -1 { return utcEpochMillis }
            return Int64(secs) * 1000 + Int64(millisecond)
        }
    }

    /// The local zone's offset from UTC in seconds at an instant (`tm_gmtoff`).
    static func localOffsetSeconds(atEpochSeconds s: Int64) -> Int64 {
        var t = time_t(s)
        var out = tm()
        guard localtime_r(&t, &out) != nil else { return 0 }
        return Int64(out.tm_gmtoff)
    }

    /// `yyyyMMddHHmmssSSS`.
    var instantDigits: String {
        pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
            + pad(millisecond, 3)
    }

    /// Java `Date.toString()` layout in UTC: `Thu Apr 18 22:32:13 UTC 2024`.
    var javaDateString: String {
        let days = Self.daysFromCivil(year, month, day)
        let weekday = Int(((days % 7) + 7 + 4) % 7)  // 1970-01-01 was a Thursday
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return
            "\(names[weekday]) \(months[month - 1]) \(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) UTC \(year)"
    }

    /// ISO-8601 in UTC with milliseconds: `2024-04-18T22:32:13.522Z`.
    var isoString: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millisecond, 3))Z"
    }

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
