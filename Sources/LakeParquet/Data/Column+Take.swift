extension Column {
    /// A new column holding the slots at `indices`, in that order (indices may repeat).
    public func take(_ indices: [Int]) -> Column {
        let v: [Bool]? = validity.map { val in indices.map { val[$0] } }
        return Column(data.take(indices), validity: v.flatMap { $0.contains(false) ? $0 : nil })
    }

    /// A column of `count` null slots shaped like `template` (same storage kind, nested children empty).
    public static func nulls(like template: ColumnData, count: Int) -> Column {
        Column(
            ColumnData.zeros(like: template, count: count),
            validity: count == 0 ? nil : [Bool](repeating: false, count: count))
    }

    /// The columns one after another. All must have the same storage kind (and nested shape).
    public static func concatenate(_ columns: [Column]) -> Column {
        precondition(!columns.isEmpty, "nothing to concatenate")
        if columns.count == 1 { return columns[0] }
        let total = columns.reduce(0) { $0 + $1.count }
        var validity: [Bool]?
        if columns.contains(where: { $0.validity != nil }) {
            var v = [Bool]()
            v.reserveCapacity(total)
            for c in columns {
                if let cv = c.validity {
                    v.append(contentsOf: cv)
                } else {
                    v.append(contentsOf: repeatElement(true, count: c.count))
                }
            }
            validity = v
        }
        return Column(ColumnData.concatenate(columns.map(\.data)), validity: validity)
    }
}

extension ColumnData {
    /// The values at `indices`, in that order.
    public func take(_ indices: [Int]) -> ColumnData {
        func pick<T>(_ a: [T]) -> [T] {
            a.withUnsafeBufferPointer { src in indices.map { src[$0] } }
        }
        switch self {
        case .boolean(let a): return .boolean(pick(a))
        case .int32(let a): return .int32(pick(a))
        case .int64(let a): return .int64(pick(a))
        case .float(let a): return .float(pick(a))
        case .double(let a): return .double(pick(a))
        case .byteArray(let a):
            var out = ByteArrayValues()
            var total = 0
            for i in indices { total += a.offsets[i + 1] - a.offsets[i] }
            a.bytes.withUnsafeBufferPointer { src in
                a.offsets.withUnsafeBufferPointer { off in
                    out.appendValues(count: indices.count, totalBytes: total) { bytes, offsets in
                        var written = 0
                        for (j, i) in indices.enumerated() {
                            let lo = off[i], len = off[i + 1] - lo
                            if len > 0 { (bytes + written).update(from: src.baseAddress! + lo, count: len) }
                            written += len
                            offsets[j] = written
                        }
                    }
                }
            }
            return .byteArray(out)
        case .fixedByteArray(let a):
            var out = FixedByteArrayValues(width: a.width)
            out.bytes.reserveCapacity(indices.count * a.width)
            for i in indices { out.bytes.append(contentsOf: a.bytes[(i * a.width)..<((i + 1) * a.width)]) }
            return .fixedByteArray(out)
        case .list(let offsets, let element):
            var newOffsets = [0]
            newOffsets.reserveCapacity(indices.count + 1)
            var childIdx: [Int] = []
            for i in indices {
                childIdx.append(contentsOf: offsets[i]..<offsets[i + 1])
                newOffsets.append(childIdx.count)
            }
            return .list(offsets: newOffsets, element: element.take(childIdx))
        case .map(let offsets, let keys, let values):
            var newOffsets = [0]
            var childIdx: [Int] = []
            for i in indices {
                childIdx.append(contentsOf: offsets[i]..<offsets[i + 1])
                newOffsets.append(childIdx.count)
            }
            return .map(offsets: newOffsets, keys: keys.take(childIdx), values: values.take(childIdx))
        case .structure(let children):
            return .structure(children.map { $0.take(indices) })
        }
    }

    /// `count` zero/empty values of the same kind as `template` (nested: empty lists, null-free structs of zeros).
    public static func zeros(like template: ColumnData, count: Int) -> ColumnData {
        switch template {
        case .boolean: .boolean([Bool](repeating: false, count: count))
        case .int32: .int32([Int32](repeating: 0, count: count))
        case .int64: .int64([Int64](repeating: 0, count: count))
        case .float: .float([Float](repeating: 0, count: count))
        case .double: .double([Double](repeating: 0, count: count))
        case .byteArray: .byteArray(ByteArrayValues(offsets: [Int](repeating: 0, count: count + 1), bytes: []))
        case .fixedByteArray(let a):
            .fixedByteArray(FixedByteArrayValues(width: a.width, bytes: [UInt8](repeating: 0, count: count * a.width)))
        case .list(_, let e):
            .list(offsets: [Int](repeating: 0, count: count + 1), element: Column(zeros(like: e.data, count: 0)))
        case .map(_, let k, let v):
            .map(
                offsets: [Int](repeating: 0, count: count + 1), keys: Column(zeros(like: k.data, count: 0)),
                values: Column(zeros(like: v.data, count: 0)))
        case .structure(let c): .structure(c.map { Column.nulls(like: $0.data, count: count) })
        }
    }

    /// The arrays one after another; all must be of the same kind.
    public static func concatenate(_ parts: [ColumnData]) -> ColumnData {
        switch parts[0] {
        case .boolean: return .boolean(parts.flatMap { if case .boolean(let a) = $0 { a } else { kindMismatch($0) } })
        case .int32: return .int32(parts.flatMap { if case .int32(let a) = $0 { a } else { kindMismatch($0) } })
        case .int64: return .int64(parts.flatMap { if case .int64(let a) = $0 { a } else { kindMismatch($0) } })
        case .float: return .float(parts.flatMap { if case .float(let a) = $0 { a } else { kindMismatch($0) } })
        case .double: return .double(parts.flatMap { if case .double(let a) = $0 { a } else { kindMismatch($0) } })
        case .byteArray:
            var out = ByteArrayValues()
            for p in parts {
                guard case .byteArray(let a) = p else { kindMismatch(p) }
                let base = out.bytes.count
                out.bytes.append(contentsOf: a.bytes)
                for i in 1..<a.offsets.count { out.offsets.append(base + a.offsets[i]) }
            }
            return .byteArray(out)
        case .fixedByteArray(let first):
            var out = FixedByteArrayValues(width: first.width)
            for p in parts {
                guard case .fixedByteArray(let a) = p else { kindMismatch(p) }
                out.bytes.append(contentsOf: a.bytes)
            }
            return .fixedByteArray(out)
        case .list:
            var offsets = [0]
            var children: [Column] = []
            for p in parts {
                guard case .list(let o, let e) = p else { kindMismatch(p) }
                let base = offsets.last!
                for i in 1..<o.count { offsets.append(base + o[i] - o[0]) }
                children.append(o[0] == 0 && o.last! == e.count ? e : e.slice(o[0]..<o.last!))
            }
            return .list(offsets: offsets, element: Column.concatenate(children))
        case .map:
            var offsets = [0]
            var ks: [Column] = [], vs: [Column] = []
            for p in parts {
                guard case .map(let o, let k, let v) = p else { kindMismatch(p) }
                let base = offsets.last!
                for i in 1..<o.count { offsets.append(base + o[i] - o[0]) }
                ks.append(k.slice(o[0]..<o.last!)); vs.append(v.slice(o[0]..<o.last!))
            }
            return .map(offsets: offsets, keys: Column.concatenate(ks), values: Column.concatenate(vs))
        case .structure(let first):
            var children: [Column] = []
            for ci in first.indices {
                children.append(
                    Column.concatenate(parts.map { if case .structure(let c) = $0 { c[ci] } else { kindMismatch($0) } })
                )
            }
            return .structure(children)
        }
    }

    private static func kindMismatch(_ d: ColumnData) -> Never {
        preconditionFailure("cannot concatenate columns of different kinds (found \(d.kindName))")
    }
}
