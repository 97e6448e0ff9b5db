/// IEEE 754 binary16 values as Parquet's FLOAT16 stores them (2 bytes, little-endian).
public enum HalfFloat {
    /// The exact `Float` value of half-precision bits.
    public static func float(fromBits h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int(h >> 10 & 0x1F)
        let fraction = UInt32(h & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        }
        if exponent == 0 {
            // Subnormal (or zero): fraction × 2^-24, exact in Float.
            let magnitude = Float(fraction) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
    }

    /// Appends the shortest decimal text that reads back as the same half float; NaN and
    /// infinities as the JSON strings `"NaN"`, `"Infinity"`, `"-Infinity"` (unquoted when
    /// `quoted` is false).
    public static func append(bits: UInt16, quoted: Bool, to out: inout [UInt8]) {
        let f = float(fromBits: bits)
        guard f.isFinite else {
            let text = f.isNaN ? "NaN" : f.sign == .minus ? "-Infinity" : "Infinity"
            if quoted { out.append(UInt8(ascii: "\"")) }
            out.append(contentsOf: text.utf8)
            if quoted { out.append(UInt8(ascii: "\"")) }
            return
        }
        #if !(os(macOS) && arch(x86_64))
        out.append(contentsOf: Float16(bitPattern: bits).description.utf8)
        #else
        out.append(contentsOf: f.description.utf8)
        #endif
    }

    /// Parses decimal number text into half-precision bits, rounding to nearest; `nil` when the
    /// magnitude exceeds the largest half float (65504, after rounding).
    public static func bits(parsing text: UnsafeRawBufferPointer) -> UInt16? {
        #if !(os(macOS) && arch(x86_64))
        guard let h = Float16(String(decoding: text, as: UTF8.self)), h.isFinite else { return nil }
        return h.bitPattern
        #else
        guard let d = JSONNumber.double(fromText: text) else { return nil }
        return bits(rounding: Float(d))
        #endif
    }

    /// Half-precision bits of a `Float`, rounding to nearest even; `nil` on overflow.
    public static func bits(rounding f: Float) -> UInt16? {
        if f.isNaN { return 0x7E00 }
        let b = f.bitPattern
        let sign = UInt16(b >> 16) & 0x8000
        if f.isInfinite { return sign | 0x7C00 }
        let exponent = Int(b >> 23 & 0xFF) - 127
        var mantissa = b & 0x7F_FFFF
        if exponent < -25 { return sign }
        if exponent < -14 {
            // Subnormal half: shift the implicit bit in, round to nearest even.
            mantissa |= 0x80_0000
            let shift = UInt32(-exponent - 14 + 13)
            var r = mantissa >> shift
            let rem = mantissa & ((1 << shift) - 1)
            let half = UInt32(1) << (shift - 1)
            if rem > half || (rem == half && r & 1 == 1) { r += 1 }
            return sign | UInt16(r)
        }
        var h = UInt32(exponent + 15) << 10 | mantissa >> 13
        let rem = mantissa & 0x1FFF
        if rem > 0x1000 || (rem == 0x1000 && h & 1 == 1) { h += 1 }
        guard h < 0x7C00 else { return nil }
        return sign | UInt16(h)
    }
}
