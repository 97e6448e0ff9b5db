import LakeCore

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

    override func appendTextValue(
        _ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext
    ) throws(LakeError) {
        do throws(TextValueError) {
            values.append(try Self.parse(t, text, unit: unit))
        } catch {
            throw valueError("\(quoted(text)) is not a \(unit == nil ? "date" : "timestamp"): \(error.reason)")
        }
    }

    /// Parses one value: ISO text for `S`, an epoch number for `N`.
    static func parse(
        _ t: AttributeType, _ text: UnsafeRawBufferPointer, unit: TimeUnit?
    ) throws(TextValueError) -> Int64 {
        switch t {
        case .s:
            if let unit {
                if text.count == 10 {
                    let (v, o) = try TemporalText.parseDate(text).multipliedReportingOverflow(
                        by: 86_400 * TemporalText.unitsPerSecond(unit))
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
            guard days >= Int64(Int32.min) && days <= Int64(Int32.max) else {
                throw TextValueError("out of the range of a date")
            }
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
