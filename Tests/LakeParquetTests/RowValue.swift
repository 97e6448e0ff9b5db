@testable import LakeParquet
import LakeTestSupport

/// A plain, nested row value used as the test oracle: columns are built from rows of these and
/// read back into them, independently of how the library stores them.
indirect enum RowValue: Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case float(UInt32)  // bit pattern, so NaN compares equal
    case double(UInt64)
    case bytes([UInt8])
    case list([RowValue])
    case map([RowValue], [RowValue])
    case record([RowValue])

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .int(let i): "\(i)"
        case .float(let f): "\(Float(bitPattern: f))f"
        case .double(let d): "\(Double(bitPattern: d))"
        case .bytes(let b): "b\(b)"
        case .list(let l): "\(l)"
        case .map(let k, let v): "map\(Array(zip(k, v)).map { "\($0.0):\($0.1)" })"
        case .record(let r): "{\(r.map(\.description).joined(separator: ","))}"
        }
    }
}

/// Converts between columns and rows of ``RowValue`` following a field's shape.
enum RowCodec {
    /// Reads slot `i` of `column` (which belongs to `field`).
    static func value(_ column: Column, _ i: Int, _ field: ParquetField) -> RowValue {
        if column.isNull(i) { return .null }
        switch column.data {
        case .boolean(let a): return .bool(a[i])
        case .int32(let a): return .int(Int64(a[i]))
        case .int64(let a): return .int(a[i])
        case .float(let a): return .float(a[i].bitPattern)
        case .double(let a): return .double(a[i].bitPattern)
        case .byteArray(let a): return .bytes(Array(a[i]))
        case .fixedByteArray(let a): return .bytes(Array(a[i]))
        case .list(let o, let e):
            let ef = listElement(field)
            return .list((o[i]..<o[i + 1]).map { value(e, $0, ef) })
        case .map(let o, let k, let v):
            let (kf, vf) = mapEntries(field)
            return .map((o[i]..<o[i + 1]).map { value(k, $0, kf) }, (o[i]..<o[i + 1]).map { value(v, $0, vf) })
        case .structure(let cs):
            return .record(zip(cs, field.children).map { value($0.0, i, $0.1) })
        }
    }

    static func rows(_ batch: RecordBatch) -> [[RowValue]] {
        (0..<batch.rowCount).map { r in zip(batch.columns, batch.schema.fields).map { value($0.0, r, $0.1) } }
    }

    static func listElement(_ f: ParquetField) -> ParquetField {
        if f.repetition == .repeated { var e = f; e.repetition = .required; return e }
        return f.children[0].children[0]
    }

    static func mapEntries(_ f: ParquetField) -> (ParquetField, ParquetField) {
        let kv = f.children[0].children
        return (kv[0], kv[1])
    }

    /// Builds a column for `field` from one value per slot.
    static func column(_ values: [RowValue], _ field: ParquetField) -> Column {
        let validity = values.map { $0 != .null }
        let v: [Bool]? = validity.contains(false) ? validity : nil
        switch field.kind {
        case .primitive(let p, let len, _, _):
            switch p {
            case .boolean:
                return Column(.boolean(values.map { if case .bool(let b) = $0 { b } else { false } }), validity: v)
            case .int32:
                return Column(.int32(values.map { if case .int(let x) = $0 { Int32(x) } else { 0 } }), validity: v)
            case .int64: return Column(.int64(values.map { if case .int(let x) = $0 { x } else { 0 } }), validity: v)
            case .float:
                return Column(
                    .float(values.map { if case .float(let x) = $0 { Float(bitPattern: x) } else { 0 } }), validity: v)
            case .double:
                return Column(
                    .double(values.map { if case .double(let x) = $0 { Double(bitPattern: x) } else { 0 } }),
                    validity: v)
            case .byteArray:
                return Column(
                    .byteArray(ByteArrayValues(arrays: values.map { if case .bytes(let b) = $0 { b } else { [] } })),
                    validity: v)
            case .fixedLenByteArray:
                let w = Int(len!)
                return Column(
                    .fixedByteArray(
                        FixedByteArrayValues(
                            width: w,
                            bytes: values.flatMap {
                                if case .bytes(let b) = $0 { b } else { [UInt8](repeating: 0, count: w) }
                            })), validity: v)
            case .int96: fatalError("not generated")
            }
        case .group(let children, let logical, _):
            if logical == .list || field.repetition == .repeated {
                let ef = listElement(field)
                var offsets = [0]
                var elements: [RowValue] = []
                for x in values { if case .list(let l) = x { elements += l }; offsets.append(elements.count) }
                return Column(.list(offsets: offsets, element: column(elements, ef)), validity: v)
            }
            if logical == .map {
                let (kf, vf) = mapEntries(field)
                var offsets = [0]
                var ks: [RowValue] = [], vs: [RowValue] = []
                for x in values { if case .map(let k, let vv) = x { ks += k; vs += vv }; offsets.append(ks.count) }
                return Column(.map(offsets: offsets, keys: column(ks, kf), values: column(vs, vf)), validity: v)
            }
            let cols = children.enumerated().map { (ci, cf) in
                column(values.map { if case .record(let r) = $0 { r[ci] } else { .null } }, cf)
            }
            return Column(.structure(cols), validity: v)
        }
    }
}

typealias TestRandom = SplitMix

/// Random schemas and rows for the file-level tests.
extension SplitMix {
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }

    /// A random field; `depth` bounds nesting.
    mutating func field(_ name: String, depth: Int) -> ParquetField {
        let nullable = chance(0.6)
        let kind = depth > 0 ? int(0...11) : int(0...8)
        switch kind {
        case 0: return .boolean(name, nullable: nullable)
        case 1: return .int32(name, nullable: nullable)
        case 2: return .int64(name, nullable: nullable)
        case 3: return .float(name, nullable: nullable)
        case 4: return .double(name, nullable: nullable)
        case 5: return .string(name, nullable: nullable)
        case 6: return .fixedBinary(name, width: Int32(int(1...17)), nullable: nullable)
        case 7: return .decimal(name, precision: 38, scale: 4, nullable: nullable)
        case 8: return .timestamp(name, nullable: nullable)
        case 9: return .list(name, element: field("element", depth: depth - 1), nullable: nullable)
        case 10:
            return .map(
                name, key: .string("key", nullable: false), value: field("value", depth: depth - 1), nullable: nullable)
        default:
            let n = int(1...3)
            return .structure(name, (0..<n).map { field("f\($0)", depth: depth - 1) }, nullable: nullable)
        }
    }

    /// A random value for `field` (null only where the field is nullable).
    mutating func value(_ f: ParquetField, nullRate: Double) -> RowValue {
        if f.repetition == .optional && chance(nullRate) { return .null }
        switch f.kind {
        case .primitive(let p, let len, _, _):
            switch p {
            case .boolean: return .bool(chance(0.5))
            case .int32: return .int(Int64(Int32(truncatingIfNeeded: next() % 7 == 0 ? next() : next() % 50)))
            case .int64: return .int(Int64(bitPattern: next() % 5 == 0 ? next() : next() % 100))
            case .float: return .float((Float(Int(next() % 1000)) / 8).bitPattern)
            case .double: return .double((chance(0.05) ? Double.nan : Double(Int(next() % 100_000)) / 16).bitPattern)
            case .byteArray:
                let n = chance(0.1) ? 0 : int(0...12)
                return .bytes((0..<n).map { _ in UInt8(97 + next() % 6) })
            case .fixedLenByteArray:
                return .bytes((0..<Int(len!)).map { _ in UInt8(truncatingIfNeeded: next()) })
            case .int96: return .null
            }
        case .group(let children, let logical, _):
            if logical == .list {
                let ef = RowCodec.listElement(f)
                return .list((0..<int(0...4)).map { _ in value(ef, nullRate: nullRate) })
            }
            if logical == .map {
                let (kf, vf) = RowCodec.mapEntries(f)
                let n = int(0...3)
                return .map(
                    (0..<n).map { _ in value(kf, nullRate: nullRate) },
                    (0..<n).map { _ in value(vf, nullRate: nullRate) })
            }
            return .record(children.map { value($0, nullRate: nullRate) })
        }
    }
}
