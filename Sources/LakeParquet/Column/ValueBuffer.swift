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
        switch (data, source) {
        case (.boolean(var a), .boolean(let b)): data = .int32([]); a.append(contentsOf: b); data = .boolean(a)
        case (.int32(var a), .int32(let b)): data = .int32([]); a.append(contentsOf: b); data = .int32(a)
        case (.int64(var a), .int64(let b)): data = .int32([]); a.append(contentsOf: b); data = .int64(a)
        case (.float(var a), .float(let b)): data = .int32([]); a.append(contentsOf: b); data = .float(a)
        case (.double(var a), .double(let b)): data = .int32([]); a.append(contentsOf: b); data = .double(a)
        case (.byteArray(var a), .byteArray(let b)):
            data = .int32([])
            let base = a.bytes.count
            a.bytes.append(contentsOf: b.bytes)
            a.offsets.reserveCapacity(a.offsets.count + b.count)
            for i in 1..<b.offsets.count { a.offsets.append(base + b.offsets[i]) }
            data = .byteArray(a)
        case (.fixedByteArray(var a), .fixedByteArray(let b)):
            data = .int32([]); a.bytes.append(contentsOf: b.bytes); data = .fixedByteArray(a)
        default:
            preconditionFailure("value kinds checked by the caller")
        }
    }

    /// Appends the values of `source` at the slots where `validity` is true (all when nil).
    mutating func appendValid(_ source: ColumnData, validity: [Bool]?) {
        guard let validity else { appendAll(source); return }
        switch (data, source) {
        case (.boolean(var a), .boolean(let b)):
            data = .int32([]); for i in 0..<b.count where validity[i] { a.append(b[i]) }; data = .boolean(a)
        case (.int32(var a), .int32(let b)):
            data = .int32([]); Self.gather(&a, b, validity); data = .int32(a)
        case (.int64(var a), .int64(let b)):
            data = .int32([]); Self.gather(&a, b, validity); data = .int64(a)
        case (.float(var a), .float(let b)):
            data = .int32([]); Self.gather(&a, b, validity); data = .float(a)
        case (.double(var a), .double(let b)):
            data = .int32([]); Self.gather(&a, b, validity); data = .double(a)
        case (.byteArray(var a), .byteArray(let b)):
            data = .int32([])
            a.bytes.reserveCapacity(a.bytes.count + b.bytes.count)
            b.bytes.withUnsafeBufferPointer { src in
                for i in 0..<b.count where validity[i] {
                    a.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[b.offsets[i]..<b.offsets[i + 1]]))
                    a.offsets.append(a.bytes.count)
                }
            }
            data = .byteArray(a)
        case (.fixedByteArray(var a), .fixedByteArray(let b)):
            data = .int32([])
            let w = b.width
            for i in 0..<b.count where validity[i] { a.bytes.append(contentsOf: b.bytes[(i * w)..<((i + 1) * w)]) }
            data = .fixedByteArray(a)
        default:
            preconditionFailure("value kinds checked by the caller")
        }
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
