import LakeCore

/// Conversion of numeric epoch times as they appear in change records into exact integer units.
///
/// DynamoDB Streams records carry `ApproximateCreationDateTime` in epoch **seconds** (AWS gives
/// whole seconds, possibly in exponent form such as `1.4794997E9`; local emulators add a
/// fraction), the Kinesis shape in epoch **milliseconds**. lake tells them apart by size: a
/// value of 10^11 or more is milliseconds (10^11 seconds is in the year 5138), anything smaller
/// is seconds. The conversion is exact decimal arithmetic; digits below the target unit are
/// truncated.
public enum EpochTime {
    /// Parses number text (`-?digits[.digits][e±digits]`) as an epoch time and returns it in
    /// `unit`, applying the seconds/milliseconds rule above.
    ///
    /// - Throws: ``TextValueError`` when the text is not a number or the value is out of range.
    public static func parse(_ t: UnsafeRawBufferPointer, unit: TimeUnit) throws(TextValueError) -> Int64 {
        let d = try DecimalDigits(t)
        let unitDigits =
            switch unit {
            case .millis: 3
            case .micros: 6
            case .nanos: 9
            }
        // Integer-part digits of the value: digits.count + exponent.
        let isMillis = d.integerDigits >= 12
        let shift = isMillis ? unitDigits - 3 : unitDigits
        guard let v = d.integerPart(scaledBy: shift) else {
            throw TextValueError("epoch time out of range")
        }
        return d.negative ? -v : v
    }

    /// The value of number text as whole epoch milliseconds (seconds/milliseconds by size).
    public static func millis(_ t: UnsafeRawBufferPointer) throws(TextValueError) -> Int64 {
        try parse(t, unit: .millis)
    }
}

/// The significant digits and decimal exponent of number text, without allocating: up to 19
/// significant digits are kept exactly; further digits only matter as "nonzero or not".
struct DecimalDigits {
    var negative = false
    /// The first (up to 19) significant digits.
    var mantissa: UInt64 = 0
    /// How many digits `mantissa` holds.
    var kept = 0
    /// value ≈ mantissa × 10^exponent (exact unless `droppedNonZero`).
    var exponent = 0
    /// A nonzero digit was dropped beyond the 19 kept.
    var droppedNonZero = false

    init(_ t: UnsafeRawBufferPointer) throws(TextValueError) {
        var i = 0
        let n = t.count
        if i < n && (t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+")) {
            negative = t[i] == UInt8(ascii: "-")
            i += 1
        }
        var sawDigit = false
        while i < n, t[i] &- UInt8(ascii: "0") < 10 {
            sawDigit = true
            take(t[i] &- UInt8(ascii: "0"), fraction: false)
            i += 1
        }
        if i < n && t[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                take(t[i] &- UInt8(ascii: "0"), fraction: true)
                i += 1
            }
        }
        guard sawDigit else { throw TextValueError("not a number") }
        if i < n && (t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E")) {
            i += 1
            var eneg = false
            if i < n && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) {
                eneg = t[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var sawExp = false
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                sawExp = true
                if e < 100_000 { e = e * 10 + Int(t[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            guard sawExp else { throw TextValueError("not a number (no digits in the exponent)") }
            exponent += eneg ? -e : e
        }
        guard i == n else { throw TextValueError("not a number") }
        if mantissa == 0 { exponent = 0 }
    }

    @inline(__always)
    private mutating func take(_ d: UInt8, fraction: Bool) {
        if kept == 0 && d == 0 {
            if fraction { exponent -= 1 }
            return
        }
        if kept < 19 {
            mantissa = mantissa &* 10 &+ UInt64(d)
            kept += 1
            if fraction { exponent -= 1 }
        } else {
            if !fraction { exponent += 1 }
            if d != 0 { droppedNonZero = true }
        }
    }

    /// Digits before the decimal point.
    var integerDigits: Int { mantissa == 0 ? 0 : kept + exponent }

    /// ⌊|value| × 10^shift⌋, or `nil` when it does not fit `Int64`.
    func integerPart(scaledBy shift: Int) -> Int64? {
        let e = exponent + shift
        if mantissa == 0 { return 0 }
        if e >= 0 {
            if droppedNonZero || e > 19 { return nil }
            var v = mantissa
            for _ in 0..<e {
                let (m, o) = v.multipliedReportingOverflow(by: 10)
                if o { return nil }
                v = m
            }
            return v <= UInt64(Int64.max) ? Int64(v) : nil
        }
        if -e > 19 { return 0 }
        var p: UInt64 = 1
        for _ in 0 ..< -e { p &*= 10 }
        let v = mantissa / p
        return v <= UInt64(Int64.max) ? Int64(v) : nil
    }

    /// Whether the value has no fractional part.
    var isInteger: Bool {
        if mantissa == 0 { return true }
        if droppedNonZero { return false }
        if exponent >= 0 { return true }
        if -exponent > 19 { return false }
        var p: UInt64 = 1
        for _ in 0 ..< -exponent { p &*= 10 }
        return mantissa % p == 0
    }
}
