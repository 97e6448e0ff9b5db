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
        let unitDigits = switch unit {
        case .millis: 3
        case .micros: 6
        case .nanos: 9
        }
        // Integer-part digits of the value: digits.count + exponent.
        let isMillis = d.digits.count + d.exponent >= 12
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

/// The significant digits and decimal exponent of number text, exact.
struct DecimalDigits {
    var negative = false
    /// Significant digits, most significant first, no leading zeros (empty for zero).
    var digits: [UInt8] = []
    /// value = digits × 10^exponent
    var exponent = 0

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
            let d = t[i] &- UInt8(ascii: "0")
            if !(digits.isEmpty && d == 0) { digits.append(d) }
            i += 1
        }
        if i < n && t[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                let d = t[i] &- UInt8(ascii: "0")
                if !(digits.isEmpty && d == 0) { digits.append(d) }
                exponent -= 1
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
        if digits.isEmpty { exponent = 0 }
    }

    /// ⌊|value| × 10^shift⌋, or `nil` when it does not fit `Int64`.
    func integerPart(scaledBy shift: Int) -> Int64? {
        let e = exponent + shift
        let intDigits = digits.count + e
        if intDigits <= 0 { return 0 }
        if intDigits > 19 { return nil }
        var v: Int64 = 0
        for k in 0..<intDigits {
            let d = k < digits.count ? Int64(digits[k]) : 0
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }

    /// Whether the value has no fractional part.
    var isInteger: Bool {
        if exponent >= 0 || digits.isEmpty { return true }
        let fraction = -exponent
        guard fraction <= digits.count else { return false }
        return digits.suffix(fraction).allSatisfy { $0 == 0 }
    }
}
