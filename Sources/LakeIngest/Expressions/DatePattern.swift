import LakeCore

/// A Spark-style datetime pattern (`yyyy-MM-dd`, `yyyy/MM/dd HH:mm:ss.SSS`, `yyyyMMdd`), in UTC,
/// for `date_format`, `to_date(x, pattern)` and `to_timestamp(x, pattern)`.
///
/// Letters: `y` year (`yyyy` four digits, `yy` two digits meaning 2000–2099), `M` month, `d`
/// day of month, `D` day of year, `H` hour 0–23, `m` minute, `s` second, `S` fraction of a
/// second (one letter per digit, up to 9). A doubled letter means a zero-padded two-digit field;
/// a single letter prints without padding and parses one or two digits. Text in single quotes
/// is literal (`''` is a quote); other non-letters are literal. Any other letter is refused.
public struct DatePattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal([UInt8])
        case field(Character, Int)
    }

    let tokens: [Token]
    /// The pattern as given.
    public let text: String

    /// Parses a pattern.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` naming an unsupported letter or an unterminated quote.
    public init(_ text: String) throws(LakeError) {
        self.text = text
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        func addLiteral(_ s: String) {
            if case .literal(let prev)? = tokens.last {
                tokens[tokens.count - 1] = .literal(prev + Array(s.utf8))
            } else {
                tokens.append(.literal(Array(s.utf8)))
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                if i + 1 < chars.count && chars[i + 1] == "'" {
                    addLiteral("'")
                    i += 2
                    continue
                }
                var j = i + 1
                var lit = ""
                while true {
                    guard j < chars.count else {
                        throw LakeError(.invalidArgument, "date pattern '\(text)': unterminated quote")
                    }
                    if chars[j] == "'" {
                        if j + 1 < chars.count && chars[j + 1] == "'" {
                            lit.append("'")
                            j += 2
                            continue
                        }
                        break
                    }
                    lit.append(chars[j])
                    j += 1
                }
                addLiteral(lit)
                i = j + 1
                continue
            }
            if c.isLetter {
                var n = 1
                while i + n < chars.count && chars[i + n] == c { n += 1 }
                let ok: Bool =
                    switch c {
                    case "y": n == 2 || n == 4 || n == 1
                    case "M", "d", "H", "m", "s": n <= 2
                    case "D": n <= 3
                    case "S": n <= 9
                    default: false
                    }
                guard ok else {
                    throw LakeError(
                        .invalidArgument,
                        "date pattern '\(text)': '\(String(repeating: c, count: n))' is not supported (use y M d D H m s S)"
                    )
                }
                tokens.append(.field(c, n))
                i += n
                continue
            }
            addLiteral(String(c))
            i += 1
        }
        self.tokens = tokens
    }

    /// Whether the pattern has time-of-day fields.
    var hasTime: Bool {
        tokens.contains { if case .field(let c, _) = $0 { return "HmsS".contains(c) } else { return false } }
    }

    /// Appends the formatted value of `micros` microseconds since the epoch (UTC).
    func format(micros: Int64, to out: inout [UInt8]) {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rem = micros % perDay
        if rem < 0 {
            rem += perDay
            days -= 1
        }
        let (year, month, day) = TemporalText.civil(fromDays: days)
        let secondOfDay = rem / 1_000_000
        let fraction = rem % 1_000_000
        for t in tokens {
            switch t {
            case .literal(let b):
                out.append(contentsOf: b)
            case .field(let c, let n):
                switch c {
                case "y":
                    if n == 2 {
                        Self.appendNumber(((year % 100) + 100) % 100, width: 2, to: &out)
                    } else {
                        if year < 0 { out.append(UInt8(ascii: "-")) }
                        Self.appendNumber(year.magnitude, width: n == 4 ? 4 : 1, to: &out)
                    }
                case "M": Self.appendNumber(Int64(month), width: n, to: &out)
                case "d": Self.appendNumber(Int64(day), width: n, to: &out)
                case "D":
                    let doy = days - TemporalText.days(year: year, month: 1, day: 1) + 1
                    Self.appendNumber(doy, width: n, to: &out)
                case "H": Self.appendNumber(secondOfDay / 3600, width: n, to: &out)
                case "m": Self.appendNumber(secondOfDay / 60 % 60, width: n, to: &out)
                case "s": Self.appendNumber(secondOfDay % 60, width: n, to: &out)
                case "S":
                    // n fraction digits, from the 6 we have (more are zeros).
                    var digits: [UInt8] = []
                    Self.appendNumber(fraction, width: 6, to: &digits)
                    for k in 0..<n { out.append(k < 6 ? digits[k] : UInt8(ascii: "0")) }
                default: break
                }
            }
        }
    }

    private static func appendNumber<T: BinaryInteger>(_ v: T, width: Int, to out: inout [UInt8]) {
        let s = String(v)
        if s.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - s.count)) }
        out.append(contentsOf: s.utf8)
    }

    /// Parses `text` with the pattern into microseconds since the epoch (UTC). Missing fields
    /// default to 1970, January, the 1st, midnight.
    func parse(_ text: UnsafeRawBufferPointer) throws(TextValueError) -> Int64 {
        var i = 0
        var year: Int64 = 1970
        var month = 1
        var day = 1
        var dayOfYear: Int?
        var hour: Int64 = 0
        var minute: Int64 = 0
        var second: Int64 = 0
        var fraction: Int64 = 0

        func digits(min: Int, max: Int, _ what: String) throws(TextValueError) -> (Int64, Int) {
            var v: Int64 = 0
            var k = 0
            while k < max && i < text.count && text[i] &- UInt8(ascii: "0") < 10 {
                v = v * 10 + Int64(text[i] &- UInt8(ascii: "0"))
                i += 1
                k += 1
            }
            guard k >= min else {
                throw TextValueError(
                    "expected \(min == max ? "\(min)" : "\(min) to \(max)") digits for the \(what) at offset \(i)")
            }
            return (v, k)
        }

        for t in tokens {
            switch t {
            case .literal(let b):
                for x in b {
                    guard i < text.count && text[i] == x else {
                        throw TextValueError(
                            "expected '\(String(decoding: b, as: UTF8.self))' at offset \(i) (pattern '\(self.text)')")
                    }
                    i += 1
                }
            case .field(let c, let n):
                let fixed = n >= 2
                switch c {
                case "y":
                    var negative = false
                    if n != 2 && i < text.count && text[i] == UInt8(ascii: "-") {
                        negative = true
                        i += 1
                    }
                    let (v, _) = try digits(min: n == 2 ? 2 : (n == 4 ? 4 : 1), max: n == 2 ? 2 : 9, "year")
                    year = n == 2 ? 2000 + v : (negative ? -v : v)
                case "M": month = Int(try digits(min: fixed ? 2 : 1, max: 2, "month").0)
                case "d": day = Int(try digits(min: fixed ? 2 : 1, max: 2, "day").0)
                case "D": dayOfYear = Int(try digits(min: n, max: 3, "day of year").0)
                case "H": hour = try digits(min: fixed ? 2 : 1, max: 2, "hour").0
                case "m": minute = try digits(min: fixed ? 2 : 1, max: 2, "minute").0
                case "s": second = try digits(min: fixed ? 2 : 1, max: 2, "second").0
                case "S":
                    let (v, k) = try digits(min: n, max: n, "fraction")
                    var f = v
                    if k < 6 { for _ in k..<6 { f *= 10 } } else { for _ in 6..<k { f /= 10 } }
                    fraction = f
                default: break
                }
            }
        }
        guard i == text.count else { throw TextValueError("unexpected text at offset \(i) (pattern '\(self.text)')") }
        guard month >= 1 && month <= 12 else { throw TextValueError("month \(month) out of range") }
        guard day >= 1 && day <= TemporalText.daysInMonth(year: year, month: month) else {
            throw TextValueError("day \(day) out of range for \(year)-\(month)")
        }
        guard hour < 24 && minute < 60 && second < 60 else { throw TextValueError("time of day out of range") }
        var days = TemporalText.days(year: year, month: month, day: day)
        if let doy = dayOfYear {
            let leap = TemporalText.isLeapYear(year)
            guard doy >= 1 && doy <= (leap ? 366 : 365) else { throw TextValueError("day of year \(doy) out of range") }
            days = TemporalText.days(year: year, month: 1, day: 1) + Int64(doy - 1)
        }
        let seconds = days.multipliedReportingOverflow(by: 86_400)
        guard !seconds.overflow else { throw TextValueError("out of range") }
        let (micros, o) = (seconds.partialValue + hour * 3600 + minute * 60 + second).multipliedReportingOverflow(
            by: 1_000_000)
        guard !o else { throw TextValueError("out of range") }
        return micros + fraction
    }
}
