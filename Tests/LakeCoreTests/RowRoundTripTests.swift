import Testing
import PropertyBased
@testable import LakeCore
import LakeTestSupport

/// RowFormatter (jsonl) → RowJSONDecoder gives back the same batch, over every type of the
/// contract with nulls and nesting.
@Suite struct RowRoundTripTests {
    static let schema = ParquetSchema([
        .int64("id", nullable: false),
        .boolean("flag"),
        .primitive("i8", .int32, logical: .integer(bitWidth: 8, isSigned: true)),
        .primitive("u16", .int32, logical: .integer(bitWidth: 16, isSigned: false)),
        .primitive("u32", .int32, logical: .integer(bitWidth: 32, isSigned: false)),
        .primitive("u64", .int64, logical: .integer(bitWidth: 64, isSigned: false)),
        .int32("i32"),
        .float("f"),
        .double("d"),
        .primitive("h", .fixedLenByteArray, logical: .float16, typeLength: 2),
        .string("s"),
        .binary("bin"),
        .fixedBinary("fx", width: 5),
        .primitive("uuid", .fixedLenByteArray, logical: .uuid, typeLength: 16),
        .date("day"),
        .primitive("tms", .int32, logical: .time(isAdjustedToUTC: false, unit: .millis)),
        .primitive("tus", .int64, logical: .time(isAdjustedToUTC: true, unit: .micros)),
        .primitive("tns", .int64, logical: .time(isAdjustedToUTC: false, unit: .nanos)),
        .timestamp("ts_ms", unit: .millis),
        .primitive("ts_us_local", .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .micros)),
        .timestamp("ts_ns", unit: .nanos),
        .decimal("dec9", precision: 9, scale: 2),
        .decimal("dec18", precision: 18, scale: 0),
        .decimal("dec38", precision: 38, scale: 10),
        .decimal("decba", precision: 20, scale: 3, physical: .byteArray),
        .list("tags", element: .string("e")),
        .list("nums", element: .int64("e", nullable: false), nullable: false),
        .map("attrs", key: .string("k"), value: .decimal("v", precision: 9, scale: 1)),
        .structure(
            "addr",
            [
                .int32("zip", nullable: false),
                .string("city"),
                .list("lines", element: .structure("line", [.string("text"), .date("since", nullable: false)])),
                .structure("geo", [.double("lat", nullable: false), .double("lon")], nullable: false),
            ]),
        ParquetField(
            name: "legacy", repetition: .repeated,
            kind: .primitive(.int32, typeLength: nil, logical: nil, converted: nil)),
        .list("matrix", element: .list("row", element: .float("x"))),
    ])

    @Test func randomBatchesRoundTrip() async throws {
        await propertyCheck(count: 60, input: Gen<UInt64>.value(), Gen.int(in: 0...40)) { seed, rows in
            var rng = SplitMix(seed: seed)
            let batch = randomBatch(Self.schema, rows: rows, &rng)
            var f = RowFormatter(schema: Self.schema, format: .jsonl)
            var out: [UInt8] = []
            try f.append(batch, to: &out)
            f.finish(to: &out)
            let decoded = try out.withUnsafeBytes { b in
                try Result { () throws(LakeError) -> RecordBatch in
                    let d = RowJSONDecoder(schema: Self.schema)
                    try d.appendLines(b)
                    return d.makeBatch()
                }.get()
            }
            #expect(decoded.rowCount == rows)
            for (i, field) in Self.schema.fields.enumerated() {
                #expect(decoded.columns[i] == batch.columns[i], "field \(field.name)")
            }
            var again: [UInt8] = []
            var g = RowFormatter(schema: Self.schema, format: .jsonl)
            try g.append(decoded, to: &again)
            #expect(again == out)
        }
    }

    @Test func decoderIsReusableAcrossBatches() throws {
        let d = RowJSONDecoder(
            schema: ParquetSchema([.int64("a", nullable: false), .list("l", element: .string("s"))]))
        try d.appendLines("{\"a\":1,\"l\":[\"x\"]}\n{\"a\":2}")
        let first = d.makeBatch()
        try d.appendLines("{\"a\":3,\"l\":[]}")
        let second = d.makeBatch()
        #expect(first.rowCount == 2)
        #expect(second.rowCount == 1)
        #expect(second.columns[0] == Column(.int64([3])))
        #expect(second.columns[1] == Column(.list(offsets: [0, 0], element: Column(.byteArray(ByteArrayValues())))))
    }
}

// MARK: Random batches shaped like the decoder's output

/// A column of `count` random slots for `shape`. Slots under a null parent (`underNull`) hold
/// what the decoder writes there: null when nullable, else the placeholder (zero, empty).
func randomColumn(_ shape: ValueShape, nullable: Bool, underNull: [Bool], _ rng: inout SplitMix) -> Column {
    let count = underNull.count
    var validity: [Bool] = []
    for i in 0..<count {
        validity.append(underNull[i] ? !nullable : (!nullable || Int.random(in: 0..<5, using: &rng) != 0))
    }
    // A slot holds data only when valid and not under a null parent.
    let live = (0..<count).map { validity[$0] && !underNull[$0] }
    let data: ColumnData
    switch shape {
    case .leaf(let l):
        data = randomLeaf(l, live: live, &rng)
    case .list(let e, let en):
        var offsets = [0]
        for i in 0..<count { offsets.append(offsets[i] + (live[i] ? Int.random(in: 0...3, using: &rng) : 0)) }
        let element = randomColumn(e, nullable: en, underNull: Array(repeating: false, count: offsets[count]), &rng)
        data = .list(offsets: offsets, element: element)
    case .map(let k, let v, let vn):
        var offsets = [0]
        for i in 0..<count { offsets.append(offsets[i] + (live[i] ? Int.random(in: 0...3, using: &rng) : 0)) }
        let n = offsets[count]
        data = .map(
            offsets: offsets,
            keys: randomColumn(k, nullable: false, underNull: Array(repeating: false, count: n), &rng),
            values: randomColumn(v!, nullable: vn, underNull: Array(repeating: false, count: n), &rng))
    case .structure(let members):
        let childUnder = (0..<count).map { !live[$0] }
        data = .structure(members.map { randomColumn($0.shape, nullable: $0.nullable, underNull: childUnder, &rng) })
    }
    let hasNull = validity.contains(false)
    return Column(data, validity: hasNull ? validity : nil)
}

func randomLeaf(_ l: LeafShape, live: [Bool], _ rng: inout SplitMix) -> ColumnData {
    func pick<T>(_ make: (inout SplitMix) -> T, _ zero: T) -> [T] {
        live.map { $0 ? make(&rng) : zero }
    }
    switch (l.type, l.physical) {
    case (.boolean, _): return .boolean(pick({ Bool.random(using: &$0) }, false))
    case (.integer(8, true), .int32): return .int32(pick({ Int32.random(in: -128...127, using: &$0) }, 0))
    case (.integer(16, false), .int32): return .int32(pick({ Int32.random(in: 0...65535, using: &$0) }, 0))
    case (.integer(_, _), .int32): return .int32(pick({ Int32.random(in: .min ... .max, using: &$0) }, 0))
    case (.integer(_, _), .int64): return .int64(pick({ Int64.random(in: .min ... .max, using: &$0) }, 0))
    case (.float, _):
        return .float(
            pick(
                { r in
                    let f = Float(bitPattern: UInt32.random(in: 0 ... .max, using: &r))
                    return f.isNaN ? 1.5 : f
                }, 0))
    case (.double, _):
        return .double(
            pick(
                { r in
                    let d = Double(bitPattern: UInt64.random(in: 0 ... .max, using: &r))
                    return d.isNaN ? -2.25 : d
                }, 0))
    case (.float16, _):
        var bytes: [UInt8] = []
        for isLive in live {
            var h: UInt16 = isLive ? UInt16.random(in: 0 ... .max, using: &rng) : 0
            if h & 0x7C00 == 0x7C00 && h & 0x3FF != 0 { h = 0x3C00 }  // no NaN payloads
            bytes += [UInt8(h & 0xFF), UInt8(h >> 8)]
        }
        return .fixedByteArray(FixedByteArrayValues(width: 2, bytes: bytes))
    case (.string, _):
        var v = ByteArrayValues()
        for isLive in live { v.append(isLive ? randomString(&rng) : "") }
        return .byteArray(v)
    case (.binary, .byteArray):
        var v = ByteArrayValues()
        for isLive in live {
            v.append(
                isLive
                    ? (0..<Int.random(in: 0...7, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } : [])
        }
        return .byteArray(v)
    case (.binary, .fixedLenByteArray), (.decimal, .fixedLenByteArray):
        var v = FixedByteArrayValues(width: l.width)
        for isLive in live {
            if !isLive { v.appendZeros(); continue }
            if case .decimal = l.type {
                // |value| < 5e18 × 2^64 < 10^38.
                let hi = Int64.random(in: -5_000_000_000_000_000_000...5_000_000_000_000_000_000, using: &rng)
                let lo = UInt64.random(in: 0 ... .max, using: &rng)
                var b: [UInt8] = []
                for k in (0..<8).reversed() { b.append(UInt8(truncatingIfNeeded: hi >> (8 * Int64(k)))) }
                for k in (0..<8).reversed() { b.append(UInt8(truncatingIfNeeded: lo >> (8 * UInt64(k)))) }
                v.append(b)
            } else {
                v.append((0..<l.width).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
        }
        return .fixedByteArray(v)
    case (.date, _): return .int32(pick({ Int32.random(in: .min ... .max, using: &$0) }, 0))
    case (.time(.millis), _): return .int32(pick({ Int32.random(in: 0..<86_400_000, using: &$0) }, 0))
    case (.time(let unit), _):
        return .int64(pick({ Int64.random(in: 0..<(86_400 * TemporalText.unitsPerSecond(unit)), using: &$0) }, 0))
    case (.timestamp, _): return .int64(pick({ Int64.random(in: .min ... .max, using: &$0) }, 0))
    case (.decimal(let p, _), .int32):
        return .int32(pick({ Int32.random(in: -Int32(pow10(p) - 1)...Int32(pow10(p) - 1), using: &$0) }, 0))
    case (.decimal(let p, _), .int64):
        return .int64(pick({ Int64.random(in: -(pow10(p) - 1)...(pow10(p) - 1), using: &$0) }, 0))
    case (.decimal, .byteArray):
        var v = ByteArrayValues()
        for isLive in live { v.append(isLive ? minimalBigEndian(Int64.random(in: .min ... .max, using: &rng)) : []) }
        return .byteArray(v)
    default:
        preconditionFailure("no generator for \(l)")
    }
}

private func pow10(_ p: Int) -> Int64 { (0..<p).reduce(1) { r, _ in r * 10 } }

/// The shortest big-endian two's complement bytes of `v` (at least one byte).
func minimalBigEndian(_ v: Int64) -> [UInt8] {
    var bytes = (0..<8).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * Int64($0))) }
    while bytes.count > 1 && ((bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0)) {
        bytes.removeFirst()
    }
    return bytes
}

func randomBatch(_ schema: ParquetSchema, rows: Int, _ rng: inout SplitMix) -> RecordBatch {
    let columns = schema.fields.map {
        randomColumn(
            ValueShape(field: $0), nullable: $0.repetition == .optional,
            underNull: Array(repeating: false, count: rows), &rng)
    }
    return RecordBatch(schema: schema, columns: columns, rowCount: rows)
}
