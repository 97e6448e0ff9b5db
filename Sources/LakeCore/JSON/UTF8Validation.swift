/// UTF-8 well-formedness checks shared by the JSON scanner and writer.
enum UTF8Validation {
    /// The length of the well-formed UTF-8 sequence starting at `i` (RFC 3629: no overlongs,
    /// no surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one.
    @inline(__always)
    static func sequenceLength(_ p: UnsafeRawBufferPointer, at i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        var length = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; hi = 0x9F
        case 0xF0: length = 4; lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; hi = 0x8F
        default: return 0
        }
        guard i + length <= n else { return 0 }
        let b1 = p[i + 1]
        guard b1 >= lo && b1 <= hi else { return 0 }
        for k in 2..<length where p[i + k] & 0xC0 != 0x80 { return 0 }
        return length
    }

    /// Whether all of `p` is well-formed UTF-8.
    static func isValid(_ p: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < p.count {
            if p[i] < 0x80 { i += 1; continue }
            let l = sequenceLength(p, at: i)
            if l == 0 { return false }
            i += l
        }
        return true
    }
}
