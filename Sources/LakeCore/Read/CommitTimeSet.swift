/// Exact membership of commit-time texts in a set of instants, without a string per row:
/// instant texts are digits (17, or 14 in older tables), coded as `value × 32 + length` so texts
/// with the same value and another length ("0123", "123") stay distinct.
struct CommitTimeSet: Sendable {
    private let codes: Set<UInt64>
    /// Instants that are not short digit strings (none on a valid timeline), compared as bytes.
    private let others: [[UInt8]]

    init(_ instants: [String]) {
        var codes = Set<UInt64>(), others: [[UInt8]] = []
        for i in instants {
            let bytes = Array(i.utf8)
            if let c = bytes.withUnsafeBufferPointer({ Self.code($0) }) {
                codes.insert(c)
            } else {
                others.append(bytes)
            }
        }
        self.codes = codes
        self.others = others
    }

    func contains(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if let c = Self.code(text) { return codes.contains(c) }
        return others.contains { $0.elementsEqual(text) }
    }

    /// `value × 32 + length` of a text of 1…17 ASCII digits, else nil.
    @inline(__always)
    static func code(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard (1...17).contains(text.count) else { return nil }
        var v: UInt64 = 0
        for b in text {
            let d = b &- 0x30
            guard d < 10 else { return nil }
            v = v &* 10 &+ UInt64(d)
        }
        return v &* 32 &+ UInt64(text.count)
    }
}
