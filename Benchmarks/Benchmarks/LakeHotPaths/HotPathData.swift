import Lake

/// Inputs for the hot-path benchmarks, generated with a fixed seed.
enum HotPathData {
    /// A small deterministic generator (SplitMix64), so inputs are the same on every run.
    struct Random {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func next(below n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let first = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]
    static let last = ["Smith", "Okafor", "Garcia", "Ivanova", "Tanaka", "Nguyen", "Muller", "Rossi"]

    static let schema = ParquetSchema([
        .string("id", nullable: false), .string("custName"), .string("email"), .string("registrationDate"),
        .double("amount"), .boolean("active"), .int64("ts"), .string("partitionkey"), .string("partitionkey2"),
    ])

    /// The customer table's columns for `rows` rows.
    static func cdcBatch(rows: Int, seed: UInt64 = 7) -> RecordBatch {
        var rng = Random(seed: seed)
        var ids = ByteArrayValues(), names = ByteArrayValues(), emails = ByteArrayValues(), dates = ByteArrayValues()
        var p1 = ByteArrayValues(), p2 = ByteArrayValues()
        var amounts: [Double] = [], active: [Bool] = [], ts: [Int64] = []
        for i in 0..<rows {
            let id = String(1_000_000 + i)
            let f = first[rng.next(below: first.count)], l = last[rng.next(below: last.count)]
            ids.append(id)
            names.append("\(f) \(l)")
            emails.append("\(f.lowercased()).\(id)@example.com")
            dates.append("20\(10 + rng.next(below: 15))-0\(1 + rng.next(below: 9))-1\(rng.next(below: 10))")
            amounts.append(Double(rng.next(below: 1_000_000)) / 100)
            active.append(rng.next(below: 10) < 8)
            ts.append(1_750_000_000_000 + Int64(i) * 10)
            p1.append(String(id.suffix(1)))
            p2.append(String(id.dropLast().suffix(1)))
        }
        let columns: [Column] = [
            Column(.byteArray(ids)), Column(.byteArray(names)), Column(.byteArray(emails)), Column(.byteArray(dates)),
            Column(.double(amounts)), Column(.boolean(active)), Column(.int64(ts)),
            Column(.byteArray(p1)), Column(.byteArray(p2)),
        ]
        return try! RecordBatch(schema: schema, columns: columns)
    }

    /// The batch as a Parquet file in memory.
    static func encode(_ batch: RecordBatch, _ options: ParquetWriterOptions) throws(ParquetError) -> [UInt8] {
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: batch.schema, options: options)
        try writer.write(batch)
        _ = try writer.close()
        return sink.bytes
    }

    /// An index of `keys` live keys (ids 1,000,000 …) in 100 partitions, loaded from its base file.
    static func recordIndex(keys: Int) -> RecordIndex {
        var index = RecordIndex()
        for i in 0..<keys {
            let id = String(1_000_000 + i)
            let p = "partitionkey=\(id.suffix(1))/partitionkey2=\(id.dropLast().suffix(1))"
            index.set(id, .live(partition: p, fileId: "fg-\(i % 100)-0"))
        }
        let base = try! index.encodedBase()
        return try! RecordIndex(base: base, deltas: [])
    }

    /// `count` keys: 90% present in an index of `existing` keys, 10% absent.
    static func probeKeys(count: Int, existing: Int, seed: UInt64 = 11) -> [String] {
        var rng = Random(seed: seed)
        return (0..<count).map { _ in
            rng.next(below: 10) < 9
                ? String(1_000_000 + rng.next(below: existing))
                : String(1_000_000 + existing + rng.next(below: existing))
        }
    }

    struct MergeColumns {
        var strings: Column
        var doubles: Column
    }

    /// A stored file of `rows` rows and `changes` incoming rows (90% replace stored rows, 10%
    /// are new), with the picks a copy-on-write merge makes.
    static func mergeInput(rows: Int, changes: Int, seed: UInt64 = 13) -> (MergeColumns, MergeColumns, [Int]) {
        var rng = Random(seed: seed)
        func columns(_ n: Int, _ tag: String) -> MergeColumns {
            var s = ByteArrayValues()
            var d: [Double] = []
            for i in 0..<n {
                s.append("\(tag).\(1_000_000 + i)@example.com")
                d.append(Double(i) / 100)
            }
            return MergeColumns(strings: Column(.byteArray(s)), doubles: Column(.double(d)))
        }
        let stored = columns(rows, "stored"), incoming = columns(changes, "new")
        var replacedBy = [Int](repeating: -1, count: rows)
        let updates = changes * 9 / 10
        for j in 0..<updates { replacedBy[rng.next(below: rows)] = j }
        var picks: [Int] = []
        picks.reserveCapacity(rows + changes - updates)
        for i in 0..<rows { picks.append(replacedBy[i] >= 0 ? -1 - replacedBy[i] : i) }
        for j in updates..<changes { picks.append(-1 - j) }
        return (stored, incoming, picks)
    }
}
