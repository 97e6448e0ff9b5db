import LakeCore

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

    override func appendTextValue(
        _ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext
    ) throws(LakeError) {
        guard t == .n || (t == .s && !strict) else { throw mismatch(t) }
        let d: UnscaledDecimal
        do throws(TextValueError) {
            d = try UnscaledDecimal(parsing: text, precision: precision, scale: scale)
        } catch {
            throw valueError("\(quoted(text)) does not fit decimal(\(precision),\(scale)): \(error.reason)")
        }
        if precision <= 18 {
            guard let v = d.int64 else {
                throw valueError("\(quoted(text)) does not fit decimal(\(precision),\(scale))")
            }
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
