extension AWSTimestamp {
    /// Milliseconds since 1970 of an ISO 8601 UTC time as S3 writes it in listings
    /// (`2026-12-07T18:20:01.000Z`, `2026-12-07T18:20:01Z`); nil when the text is not of that form.
    public static func epochMillis(iso8601 text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b.last == UInt8(ascii: "Z")
        else { return nil }
        func num(_ r: Range<Int>) -> Int64? { decimal(b, r) }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), let hh = num(11..<13),
            let mm = num(14..<16), let ss = num(17..<19)
        else { return nil }
        var millis: Int64 = 0
        if b[19] == UInt8(ascii: ".") {
            // Fraction digits up to the Z: keep three (milliseconds).
            let digits = b[20..<(b.count - 1)]
            guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            for (i, c) in digits.prefix(3).enumerated() { millis += Int64(c - 0x30) * [100, 10, 1][i] }
        } else if b.count != 20 {
            return nil
        }
        let seconds = days(fromCivil: y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss
        return seconds * 1000 + millis
    }
}
