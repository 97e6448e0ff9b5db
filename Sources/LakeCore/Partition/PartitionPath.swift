/// Partition path value encoding (Java `PartitionPathEncodeUtils`).
///
/// ``escape(_:)`` percent-encodes (`%XX`, uppercase hex) exactly the characters Java's
/// `escapePathName` (from Hive) escapes: U+0001–U+001F, `"`, `#`, `%`, `'`, `*`, `/`, `:`, `=`,
/// `?`, `\`, U+007F, `{`, `[`, `]`, `^`; plus U+0000, which Java never sees but no file system
/// accepts. Everything else, including non-ASCII, stays as is (UTF-8): Java's decoder works one
/// `%XX` at a time and would garble percent-encoded multi-byte characters (format page §12).
/// ``unescape(_:)`` decodes `%XX` sequences as UTF-8 bytes (falling back to one character per
/// byte, like Java, when they are not UTF-8) and leaves a `%` without two hex digits literal.
public enum PartitionPath {
    /// The directory name for a null or empty partition value (Java/Hive
    /// `__HIVE_DEFAULT_PARTITION__`). Reading it back gives `nil`, so a literal value equal to it
    /// is indistinguishable from null, as in Java.
    public static let defaultPartition = "__HIVE_DEFAULT_PARTITION__"

    /// Whether Java's `escapePathName` (or lake, for U+0000) escapes this character.
    public static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F: true
        case 0x22, 0x23, 0x25, 0x27, 0x2A, 0x2F, 0x3A, 0x3D, 0x3F, 0x5C, 0x7B, 0x5B, 0x5D, 0x5E: true
        default: false
        }
    }

    /// Percent-encodes the characters in Java's escape set (see the type's documentation).
    public static func escape(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: needsEscape) else { return value }
        var out = String.UnicodeScalarView()
        for u in value.unicodeScalars {
            if needsEscape(u) {
                out.append("%")
                out.append(hexDigit(u.value >> 4))
                out.append(hexDigit(u.value & 0xF))
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Encodes a dot as `%2E` (used for a leading `.` where a plain segment would be hidden,
    /// `.` or `..`).
    static let escapedDot = "%2E"

    /// Decodes `%XX` sequences (any hex case). Runs of decoded bytes that form valid UTF-8 become
    /// those characters; otherwise each byte becomes the character with that code (Java's behaviour).
    public static func unescape(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "%")) else { return path }
        let u = Array(path.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hexValue(u[i + 1]), let l = hexValue(u[i + 2]) {
                // Collect a run of escapes and decode it as a unit.
                var run: [UInt8] = [h << 4 | l]
                var j = i + 3
                while j + 2 < u.count, u[j] == UInt8(ascii: "%"), let h2 = hexValue(u[j + 1]),
                    let l2 = hexValue(u[j + 2])
                {
                    run.append(h2 << 4 | l2)
                    j += 3
                }
                if String(validating: run, as: UTF8.self) != nil {
                    out.append(contentsOf: run)
                } else {
                    for b in run { out.append(contentsOf: Array(String(Character(Unicode.Scalar(b))).utf8)) }
                }
                i = j
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The number of segments of a partition path (`0` for the non-partitioned `""`): the
    /// `partitionDepth` of ``PartitionMetadata``.
    public static func depth(_ path: String) -> Int {
        path.isEmpty ? 0 : path.split(separator: "/", omittingEmptySubsequences: false).count
    }

    private static func hexDigit(_ v: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(UInt8(v < 10 ? 0x30 + v : 0x41 + v - 10))
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
