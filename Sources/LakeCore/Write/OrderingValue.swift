import LakeParquet

/// A precombine (ordering) field value, comparable across rows of one column.
///
/// Integers (and dates, timestamps, decimals stored as integers) compare numerically, floating
/// point numerically (NaN below every number), strings and binary byte-wise. A null ordering
/// value sorts below every non-null value, so a record with a value always wins over one
/// without. Records whose ordering values are equal are resolved by arrival order (the later
/// wins), the rule Java Hudi's `DefaultHoodieRecordPayload` applies too.
public enum OrderingValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case bytes([UInt8])

    public static func < (a: OrderingValue, b: OrderingValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return false
        case (.null, _): return true
        case (_, .null): return false
        case (.int(let x), .int(let y)): return x < y
        case (.double(let x), .double(let y)):
            if x.isNaN { return !y.isNaN }
            if y.isNaN { return false }
            return x < y
        case (.int(let x), .double(let y)): return Double(x) < y
        case (.double(let x), .int(let y)): return x < Double(y)
        case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y)
        case (.bytes, _): return false
        case (_, .bytes): return true
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .int(let i): "\(i)"
        case .double(let d): "\(d)"
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        }
    }

    /// Reads slot `i` of a leaf column as an ordering value (decimals in FIXED/BYTE_ARRAY
    /// compare by their big-endian two's-complement value).
    public init(column: Column, at i: Int, field: ParquetField) {
        if column.isNull(i) { self = .null; return }
        switch column.data {
        case .boolean(let a): self = .int(a[i] ? 1 : 0)
        case .int32(let a): self = .int(Int64(a[i]))
        case .int64(let a): self = .int(a[i])
        case .float(let a): self = .double(Double(a[i]))
        case .double(let a): self = .double(a[i])
        case .byteArray(let a):
            if case .decimal = field.logicalType {
                self = OrderingValue.decimal(Array(a[i]))
            } else {
                self = .bytes(Array(a[i]))
            }
        case .fixedByteArray(let a):
            if case .decimal = field.logicalType {
                self = OrderingValue.decimal(Array(a[i]))
            } else {
                self = .bytes(Array(a[i]))
            }
        case .list, .map, .structure:
            self = .null
        }
    }

    /// The ordering value of every slot of a leaf column, switching on the type once.
    public static func values(column: Column, field: ParquetField) -> [OrderingValue] {
        let n = column.count
        let v = column.validity
        func map<T>(_ a: [T], _ f: (T) -> OrderingValue) -> [OrderingValue] {
            (0..<n).map { (v?[$0] ?? true) ? f(a[$0]) : .null }
        }
        switch column.data {
        case .int64(let a): return map(a) { .int($0) }
        case .int32(let a): return map(a) { .int(Int64($0)) }
        case .double(let a): return map(a) { .double($0) }
        case .float(let a): return map(a) { .double(Double($0)) }
        case .byteArray(let a):
            if case .decimal = field.logicalType { break }
            // One pass over the storage: no per-row switch over the column (which retains its arrays).
            return a.bytes.withUnsafeBufferPointer { b in
                a.offsets.withUnsafeBufferPointer { o in
                    (0..<n).map { i in
                        (v?[i] ?? true) ? .bytes(Array(UnsafeBufferPointer(rebasing: b[o[i]..<o[i + 1]]))) : .null
                    }
                }
            }
        default: break
        }
        return (0..<n).map { OrderingValue(column: column, at: $0, field: field) }
    }

    /// A big-endian two's-complement decimal as an ordering value: exact when it fits 64 bits,
    /// otherwise a double approximation (enough to order values of one column).
    static func decimal(_ b: [UInt8]) -> OrderingValue {
        guard let first = b.first else { return .int(0) }
        if b.count <= 8 {
            var v: Int64 = first & 0x80 != 0 ? -1 : 0
            for x in b { v = (v << 8) | Int64(x) }
            return .int(v)
        }
        var d = Double(Int8(bitPattern: first))
        for x in b.dropFirst() { d = d * 256 + Double(x) }
        return .double(d)
    }
}
