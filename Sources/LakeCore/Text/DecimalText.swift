/// Exact conversion between DECIMAL unscaled integers (INT32, INT64, or big-endian two's
/// complement bytes of any length) and decimal text with exactly `scale` fraction digits.
///
/// Never goes through floating point: arbitrary-length values use base-2^32 limb arithmetic.
public enum DecimalText {
    // MARK: Formatting

    /// Appends `unscaled × 10^-scale` with exactly `scale` fraction digits (`-123.40`, `0.05`, `7`).
    public static func appendDecimal(unscaled: Int64, scale: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            var x = unscaled.magnitude
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: x % 10)
                x /= 10
            } while x > 0
            appendScaled(
                digits: UnsafeBufferPointer(rebasing: buf[i..<20]), negative: unscaled < 0, scale: scale, to: &out)
        }
    }

    /// Appends the decimal whose unscaled value is the big-endian two's complement integer in
    /// `bytes` (empty means 0), with exactly `scale` fraction digits.
    public static func appendDecimal(bigEndian bytes: UnsafeRawBufferPointer, scale: Int, to out: inout [UInt8]) {
        let n = bytes.count
        if n <= 8 {
            var v: Int64 = n > 0 && bytes[0] & 0x80 != 0 ? -1 : 0
            for b in bytes { v = v << 8 | Int64(b) }
            appendDecimal(unscaled: v, scale: scale, to: &out)
            return
        }
        let negative = bytes[0] & 0x80 != 0
        let limbCount = (n + 3) / 4
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: limbCount) { limbs in
            // Little-endian limbs, sign-extended.
            for k in 0..<limbCount {
                var w: UInt32 = 0
                for j in (0..<4).reversed() {
                    let idx = n - 1 - (k * 4 + j)
                    let b: UInt8 = idx >= 0 ? bytes[idx] : (negative ? 0xFF : 0)
                    w = w << 8 | UInt32(b)
                }
                limbs[k] = w
            }
            if negative {
                var carry: UInt64 = 1
                for k in 0..<limbCount {
                    let s = UInt64(~limbs[k]) + carry
                    limbs[k] = UInt32(truncatingIfNeeded: s)
                    carry = s >> 32
                }
            }
            // Each limb holds < 9.64 decimal digits; reserve 10 per limb.
            let capacity = limbCount * 10 + 1
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buf in
                var i = capacity
                var top = limbCount
                while top > 0 && limbs[top - 1] == 0 { top -= 1 }
                repeat {
                    // Divide the magnitude by 10^9, collecting the remainder's 9 digits.
                    var rem: UInt64 = 0
                    var k = top
                    while k > 0 {
                        k -= 1
                        let cur = rem << 32 | UInt64(limbs[k])
                        limbs[k] = UInt32(cur / 1_000_000_000)
                        rem = cur % 1_000_000_000
                    }
                    while top > 0 && limbs[top - 1] == 0 { top -= 1 }
                    for _ in 0..<9 {
                        i -= 1
                        buf[i] = UInt8(ascii: "0") &+ UInt8(rem % 10)
                        rem /= 10
                        if top == 0 && rem == 0 { break }
                    }
                } while top > 0
                while i < capacity - 1 && buf[i] == UInt8(ascii: "0") { i += 1 }
                appendScaled(
                    digits: UnsafeBufferPointer(rebasing: buf[i..<capacity]), negative: negative, scale: scale, to: &out
                )
            }
        }
    }

    /// Parses plain decimal text `-?[0-9]+(.[0-9]+)?` as the unscaled `Int64` of a
    /// DECIMAL(precision ≤ 18, scale); `nil` when the text has another form or does not fit
    /// exactly (callers fall back to ``UnscaledDecimal``, which explains why).
    public static func parseUnscaledInt64(_ t: UnsafeRawBufferPointer, precision: Int, scale: Int) -> Int64? {
        guard precision <= 18, scale >= 0 else { return nil }
        let n = t.count
        var i = 0
        let negative = n > 0 && t[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var v: Int64 = 0
        var significant = 0
        let intStart = i
        while i < n, t[i] &- UInt8(ascii: "0") < 10 {
            let d = Int64(t[i] &- UInt8(ascii: "0"))
            if v != 0 || d != 0 { significant += 1 }
            if significant > 18 { return nil }
            v = v &* 10 &+ d
            i += 1
        }
        guard i > intStart else { return nil }
        var fraction = 0
        if i < n && t[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                let d = Int64(t[i] &- UInt8(ascii: "0"))
                if fraction < scale {
                    v = v &* 10 &+ d
                    fraction += 1
                } else if d != 0 {
                    return nil
                }
                i += 1
            }
            guard i > fracStart else { return nil }
        }
        guard i == n else { return nil }
        for _ in fraction..<scale { v = v &* 10 }
        guard significant + scale <= precision else { return nil }
        return negative ? -v : v
    }

    /// Appends a sign, then `digits` (the unscaled magnitude, no leading zeros) with a decimal
    /// point placed `scale` digits from the right, zero-padded (`5`, scale 3 → `0.005`).
    private static func appendScaled(
        digits: UnsafeBufferPointer<UInt8>, negative: Bool, scale: Int, to out: inout [UInt8]
    ) {
        let isZero = digits.count == 1 && digits[0] == UInt8(ascii: "0")
        if negative && !isZero { out.append(UInt8(ascii: "-")) }
        if scale <= 0 {
            out.append(contentsOf: digits)
            if !isZero && scale < 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -scale)) }
            return
        }
        if digits.count > scale {
            let split = digits.count - scale
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[0..<split]))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[split...]))
        } else {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - digits.count))
            out.append(contentsOf: digits)
        }
    }
}

/// An exact decimal parsed for a DECIMAL(precision, scale) column: the sign and the unscaled
/// magnitude (`value × 10^scale`) as little-endian base-2^32 limbs.
public struct UnscaledDecimal: Sendable, Hashable {
    /// Whether the value is below zero (never true for zero).
    public var negative: Bool
    /// Little-endian 32-bit limbs of the magnitude, without high zero limbs (empty for 0).
    public var magnitude: [UInt32]

    /// Parses decimal text (`-123.4`, `7`, `1.5e3`, `.5` is rejected) as a value with exactly
    /// `scale` fraction digits and at most `precision` digits in total.
    ///
    /// Fewer fraction digits are padded with zeros; more are accepted only when the extra
    /// digits are zeros (no silent rounding).
    /// - Throws: ``TextValueError`` naming why the text does not fit.
    public init(parsing t: UnsafeRawBufferPointer, precision: Int, scale: Int) throws(TextValueError) {
        var i = 0
        let n = t.count
        var neg = false
        if i < n && (t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+")) {
            neg = t[i] == UInt8(ascii: "-")
            i += 1
        }
        let intStart = i
        while i < n, t[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        let intEnd = i
        var fracStart = i
        var fracEnd = i
        if i < n && t[i] == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            while i < n, t[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            fracEnd = i
            guard fracEnd > fracStart else { throw TextValueError("expected digits after '.'") }
        }
        guard intEnd > intStart else { throw TextValueError("expected a digit") }
        var exponent = 0
        if i < n && (t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E")) {
            i += 1
            var eneg = false
            if i < n && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) {
                eneg = t[i] == UInt8(ascii: "-"); i += 1
            }
            let es = i
            while i < n, t[i] &- UInt8(ascii: "0") < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(t[i] - UInt8(ascii: "0")) }
                i += 1
            }
            guard i > es else { throw TextValueError("expected digits in the exponent") }
            if eneg { exponent = -exponent }
        }
        guard i == n else { throw TextValueError("not a decimal number") }

        // All digits in order; the unscaled value is digits × 10^shift.
        var digits: [UInt8] = []
        digits.reserveCapacity(intEnd - intStart + fracEnd - fracStart)
        for k in intStart..<intEnd { digits.append(t[k] - UInt8(ascii: "0")) }
        for k in fracStart..<fracEnd { digits.append(t[k] - UInt8(ascii: "0")) }
        var firstNonZero = 0
        while firstNonZero < digits.count && digits[firstNonZero] == 0 { firstNonZero += 1 }
        negative = neg
        magnitude = []
        if firstNonZero == digits.count { negative = false; return }
        digits.removeFirst(firstNonZero)
        let shift = exponent - (fracEnd - fracStart) + scale
        if shift < 0 {
            let drop = -shift
            let keep = digits.count - drop
            for k in max(keep, 0)..<digits.count where digits[k] != 0 {
                throw TextValueError("more than \(scale) fraction digits for DECIMAL(\(precision),\(scale))")
            }
            if keep <= 0 { negative = false; return }
            digits.removeLast(drop)
        } else {
            guard digits.count + shift <= precision else {
                throw TextValueError("more than \(precision) digits for DECIMAL(\(precision),\(scale))")
            }
            digits.append(contentsOf: repeatElement(0, count: shift))
        }
        guard digits.count <= precision else {
            throw TextValueError("more than \(precision) digits for DECIMAL(\(precision),\(scale))")
        }
        for d in digits {
            var carry = UInt64(d)
            for k in magnitude.indices {
                let p = UInt64(magnitude[k]) * 10 + carry
                magnitude[k] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
            }
            if carry != 0 { magnitude.append(UInt32(carry)) }
        }
    }

    /// The value as `Int64`, or `nil` when it does not fit.
    public var int64: Int64? {
        guard magnitude.count <= 2 else { return nil }
        var m: UInt64 = 0
        for (k, l) in magnitude.enumerated() { m |= UInt64(l) << (32 * UInt64(k)) }
        if negative {
            guard m <= UInt64(Int64.max) + 1 else { return nil }
            return m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m)
        }
        guard m <= UInt64(Int64.max) else { return nil }
        return Int64(m)
    }

    /// Appends the big-endian two's complement encoding, `width` bytes long, or the shortest
    /// that holds the value when `width` is nil. Returns false (appending nothing) when the value
    /// does not fit in `width` bytes.
    public func appendBigEndian(width: Int?, to out: inout [UInt8]) -> Bool {
        // Two's complement as little-endian bytes, one spare byte for the sign.
        var le: [UInt8] = []
        le.reserveCapacity(magnitude.count * 4 + 1)
        for l in magnitude {
            for k in 0..<4 { le.append(UInt8(truncatingIfNeeded: l >> (8 * UInt32(k)))) }
        }
        le.append(0)
        if negative {
            var carry: UInt16 = 1
            for k in le.indices {
                let s = UInt16(~le[k]) + carry
                le[k] = UInt8(truncatingIfNeeded: s)
                carry = s >> 8
            }
        }
        let fill: UInt8 = negative ? 0xFF : 0
        // Shortest length whose top bit still carries the sign.
        var len = le.count
        while len > 1 && le[len - 1] == fill && (le[len - 2] & 0x80 == 0) == !negative { len -= 1 }
        let w = width ?? len
        guard len <= w else { return false }
        out.append(contentsOf: repeatElement(fill, count: w - len))
        for k in (0..<len).reversed() { out.append(le[k]) }
        return true
    }
}
