import LakeCore

extension ExpressionEvaluator {
    mutating func call(_ f: String, _ args: [Expression], _ e: Expression) throws(LakeError) -> TypedColumn {
        switch f {
        case "substr", "substring":
            let input = try evaluate(args[0])
            let pos = try intArgument(args[1], e, "the position")
            let len = args.count > 2 ? try intArgument(args[2], e, "the length") : nil
            return try mapText(input, e) { s, out in
                out.append(UnsafeRawBufferPointer(rebasing: s[SparkSubstring.range(in: s, pos: pos, len: len)]))
            }
        case "lower", "upper":
            let input = try evaluate(args[0])
            let upper = f == "upper"
            return try mapText(input, e) { s, out in
                if s.allSatisfy({ $0 < 0x80 }) {
                    for b in s {
                        let isLower = b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")
                        let isUpper = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")
                        out.bytes.append(upper && isLower ? b - 32 : (!upper && isUpper ? b + 32 : b))
                    }
                    out.offsets.append(out.bytes.count)
                } else {
                    let str = String(decoding: s, as: UTF8.self)
                    out.append(upper ? str.uppercased() : str.lowercased())
                }
            }
        case "concat", "concat_ws":
            var separator: [UInt8] = []
            var rest = args[...]
            if f == "concat_ws" {
                separator = Array(try stringArgument(args[0], e, "the separator").utf8)
                rest = args.dropFirst()
            }
            var inputs: [TypedColumn] = []
            for a in rest {
                let c = try evaluate(a)
                guard c.hasTextForm else { throw configError(e, "cannot concatenate \(c.type)") }
                inputs.append(c)
            }
            return concat(inputs, separator: f == "concat_ws" ? separator : nil)
        case "coalesce":
            var inputs: [TypedColumn] = []
            for a in args { inputs.append(try evaluate(a)) }
            return try coalesce(inputs, e)
        case "to_timestamp", "to_date":
            let input = try evaluate(args[0])
            let pattern = args.count > 1 ? try DatePattern(try stringArgument(args[1], e, "the pattern")) : nil
            return try temporal(input, pattern: pattern, date: f == "to_date", e)
        case "date_format":
            var input = try evaluate(args[0])
            let pattern = try DatePattern(try stringArgument(args[1], e, "the pattern"))
            if input.type == .string { input = try temporal(input, pattern: nil, date: false, e) }
            guard input.type == .date || { if case .timestamp = input.type { return true } else { return false } }()
            else {
                throw configError(e, "date_format takes a date, a timestamp or ISO text, not \(input.type)")
            }
            return stringColumn { i, out in
                guard let m = input.micros(row: i) else { return false }
                pattern.format(micros: m, to: &out.bytes)
                out.offsets.append(out.bytes.count)
                return true
            }
        case "hash_bucket":
            let input = try evaluate(args[0])
            let n = try intArgument(args[1], e, "the number of buckets")
            guard n >= 1 && n <= Int64(Int32.max) else {
                throw configError(e, "the number of buckets must be 1…\(Int32.max)")
            }
            guard input.hasTextForm else { throw configError(e, "cannot hash \(input.type)") }
            var values: [Int32] = []
            values.reserveCapacity(rowCount)
            var validity: [Bool]? = nil
            var scratch: [UInt8] = []
            for i in 0..<rowCount {
                scratch.removeAll(keepingCapacity: true)
                if input.appendText(row: i, to: &scratch) {
                    values.append(scratch.withUnsafeBytes { Murmur3.bucket($0, buckets: Int32(n)) })
                    validity?.append(true)
                } else {
                    if validity == nil { validity = Array(repeating: true, count: i) }
                    validity!.append(false)
                    values.append(0)
                }
            }
            return TypedColumn(Column(.int32(values), validity: validity), .int32)
        default:
            throw configError(e, "unknown function '\(f)'")
        }
    }

    /// `concat` (any null → null) or `concat_ws` (nulls skipped) of text columns.
    func concat(_ inputs: [TypedColumn], separator: [UInt8]?) -> TypedColumn {
        stringColumn { i, out in
            let start = out.bytes.count
            var first = true
            for c in inputs {
                if c.column.isNull(i) {
                    if separator != nil { continue }
                    out.bytes.removeLast(out.bytes.count - start)
                    return false
                }
                if let sep = separator, !first { out.bytes.append(contentsOf: sep) }
                first = false
                _ = c.appendText(row: i, to: &out.bytes)
            }
            out.offsets.append(out.bytes.count)
            return true
        }
    }

    /// The first non-null of the inputs, converted to the type of the first input that is not
    /// a null literal.
    mutating func coalesce(_ inputs: [TypedColumn], _ e: Expression) throws(LakeError) -> TypedColumn {
        let target = inputs.first { $0.column.nullCount < rowCount }?.type ?? inputs[0].type
        var converted: [TypedColumn] = []
        for c in inputs { converted.append(try convert(c, to: target, e)) }
        var indices: [Int] = []
        indices.reserveCapacity(rowCount)
        for i in 0..<rowCount {
            var pick = (converted.count - 1) * rowCount + i
            for (k, c) in converted.enumerated() where !c.column.isNull(i) {
                pick = k * rowCount + i
                break
            }
            indices.append(pick)
        }
        let all = Column.concatenate(converted.map(\.column))
        return TypedColumn(all.take(indices), target)
    }

    /// `to_timestamp` / `to_date`.
    mutating func temporal(
        _ input: TypedColumn, pattern: DatePattern?, date: Bool, _ e: Expression
    ) throws(LakeError) -> TypedColumn {
        var values: [Int64] = []
        values.reserveCapacity(rowCount)
        var validity: [Bool]? = nil
        var scratch: [UInt8] = []
        for i in 0..<rowCount {
            var micros: Int64?
            if input.column.isNull(i) {
                micros = nil
            } else {
                switch input.type {
                case .date, .timestamp:
                    micros = input.micros(row: i)
                case .string, .json:
                    scratch.removeAll(keepingCapacity: true)
                    _ = input.appendText(row: i, to: &scratch)
                    do throws(TextValueError) {
                        micros = try withBytes(of: scratch) { (b) throws(TextValueError) -> Int64 in
                            if let pattern { return try pattern.parse(b) }
                            return try TemporalBuilder.parse(.s, b, unit: .micros)
                        }
                    } catch {
                        fail(
                            row: i,
                            "\(date ? "to_date" : "to_timestamp"): '\(String(decoding: scratch, as: UTF8.self))' is not a \(date ? "date" : "timestamp"): \(error.reason)"
                        )
                    }
                case .int32, .int64, .double, .float:
                    guard pattern == nil else { throw configError(e, "a pattern applies to text, not \(input.type)") }
                    scratch.removeAll(keepingCapacity: true)
                    _ = input.appendText(row: i, to: &scratch)
                    do throws(TextValueError) {
                        micros = try withBytes(of: scratch) { (b) throws(TextValueError) -> Int64 in
                            try EpochTime.parse(b, unit: .micros)
                        }
                    } catch {
                        fail(
                            row: i,
                            "\(date ? "to_date" : "to_timestamp"): \(String(decoding: scratch, as: UTF8.self)) is not an epoch time: \(error.reason)"
                        )
                    }
                default:
                    throw configError(e, "takes text, a number, a date or a timestamp, not \(input.type)")
                }
            }
            if let m = micros {
                values.append(date ? TemporalBuilder.floorDiv(m, 86_400_000_000) : m)
                validity?.append(true)
            } else {
                if validity == nil { validity = Array(repeating: true, count: i) }
                validity!.append(false)
                values.append(0)
            }
        }
        if date {
            return TypedColumn(Column(.int32(values.map { Int32(truncatingIfNeeded: $0) }), validity: validity), .date)
        }
        return TypedColumn(Column(.int64(values), validity: validity), .timestamp(.micros))
    }
}
