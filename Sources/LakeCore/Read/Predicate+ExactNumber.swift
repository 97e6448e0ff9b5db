import LakeParquet

/// A number literal held exactly as `digits × 10^exponent`, so that comparisons with integer,
/// decimal and temporal columns never round through floating point.
struct ExactNumber: Sendable, Hashable {
    var negative: Bool
    /// Significant decimal digits (0–9), most significant first, with neither leading nor
    /// trailing zeros; empty for zero.
    var digits: [UInt8]
    var exponent: Int

    /// Exponents are clamped to this magnitude; any number this large or small is beyond every
    /// column value (or rounds to zero) anyway.
    private static let exponentLimit = 1_000_000

    /// Parses `[+-]? (digits ['.' digits?] | '.' digits) ([eE] [+-]? digits)?`; nil otherwise.
    init?(text: String) {
        var t = text
        guard let parsed = t.withUTF8({ ExactNumber(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    init?(utf8 t: UnsafeRawBufferPointer) {
        let n = t.count
        var i = 0
        var neg = false
        if i < n && (t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+")) {
            neg = t[i] == UInt8(ascii: "-")
            i += 1
        }
        var ds: [UInt8] = []
        var exp = 0
        var mantissaDigits = 0
        while i < n, t[i] &- UInt8(ascii: "0") < 10 {
            ds.append(t[i] - UInt8(ascii: "0"))
            mantissaDigits += 1
            i += 1
        }
        if i < n && t[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                ds.append(t[i] - UInt8(ascii: "0"))
                exp -= 1
                mantissaDigits += 1
                i += 1
            }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < n && (t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E")) {
            i += 1
            var eneg = false
            if i < n && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) {
                eneg = t[i] == UInt8(ascii: "-"); i += 1
            }
            let start = i
            var e = 0
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                if e < Self.exponentLimit { e = e * 10 + Int(t[i] - UInt8(ascii: "0")) }
                i += 1
            }
            guard i > start else { return nil }
            exp += eneg ? -e : e
        }
        guard i == n else { return nil }
        self.init(negative: neg, digits: ds, exponent: exp)
    }

    /// Normalizes: strips leading and trailing zeros, makes zero non-negative.
    init(negative: Bool, digits: [UInt8], exponent: Int) {
        var lo = 0, hi = digits.count
        while lo < hi && digits[lo] == 0 { lo += 1 }
        var exp = exponent
        while hi > lo && digits[hi - 1] == 0 { hi -= 1; exp += 1 }
        self.digits = Array(digits[lo..<hi])
        self.negative = negative && lo < hi
        self.exponent = self.digits.isEmpty ? 0 : max(-Self.exponentLimit, min(Self.exponentLimit, exp))
    }

    init(_ value: Int64) {
        self.init(negative: value < 0, digits: String(value.magnitude).utf8.map { $0 - UInt8(ascii: "0") }, exponent: 0)
    }

    var isZero: Bool { digits.isEmpty }

    /// Whether the value has no fractional part.
    var isIntegral: Bool { exponent >= 0 }

    /// The value times `10^k`.
    func scaled(by k: Int) -> ExactNumber {
        ExactNumber(negative: negative, digits: digits, exponent: exponent + k)
    }

    /// Decimal digits before the point (for zero or a pure fraction, 0).
    private var integerDigitCount: Int { max(0, digits.count + exponent) }

    // MARK: Integer bounds

    /// The floor and ceiling of the value in an integer type, saturating to `.below`/`.above`
    /// when they fall outside it.
    func bounds<T: FixedWidthInteger>(_: T.Type) -> LiteralBounds<T> {
        guard !isZero else { return LiteralBounds(exactly: .value(0)) }
        // Truncated magnitude, with overflow, then adjusted by one for a fraction.
        var magnitude: UInt64 = 0
        var overflow = integerDigitCount > 20
        if !overflow {
            for k in 0..<integerDigitCount {
                let d = k < digits.count ? UInt64(digits[k]) : 0
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { overflow = true; break }
                magnitude = s
            }
        }
        let hasFraction = !isIntegral
        func clamp(_ negative: Bool, _ mag: UInt64, _ over: Bool) -> Clamped<T> {
            if over { return negative ? .below : .above }
            if !negative { return mag <= UInt64(T.max) ? .value(T(mag)) : .above }
            if mag == 0 { return .value(0) }
            guard T.isSigned, mag <= T.min.magnitude.toUInt64 else { return .below }
            return .value(T(truncatingIfNeeded: 0 &- mag))
        }
        let (up, upOverflow) = magnitude.addingReportingOverflow(hasFraction ? 1 : 0)
        if negative {
            return LiteralBounds(floor: clamp(true, up, overflow || upOverflow), ceil: clamp(true, magnitude, overflow))
        }
        return LiteralBounds(floor: clamp(false, magnitude, overflow), ceil: clamp(false, up, overflow || upOverflow))
    }

    /// The floor and ceiling as exact big integers, `.below`/`.above` beyond `maxDigits` digits.
    func bigBounds(maxDigits: Int) -> LiteralBounds<UnscaledDecimal> {
        guard integerDigitCount <= maxDigits else {
            return LiteralBounds(exactly: negative ? .below : .above)
        }
        var limbs: [UInt32] = []
        for k in 0..<integerDigitCount {
            var carry = UInt64(k < digits.count ? digits[k] : 0)
            for j in limbs.indices {
                let p = UInt64(limbs[j]) * 10 + carry
                limbs[j] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
            }
            if carry != 0 { limbs.append(UInt32(carry)) }
        }
        let truncated = Self.decimal(negative: negative, limbs)
        guard !isIntegral else { return LiteralBounds(exactly: .value(truncated)) }
        var up = limbs
        var carry: UInt64 = 1
        for j in up.indices where carry != 0 {
            let s = UInt64(up[j]) + carry
            up[j] = UInt32(truncatingIfNeeded: s)
            carry = s >> 32
        }
        if carry != 0 { up.append(UInt32(carry)) }
        let away = Self.decimal(negative: negative, up)
        return negative
            ? LiteralBounds(floor: .value(away), ceil: .value(truncated))
            : LiteralBounds(floor: .value(truncated), ceil: .value(away))
    }

    private static func decimal(negative: Bool, _ limbs: [UInt32]) -> UnscaledDecimal {
        var l = limbs
        while let last = l.last, last == 0 { l.removeLast() }
        return UnscaledDecimal(negative: negative && !l.isEmpty, magnitude: l)
    }

    // MARK: Floating point

    /// Normalized text (`-123e-2`) the standard library's correctly rounded parsers accept.
    private var scientificText: String {
        if isZero { return negative ? "-0" : "0" }
        let ds = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        return (negative ? "-" : "") + ds + "e" + String(exponent)
    }

    /// The nearest `Double`; ±infinity when the magnitude is beyond the finite range.
    var double: Double {
        if isZero { return 0 }
        if integerDigitCount > 400 { return negative ? -.infinity : .infinity }
        if digits.count + exponent < -400 { return negative ? -0.0 : 0.0 }
        return Double(scientificText) ?? (negative ? -.infinity : .infinity)
    }

    /// The nearest `Float`; ±infinity when the magnitude is beyond the finite range.
    var float: Float {
        if isZero { return 0 }
        if integerDigitCount > 60 { return negative ? -.infinity : .infinity }
        if digits.count + exponent < -60 { return negative ? -0.0 : 0.0 }
        return Float(scientificText) ?? (negative ? -.infinity : .infinity)
    }

    /// The nearest half float as a `Float`; ±infinity when beyond the half range.
    var half: Float {
        if isZero { return 0 }
        if integerDigitCount > 10 { return negative ? -.infinity : .infinity }
        if digits.count + exponent < -10 { return negative ? -0.0 : 0.0 }
        var t = scientificText
        guard let bits = t.withUTF8({ HalfFloat.bits(parsing: UnsafeRawBufferPointer($0)) }) else {
            return negative ? -.infinity : .infinity
        }
        return HalfFloat.float(fromBits: bits)
    }
}

private extension FixedWidthInteger {
    var toUInt64: UInt64 { UInt64(truncatingIfNeeded: self) }
}

/// A bound that may lie outside a type's range.
enum Clamped<V: Hashable>: Hashable {
    /// Below every value of the type.
    case below
    case value(V)
    /// Above every value of the type.
    case above
}

/// The floor and ceiling of a literal in a column's integer domain (equal when the literal is a
/// whole number of the domain's units).
struct LiteralBounds<V: Hashable>: Hashable {
    var floor: Clamped<V>
    var ceil: Clamped<V>

    init(floor: Clamped<V>, ceil: Clamped<V>) {
        self.floor = floor
        self.ceil = ceil
    }

    init(exactly v: Clamped<V>) {
        floor = v
        ceil = v
    }

    /// The same bounds in another domain.
    func map<W: Hashable>(_ f: (V) -> Clamped<W>) -> LiteralBounds<W> {
        func m(_ c: Clamped<V>) -> Clamped<W> {
            switch c {
            case .below: .below
            case .above: .above
            case .value(let v): f(v)
            }
        }
        return LiteralBounds<W>(floor: m(floor), ceil: m(ceil))
    }

    /// The test `value op literal` for integer-valued `value`:
    /// `v < L ⇔ v < ⌈L⌉`, `v <= L ⇔ v <= ⌊L⌋`, `v > L ⇔ v > ⌊L⌋`, `v >= L ⇔ v >= ⌈L⌉`, and `=`
    /// holds only for a whole literal inside the domain.
    func test(_ op: ComparisonOperator) -> RangeTest<V> {
        switch op {
        case .equal, .notEqual:
            guard floor == ceil, case .value(let n) = floor else { return op == .equal ? .never : .always }
            return .op(op, n)
        case .less:
            switch ceil {
            case .below: return .never
            case .above: return .always
            case .value(let n): return .op(.less, n)
            }
        case .lessOrEqual:
            switch floor {
            case .below: return .never
            case .above: return .always
            case .value(let n): return .op(.lessOrEqual, n)
            }
        case .greater:
            switch floor {
            case .below: return .always
            case .above: return .never
            case .value(let n): return .op(.greater, n)
            }
        case .greaterOrEqual:
            switch ceil {
            case .below: return .always
            case .above: return .never
            case .value(let n): return .op(.greaterOrEqual, n)
            }
        }
    }

    /// The literal's exact value when it is a whole number inside the domain.
    var exact: V? {
        guard floor == ceil, case .value(let n) = floor else { return nil }
        return n
    }
}

/// A comparison of non-null column values with one converted literal.
enum RangeTest<V: Hashable>: Hashable {
    /// Holds for every non-null value.
    case always
    /// Holds for no value.
    case never
    /// `value op literal` in the column's order.
    case op(ComparisonOperator, V)

    func map<W: Hashable>(_ f: (V) -> W) -> RangeTest<W> {
        switch self {
        case .always: .always
        case .never: .never
        case .op(let o, let v): .op(o, f(v))
        }
    }
}

extension UnscaledDecimal {
    /// A value from its sign and little-endian 32-bit magnitude limbs (no high zero limbs).
    init(negative: Bool, magnitude: [UInt32]) {
        self.negative = negative && !magnitude.isEmpty
        self.magnitude = magnitude
    }
}
