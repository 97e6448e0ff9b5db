/// A JSON number kept as its exact text, so that 38-digit decimals and 64-bit integers are never
/// rounded through a `Double`.
///
/// Two numbers are equal when their texts are equal (`1.0` and `1` differ). The accessors convert
/// on demand and return `nil` rather than a wrong value: ``int64`` only for integer syntax within
/// range, ``double`` only when the magnitude fits (rounding to the nearest double is expected).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, valid per RFC 8259.
    public let text: String

    /// Wraps text already known to be a valid JSON number.
    init(validText: String) { self.text = validText }

    /// Validates `text` against the JSON number grammar; `nil` when it is not a JSON number.
    public init?(_ text: String) {
        var t = text
        let ok = t.withUTF8 { buf -> Bool in
            var s = JSONScanner(UnsafeRawBufferPointer(buf))
            guard (try? s.scanNumber()) != nil else { return false }
            return s.isAtEnd
        }
        guard ok, !text.isEmpty else { return nil }
        self.text = text
    }

    /// The decimal text of an integer.
    public init(_ value: Int64) { text = String(value) }
    /// The decimal text of an unsigned integer.
    public init(_ value: UInt64) { text = String(value) }
    /// The decimal text of an integer.
    public init(_ value: Int) { text = String(value) }

    /// The shortest text that reads back as `value`; `nil` for NaN and infinities, which JSON
    /// numbers cannot express.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        text = value.description
    }

    /// The number's text.
    public var description: String { text }

    /// True when the text has neither a fraction nor an exponent.
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as `Int64` when the text is an integer within range, else `nil`.
    public var int64: Int64? { withText { Self.int64(fromText: $0) } }

    /// The value as `UInt64` when the text is a non-negative integer within range, else `nil`.
    public var uint64: UInt64? { withText { Self.uint64(fromText: $0) } }

    /// The nearest `Double`, or `nil` when the magnitude exceeds `Double.greatestFiniteMagnitude`.
    public var double: Double? { withText { Self.double(fromText: $0) } }

    /// The nearest `Float`, or `nil` when the magnitude exceeds `Float.greatestFiniteMagnitude`.
    public var float: Float? { withText { Self.float(fromText: $0) } }

    private func withText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var t = text
        return t.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}

// MARK: Conversions on validated number text

extension JSONNumber {
    /// Parses integer text (`-?[0-9]+`) as `Int64`; `nil` on any other syntax or overflow.
    public static func int64(fromText t: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        let negative = t.count > 0 && t[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < t.count else { return nil }
        var v: Int64 = 0
        while i < t.count {
            let d = t[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }

    /// Parses integer text (`[0-9]+`, or `-0`) as `UInt64`; `nil` on any other syntax, a
    /// negative value or overflow.
    public static func uint64(fromText t: UnsafeRawBufferPointer) -> UInt64? {
        var i = 0
        let negative = t.count > 0 && t[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < t.count else { return nil }
        var v: UInt64 = 0
        while i < t.count {
            let d = t[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        if negative && v != 0 { return nil }
        return v
    }

    /// Converts valid JSON number text to the nearest `Double`; `nil` when it overflows.
    ///
    /// Short inputs take an exact fast path (mantissa below 2^53 and a power of ten up to 10^22,
    /// both exactly representable, so one IEEE operation rounds correctly); the rest use the
    /// standard library's correctly rounded conversion.
    public static func double(fromText t: UnsafeRawBufferPointer) -> Double? {
        let d = DecimalScan(t)
        if d.mantissa == 0 && !d.truncated { return d.negative ? -0.0 : 0.0 }
        if !d.truncated && d.mantissa <= 1 << 53 && d.exponent >= -22 && d.exponent <= 22 {
            var v = Double(d.mantissa)
            if d.exponent < 0 { v /= powersOfTen[-d.exponent] } else { v *= powersOfTen[d.exponent] }
            return d.negative ? -v : v
        }
        guard let v = Double(String(decoding: t, as: UTF8.self)), v.isFinite else { return nil }
        return v
    }

    /// Converts valid JSON number text to the nearest `Float`; `nil` when it overflows.
    public static func float(fromText t: UnsafeRawBufferPointer) -> Float? {
        let d = DecimalScan(t)
        if d.mantissa == 0 && !d.truncated { return d.negative ? -0.0 : 0.0 }
        if !d.truncated && d.mantissa <= 1 << 24 && d.exponent >= -10 && d.exponent <= 10 {
            var v = Float(d.mantissa)
            if d.exponent < 0 { v /= Float(powersOfTen[-d.exponent]) } else { v *= Float(powersOfTen[d.exponent]) }
            return d.negative ? -v : v
        }
        guard let v = Float(String(decoding: t, as: UTF8.self)), v.isFinite else { return nil }
        return v
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}

/// The significant digits (up to 19) and decimal exponent of valid JSON number text.
private struct DecimalScan {
    var negative = false
    var mantissa: UInt64 = 0
    var exponent = 0
    /// Non-zero digits were dropped beyond the 19 kept.
    var truncated = false

    init(_ t: UnsafeRawBufferPointer) {
        var i = 0
        let n = t.count
        if i < n && t[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var kept = 0
        while i < n, t[i] &- UInt8(ascii: "0") < 10 {
            take(t[i] &- UInt8(ascii: "0"), kept: &kept, fraction: false)
            i += 1
        }
        if i < n && t[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                take(t[i] &- UInt8(ascii: "0"), kept: &kept, fraction: true)
                i += 1
            }
        }
        if i < n && (t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E")) {
            i += 1
            var eneg = false
            if i < n && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) {
                eneg = t[i] == UInt8(ascii: "-"); i += 1
            }
            var e = 0
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                if e < 1_000_000 { e = e * 10 + Int(t[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            exponent += eneg ? -e : e
        }
    }

    private mutating func take(_ d: UInt8, kept: inout Int, fraction: Bool) {
        if mantissa == 0 && d == 0 {
            if fraction { exponent -= 1 }
            return
        }
        if kept < 19 {
            mantissa = mantissa * 10 + UInt64(d)
            kept += 1
            if fraction { exponent -= 1 }
        } else {
            if !fraction { exponent += 1 }
            if d != 0 { truncated = true }
        }
    }
}
