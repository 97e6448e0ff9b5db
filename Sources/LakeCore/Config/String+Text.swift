// Small text helpers that keep LakeCore's parsers free of Foundation.

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{0C}" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }

    /// Whether the string is non-empty and made of ASCII digits only.
    var isAllASCIIDigits: Bool {
        !isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(ofUTF8: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension Substring {
    /// The range of the first occurrence of `target`, compared as UTF-8 (no Foundation).
    func firstRange(ofUTF8 target: String) -> Range<Index>? {
        let t = Array(target.utf8)
        guard let first = t.first else { return nil }
        var i = utf8.startIndex
        while i != utf8.endIndex {
            if utf8[i] == first {
                var j = i, k = 0
                while k < t.count, j != utf8.endIndex, utf8[j] == t[k] {
                    j = utf8.index(after: j)
                    k += 1
                }
                if k == t.count { return i..<j }
            }
            i = utf8.index(after: i)
        }
        return nil
    }
}
