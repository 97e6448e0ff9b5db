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

    override func appendTextValue(_ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext) throws(LakeError) {
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
                throw valueError("\(quoted(text)) is not a \(kind == .int32 ? "32" : "64")-bit integer (the column is \(type!))")
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
        let data: ColumnData = switch kind {
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

/// Exact decimals, DECIMAL(precision, scale), from `N` (or numeric `S`) text: never through
/// floating point; more fraction digits than the scale are refused unless they are zeros.
final class DecimalBuilder: ValueBuilder {
    let precision: Int
    let scale: Int
    /// Unscaled values when precision ≤ 18.
    var ints: [Int64] = []
    /// Big-endian two's complement, `width` bytes each, when precision > 18.
    var fixed: [UInt8] = []
    let width: Int

    init(precision: Int, scale: Int, strict: Bool) {
        self.precision = precision
        self.scale = scale
        self.width = ParquetField.decimalByteWidth(precision: precision)
        super.init(strict: strict)
    }

    override var type: ColumnType? { .decimal(precision: precision, scale: scale) }

    override func appendTextValue(_ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext) throws(LakeError) {
        guard t == .n || (t == .s && !strict) else { throw mismatch(t) }
        let d: UnscaledDecimal
        do throws(TextValueError) {
            d = try UnscaledDecimal(parsing: text, precision: precision, scale: scale)
        } catch {
            throw valueError("\(quoted(text)) does not fit decimal(\(precision),\(scale)): \(error.reason)")
        }
        if precision <= 18 {
            guard let v = d.int64 else { throw valueError("\(quoted(text)) does not fit decimal(\(precision),\(scale))") }
            ints.append(v)
        } else {
            guard d.appendBigEndian(width: width, to: &fixed) else {
                throw valueError("\(quoted(text)) does not fit decimal(\(precision),\(scale))")
            }
        }
    }

    override func appendPlaceholder() {
        if precision <= 18 { ints.append(0) } else { fixed.append(contentsOf: repeatElement(0, count: width)) }
    }

    override func truncate(to n: Int) {
        guard n < count else { return }
        super.truncate(to: n)
        if precision <= 18 { ints.removeLast(ints.count - n) } else { fixed.removeLast(fixed.count - n * width) }
    }

    override func finish() -> Column? {
        let data: ColumnData
        if precision <= 9 {
            data = .int32(ints.map { Int32(truncatingIfNeeded: $0) })
        } else if precision <= 18 {
            data = .int64(ints)
        } else {
            data = .fixedByteArray(FixedByteArrayValues(width: width, bytes: fixed))
        }
        ints = []
        fixed = []
        return Column(data, validity: takeValidity())
    }
}

/// Dates (days since 1970-01-01) and UTC timestamps from ISO text (`S`) or epoch numbers (`N`:
/// seconds, or milliseconds when ≥ 10^11, see ``EpochTime``).
final class TemporalBuilder: ValueBuilder {
    /// `nil` for a date column.
    let unit: TimeUnit?
    var values: [Int64] = []

    init(unit: TimeUnit?, strict: Bool) {
        self.unit = unit
        super.init(strict: strict)
    }

    override var type: ColumnType? { unit.map { .timestamp($0) } ?? .date }

    override func appendTextValue(_ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext) throws(LakeError) {
        do throws(TextValueError) {
            values.append(try Self.parse(t, text, unit: unit))
        } catch {
            throw valueError("\(quoted(text)) is not a \(unit == nil ? "date" : "timestamp"): \(error.reason)")
        }
    }

    /// Parses one value: ISO text for `S`, an epoch number for `N`.
    static func parse(_ t: AttributeType, _ text: UnsafeRawBufferPointer, unit: TimeUnit?) throws(TextValueError) -> Int64 {
        switch t {
        case .s:
            if let unit {
                if text.count == 10 {
                    let (v, o) = try TemporalText.parseDate(text).multipliedReportingOverflow(by: 86_400 * TemporalText.unitsPerSecond(unit))
                    guard !o else { throw TextValueError("out of the range of a timestamp") }
                    return v
                }
                return try TemporalText.parseTimestamp(text, unit: unit, utc: true)
            }
            if text.count > 10 {
                let micros = try TemporalText.parseTimestamp(text, unit: .micros, utc: true)
                return floorDiv(micros, 86_400_000_000)
            }
            let days = try TemporalText.parseDate(text)
            guard days >= Int64(Int32.min) && days <= Int64(Int32.max) else { throw TextValueError("out of the range of a date") }
            return days
        case .n:
            if let unit { return try EpochTime.parse(text, unit: unit) }
            return floorDiv(try EpochTime.parse(text, unit: .millis), 86_400_000)
        default:
            throw TextValueError("a \(t.longDescription) value is neither text nor a number")
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    override func appendPlaceholder() { values.append(0) }

    override func truncate(to n: Int) {
        guard n < count else { return }
        super.truncate(to: n)
        values.removeLast(values.count - n)
    }

    override func finish() -> Column? {
        let data: ColumnData = unit == nil ? .int32(values.map { Int32(truncatingIfNeeded: $0) }) : .int64(values)
        values = []
        return Column(data, validity: takeValidity())
    }
}
