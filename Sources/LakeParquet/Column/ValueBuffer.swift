/// A growable dense array of leaf values of one physical type, filled by gathering from columns.
struct ValueBuffer: Sendable {
    private(set) var data: ColumnData

    init(type: PhysicalType, typeLength: Int) {
        data = .emptyLeaf(for: type, typeLength: typeLength)
    }

    init(_ data: ColumnData) { self.data = data }

    var count: Int { data.count }

    /// Appends every value of `source` (same storage kind).
    mutating func appendAll(_ source: ColumnData) {
        // The first batch of a column chunk is taken as it is (no copy).
        if data.count == 0 && data.kindTag == source.kindTag {
            if case .fixedByteArray(let a) = data, case .fixedByteArray(let b) = source, a.width != b.width {
                preconditionFailure("fixed width mismatch")
            }
            data = source
            return
        }
        // Move the storage out first so the arrays below are uniquely referenced and grow in place.
        var d = data
        data = .int32([])
        switch source {
        case .boolean(let b): if case .boolean(var a) = d { d = .int32([]); a.append(contentsOf: b); d = .boolean(a) }
        case .int32(let b): if case .int32(var a) = d { d = .int32([]); a.append(contentsOf: b); d = .int32(a) }
        case .int64(let b): if case .int64(var a) = d { d = .int32([]); a.append(contentsOf: b); d = .int64(a) }
        case .float(let b): if case .float(var a) = d { d = .int32([]); a.append(contentsOf: b); d = .float(a) }
        case .double(let b): if case .double(var a) = d { d = .int32([]); a.append(contentsOf: b); d = .double(a) }
        case .byteArray(let b):
            if case .byteArray(var a) = d {
                d = .int32([])
                let base = a.bytes.count
                a.bytes.append(contentsOf: b.bytes)
                a.offsets.reserveCapacity(a.offsets.count + b.count)
                for i in 1..<b.offsets.count { a.offsets.append(base + b.offsets[i]) }
                d = .byteArray(a)
            }
        case .fixedByteArray(let b):
            if case .fixedByteArray(var a) = d {
                d = .int32([]); a.bytes.append(contentsOf: b.bytes); d = .fixedByteArray(a)
            }
        case .list, .map, .structure:
            preconditionFailure("leaf values only")
        }
        data = d
    }

    /// Appends the values of `source` at the slots where `validity` is true (all when nil).
    mutating func appendValid(_ source: ColumnData, validity: [Bool]?) {
        guard let validity else { appendAll(source); return }
        var d = data
        data = .int32([])
        switch source {
        case .boolean(let b):
            if case .boolean(var a) = d {
                d = .int32([]); for i in 0..<b.count where validity[i] { a.append(b[i]) }; d = .boolean(a)
            }
        case .int32(let b): if case .int32(var a) = d { d = .int32([]); Self.gather(&a, b, validity); d = .int32(a) }
        case .int64(let b): if case .int64(var a) = d { d = .int32([]); Self.gather(&a, b, validity); d = .int64(a) }
        case .float(let b): if case .float(var a) = d { d = .int32([]); Self.gather(&a, b, validity); d = .float(a) }
        case .double(let b): if case .double(var a) = d { d = .int32([]); Self.gather(&a, b, validity); d = .double(a) }
        case .byteArray(let b):
            if case .byteArray(var a) = d {
                d = .int32([])
                var count = 0, total = 0
                for i in 0..<b.count where validity[i] { count += 1; total += b.offsets[i + 1] - b.offsets[i] }
                let start = a.bytes.count
                b.bytes.withUnsafeBufferPointer { src in
                    b.offsets.withUnsafeBufferPointer { off in
                        a.appendValues(count: count, totalBytes: total) { bytes, offsets in
                            var j = 0, written = 0
                            for i in 0..<(off.count - 1) where validity[i] {
                                let lo = off[i], len = off[i + 1] - lo
                                if len > 0 { (bytes + written).update(from: src.baseAddress! + lo, count: len) }
                                written += len
                                offsets[j] = start + written
                                j += 1
                            }
                        }
                    }
                }
                d = .byteArray(a)
            }
        case .fixedByteArray(let b):
            if case .fixedByteArray(var a) = d {
                d = .int32([])
                let w = b.width
                for i in 0..<b.count where validity[i] { a.bytes.append(contentsOf: b.bytes[(i * w)..<((i + 1) * w)]) }
                d = .fixedByteArray(a)
            }
        case .list, .map, .structure:
            preconditionFailure("leaf values only")
        }
        data = d
    }

    @inline(__always)
    private static func gather<T>(_ a: inout [T], _ b: [T], _ validity: [Bool]) {
        a.reserveCapacity(a.count + b.count)
        b.withUnsafeBufferPointer { src in
            validity.withUnsafeBufferPointer { v in
                for i in 0..<src.count where v[i] { a.append(src[i]) }
            }
        }
    }
}
