import LakeCore

/// Integers and floating point from `N` values (and numeric `S` text in mapping-typed columns).
///
/// DynamoDB numbers are exact decimal strings. An integer column keeps them exact; a value that
/// is not an integer, or does not fit, is an error in a mapping-typed column and widens an
/// inferred one (int → long → double), converting what was built so far.
final class NumberBuilder: ValueBuilder {
    enum Kind { case int32, int64, float, double }

    private(set) var kind: Kind
    var ints: [Int64] = []
    var doubles: [Double] = []

    init(_ kind: Kind, strict: Bool) {
        self.kind = kind
        super.init(strict: strict)
    }

    override var type: ColumnType? {
        switch kind {
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        }
    }

    private var isInteger: Bool { kind == .int32 || kind == .int64 }

    override func appendTextValue(
        _ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext
    ) throws(LakeError) {
        guard t == .n || (t == .s && !strict) else { throw mismatch(t) }
        if isInteger {
            if let v = JSONNumber.int64(fromText: text) ?? exactInteger(text) {
                if kind == .int32 && (v < Int64(Int32.min) || v > Int64(Int32.max)) {
                    guard strict else { throw valueError("\(quoted(text)) does not fit a 32-bit int") }
                    kind = .int64
                }
                ints.append(v)
                return
            }
            guard isNumberText(text) else { throw valueError("\(quoted(text)) is not a number") }
            guard strict else {
                throw valueError(
                    "\(quoted(text)) is not a \(kind == .int32 ? "32" : "64")-bit integer (the column is \(type!))")
            }
            widenToDouble()
        }
        guard isNumberText(text), let d = JSONNumber.double(fromText: text) else {
            throw valueError("\(quoted(text)) is not a number")
        }
        if kind == .float && !Float(d).isFinite { throw valueError("\(quoted(text)) is out of the range of a float") }
        doubles.append(d)
    }

    /// An integer written with a fraction or exponent (`2.0`, `1E+2`), exactly; `nil` if the
    /// value is not an integer or does not fit.
    private func exactInteger(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard let d = try? DecimalDigits(text), d.isInteger, let v = d.integerPart(scaledBy: 0) else { return nil }
        return d.negative ? -v : v
    }

    private func isNumberText(_ text: UnsafeRawBufferPointer) -> Bool {
        var sc = JSONScanner(text)
        guard (try? sc.scanNumber()) != nil else { return false }
        return sc.isAtEnd
    }

    private func widenToDouble() {
        doubles = ints.map { Double($0) }
        ints = []
        kind = .double
    }

    override func appendPlaceholder() {
        if isInteger { ints.append(0) } else { doubles.append(0) }
    }

    override func truncate(to n: Int) {
        guard n < count else { return }
        super.truncate(to: n)
        if isInteger { ints.removeLast(ints.count - n) } else { doubles.removeLast(doubles.count - n) }
    }

    override func finish() -> Column? {
        let data: ColumnData =
            switch kind {
            case .int32: .int32(ints.map { Int32(truncatingIfNeeded: $0) })
            case .int64: .int64(ints)
            case .float: .float(doubles.map { Float($0) })
            case .double: .double(doubles)
            }
        ints = []
        doubles = []
        return Column(data, validity: takeValidity())
    }

    override var estimatedByteCount: Int { 8 * count }
}
