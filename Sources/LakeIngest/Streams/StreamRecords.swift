/// What one `GetRecords` call returned: the records as JSON lines ready for the change decoder,
/// with each record's sequence number and arrival time, and where to read next.
public struct StreamRecords: Sendable {
    /// The records' lines, each ending with `\n`.
    public var bytes: [UInt8] = []
    /// Per record: the offset just past its line in ``bytes``.
    public var ends: [Int] = []
    /// Per record: its sequence number.
    public var sequences: [String] = []
    /// Per record: when the stream received it (epoch milliseconds; Kinesis's
    /// `ApproximateArrivalTimestamp`, DynamoDB's `ApproximateCreationDateTime`).
    public var arrivals: [Int64] = []
    /// The iterator for the next call; `nil` once a closed shard has been read to its end.
    public var nextIterator: String?
    /// How far the iterator is behind the newest record of the shard (Kinesis only).
    public var millisBehindLatest: Int64?

    public init() {}

    /// The number of records.
    public var count: Int { ends.count }

    /// The offset where record `i`'s line starts.
    public func start(of i: Int) -> Int { i == 0 ? 0 : ends[i - 1] }

    /// Appends a record's line (raw `\n` and `\r` bytes — whitespace between JSON tokens, since
    /// strings escape them — become spaces, so the record stays one line).
    mutating func append(line: UnsafeRawBufferPointer, sequence: String, arrival: Int64) {
        let from = bytes.count
        bytes.append(contentsOf: line)
        for i in from..<bytes.count where bytes[i] == 0x0A || bytes[i] == 0x0D { bytes[i] = 0x20 }
        bytes.append(0x0A)
        ends.append(bytes.count)
        sequences.append(sequence)
        arrivals.append(arrival)
    }

    /// Drops the records before `i`.
    mutating func removeFirst(_ n: Int) {
        guard n > 0 else { return }
        let cut = ends[n - 1]
        bytes.removeFirst(cut)
        ends = ends.dropFirst(n).map { $0 - cut }
        sequences.removeFirst(n)
        arrivals.removeFirst(n)
    }
}
