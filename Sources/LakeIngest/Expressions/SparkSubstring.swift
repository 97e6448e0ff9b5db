/// Spark SQL's `substring(str, pos, len)` on UTF-8 bytes, counting characters as Unicode code
/// points.
///
/// `pos` is 1-based; 0 means the first character; a negative `pos` counts from the end (-1 is
/// the last character). A start before the beginning keeps the requested end: `substr('ab', -3, 2)`
/// is `'a'`, `substr('ab', -5, 2)` is `''`. A negative or zero length gives `''`; no length means
/// to the end.
enum SparkSubstring {
    /// The byte range of the substring of `s`.
    static func range(in s: UnsafeRawBufferPointer, pos: Int64, len: Int64?) -> Range<Int> {
        var chars = 0
        for b in s where b & 0xC0 != 0x80 { chars += 1 }
        let n = Int64(chars)
        var start: Int64 = pos > 0 ? pos - 1 : (pos < 0 ? n + pos : 0)
        var end: Int64
        if let len {
            let (e, o) = start.addingReportingOverflow(len)
            end = o ? (len > 0 ? Int64.max : Int64.min) : e
        } else {
            end = Int64.max
        }
        start = max(start, 0)
        end = min(end, n)
        guard start < end else { return 0..<0 }
        return byteOffset(of: Int(start), in: s)..<byteOffset(of: Int(end), in: s)
    }

    /// The byte offset where character `k` starts (`s.count` for k == number of characters).
    private static func byteOffset(of k: Int, in s: UnsafeRawBufferPointer) -> Int {
        var seen = -1
        for i in 0..<s.count where s[i] & 0xC0 != 0x80 {
            seen += 1
            if seen == k { return i }
        }
        return s.count
    }

    /// The substring as a Swift string (for tests and messages).
    static func substring(_ s: String, pos: Int64, len: Int64?) -> String {
        var s = s
        return s.withUTF8 { u in
            let raw = UnsafeRawBufferPointer(u)
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: raw[range(in: raw, pos: pos, len: len)]), as: UTF8.self)
        }
    }
}
