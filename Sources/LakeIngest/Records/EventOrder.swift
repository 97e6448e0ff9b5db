import LakeCore

/// The default ordering (precombine) value lake derives for every change record: event time,
/// then DynamoDB sequence number, as one fixed-width string that sorts byte-wise like the pair.
///
/// Layout: 15 digits of epoch milliseconds (`ApproximateCreationDateTime`), `-`, then the
/// `SequenceNumber` left-padded with zeros to 40 digits (all zeros when the record has none, as
/// in the Kinesis shape). `001795289812061-0000000000000000001100000000017454423009`.
///
/// The table engine orders by one field and lets the later row win a tie, both inside a batch
/// and against storage; so records with equal time and sequence number resolve by position in
/// the input, and across commits by arrival. That is exactly "time, then sequence number
/// compared as a number, then position".
public enum EventOrder {
    /// Digits of the millisecond part.
    public static let timeDigits = 15
    /// Digits of the sequence number part (DynamoDB sequence numbers have 21 to 40 digits).
    public static let sequenceDigits = 40
    /// Total length of an ordering value.
    public static let length = timeDigits + 1 + sequenceDigits

    /// The name of the derived column when the table's precombine field is the default.
    public static let columnName = "_event_order"

    /// Appends the ordering value of (`millis`, `sequence`) to `out`.
    ///
    /// - Parameters:
    ///   - millis: epoch milliseconds, 0 ≤ millis < 10^15.
    ///   - sequence: the sequence number's digits (no sign, at most 40), or empty.
    @inline(__always)
    static func append(millis: Int64, sequence: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: timeDigits))
        var v = millis
        var i = start + timeDigits - 1
        while v > 0 && i >= start {
            out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        }
        out.append(UInt8(ascii: "-"))
        if sequence.count < sequenceDigits {
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: sequenceDigits - sequence.count))
        }
        out.append(contentsOf: sequence)
    }

    /// The ordering value of (`millis`, `sequence`) as a string.
    public static func value(millis: Int64, sequence: String = "") -> String {
        var out: [UInt8] = []
        var seq = sequence
        seq.withUTF8 { append(millis: millis, sequence: UnsafeRawBufferPointer($0), to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks a sequence number: 1 to 40 ASCII digits. Leading zeros are stripped (so the value
    /// compares as a number). Returns the digits to append, or a reason.
    static func normalizedSequence(_ t: UnsafeRawBufferPointer) -> Result<UnsafeRawBufferPointer, TextValueError> {
        var start = 0
        while start < t.count - 1 && t[start] == UInt8(ascii: "0") { start += 1 }
        let digits = UnsafeRawBufferPointer(rebasing: t[start...])
        guard !digits.isEmpty else { return .failure(TextValueError("the sequence number is empty")) }
        for b in digits where b &- UInt8(ascii: "0") >= 10 {
            return .failure(TextValueError("the sequence number is not a decimal integer"))
        }
        guard digits.count <= sequenceDigits else {
            return .failure(TextValueError("the sequence number has more than \(sequenceDigits) digits"))
        }
        return .success(digits)
    }
}
