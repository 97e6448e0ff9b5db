import Foundation

/// A UTC instant in whole seconds, as SigV4 needs it (`20150830T123600Z`).
public struct AWSTimestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }

    /// The current time of the system clock.
    public static func now() -> AWSTimestamp {
        AWSTimestamp(secondsSince1970: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }

    /// `YYYYMMDDTHHMMSSZ`, the `x-amz-date` form.
    public var amzDate: String {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = secondsSince1970 - days * 86_400
        let (y, m, d) = Self.civil(fromDays: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(y, 4) + pad(m, 2) + pad(d, 2) + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay % 3600 / 60, 2)
            + pad(secondOfDay % 60, 2) + "Z"
    }

    /// Parses `YYYYMMDDTHHMMSSZ`.
    public init?(amzDate: String) {
        let b = Array(amzDate.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int64? { Self.decimal(b, r) }
        guard let y = num(0..<4), let m = num(4..<6), let d = num(6..<8), let hh = num(9..<11), let mm = num(11..<13),
            let ss = num(13..<15)
        else { return nil }
        self.init(secondsSince1970: Self.days(fromCivil: y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss)
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func < (a: AWSTimestamp, b: AWSTimestamp) -> Bool { a.secondsSince1970 < b.secondsSince1970 }
}

/// The source of the current time for signing (injected so tests are deterministic).
public struct AWSClock: Sendable {
    public var now: @Sendable () -> AWSTimestamp
    public init(now: @escaping @Sendable () -> AWSTimestamp) { self.now = now }
    /// The system clock.
    public static let system = AWSClock(now: AWSTimestamp.now)
    /// A clock that always answers `time`.
    public static func fixed(_ time: AWSTimestamp) -> AWSClock { AWSClock { time } }
}

extension AWSTimestamp {
    /// The decimal number the ASCII digits `b[r]` spell; nil if any byte is not a digit.
    static func decimal(_ b: [UInt8], _ r: Range<Int>) -> Int64? {
        var v: Int64 = 0
        for i in r {
            guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
            v = v * 10 + Int64(b[i] - 0x30)
        }
        return v
    }
}
