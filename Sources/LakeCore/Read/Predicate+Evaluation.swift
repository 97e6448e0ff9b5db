import LakeParquet

extension Predicate {
    /// Which rows of `batch` satisfy the predicate: `result[i]` is true iff the predicate is
    /// TRUE for row `i` under SQL's three-valued logic (a comparison involving null is UNKNOWN;
    /// `NOT UNKNOWN` is UNKNOWN; `AND`/`OR` follow Kleene; a row is kept only when TRUE).
    ///
    /// Each literal is converted once to its column's type (see ``Predicate``), then every
    /// comparison runs over the column's typed array. `x IN (…, NULL)` is TRUE on a match and
    /// UNKNOWN otherwise; `x IN ()` is FALSE, even for a null `x`. Float columns order NaN above every other value and equal to itself;
    /// -0 equals +0. A struct member (`address.city`) is null where its struct is null.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` for an unknown column, a comparison with a
    ///   list/map/struct column, or a literal that does not fit its column's type (the message
    ///   names the column, its type and the literal).
    public func evaluate(_ batch: RecordBatch) throws(LakeError) -> [Bool] {
        let truth = try truthValues(batch)
        return truth.map { $0 == Truth.true }
    }

    /// Per-row truth values: ``Truth/false``, ``Truth/unknown`` or ``Truth/true``.
    func truthValues(_ batch: RecordBatch) throws(LakeError) -> [UInt8] {
        try PredicateEvaluator(batch: batch).evaluate(self)
    }
}

extension RecordBatch {
    /// The rows whose `keep` flag is true, in order. `keep` must have one flag per row.
    public func filter(_ keep: [Bool]) -> RecordBatch {
        precondition(keep.count == rowCount, "filter has \(keep.count) flags for \(rowCount) rows")
        var indices: [Int] = []
        indices.reserveCapacity(rowCount)
        for (i, k) in keep.enumerated() where k { indices.append(i) }
        if indices.count == rowCount { return self }
        return RecordBatch(schema: schema, columns: columns.map { $0.take(indices) }, rowCount: indices.count)
    }
}

/// Three-valued truth as bytes ordered so that AND is `min`, OR is `max` and NOT is `2 - v`.
enum Truth {
    static let `false`: UInt8 = 0
    static let unknown: UInt8 = 1
    static let `true`: UInt8 = 2
}

/// Evaluates a predicate over one batch, column at a time.
struct PredicateEvaluator {
    let batch: RecordBatch
    var n: Int { batch.rowCount }

    func evaluate(_ p: Predicate) throws(LakeError) -> [UInt8] {
        switch p {
        case .and(let ps):
            var out = [UInt8](repeating: Truth.true, count: n)
            for c in ps {
                let v = try evaluate(c)
                combine(&out, v, min)
                if !out.contains(where: { $0 != Truth.false }) { break }
            }
            return out
        case .or(let ps):
            var out = [UInt8](repeating: Truth.false, count: n)
            for c in ps {
                let v = try evaluate(c)
                combine(&out, v, max)
                if !out.contains(where: { $0 != Truth.true }) { break }
            }
            return out
        case .not(let inner):
            var out = try evaluate(inner)
            out.withUnsafeMutableBufferPointer { o in
                for i in o.indices { o[i] = Truth.true &- o[i] }
            }
            return out
        case .isNull(let name), .isNotNull(let name):
            let column = try PredicateColumn.require(name, in: batch.schema.fields)
            let (_, validity) = try column.values(in: batch)
            let wantNull = if case .isNull = p { true } else { false }
            guard let validity else { return [UInt8](repeating: wantNull ? Truth.false : Truth.true, count: n) }
            return validity.map { $0 != wantNull ? Truth.true : Truth.false }
        case .compare(let name, let op, let literal):
            let column = try PredicateColumn.require(name, in: batch.schema.fields)
            let converter = try LiteralConverter(column)
            guard let kernel = try converter.kernel(op, literal) else {
                return [UInt8](repeating: Truth.unknown, count: n)
            }
            let (data, validity) = try column.values(in: batch)
            var out = [UInt8](repeating: 0, count: n)
            try Self.run(kernel, data, &out, column)
            Self.applyNulls(validity, &out)
            return out
        case .isIn(let name, let literals):
            let column = try PredicateColumn.require(name, in: batch.schema.fields)
            let converter = try LiteralConverter(column)
            let (kernels, hasNull) = try converter.set(literals)
            let (data, validity) = try column.values(in: batch)
            var out = [UInt8](repeating: Truth.false, count: n)
            try Self.runSet(kernels, data, &out, column)
            if hasNull {
                out.withUnsafeMutableBufferPointer { o in
                    for i in o.indices where o[i] == Truth.false { o[i] = Truth.unknown }
                }
            }
            // `x IN (a, b)` is `x = a OR x = b`: UNKNOWN for a null x, but an empty list is FALSE.
            if !literals.isEmpty { Self.applyNulls(validity, &out) }
            return out
        }
    }

    private func combine(_ out: inout [UInt8], _ v: [UInt8], _ f: (UInt8, UInt8) -> UInt8) {
        out.withUnsafeMutableBufferPointer { o in
            v.withUnsafeBufferPointer { b in
                for i in o.indices { o[i] = f(o[i], b[i]) }
            }
        }
    }

    /// Null slots become UNKNOWN.
    private static func applyNulls(_ validity: [Bool]?, _ out: inout [UInt8]) {
        guard let validity else { return }
        out.withUnsafeMutableBufferPointer { o in
            validity.withUnsafeBufferPointer { v in
                for i in o.indices where !v[i] { o[i] = Truth.unknown }
            }
        }
    }

    private static func storageMismatch(_ column: PredicateColumn, _ data: ColumnData) -> LakeError {
        LakeError(
            .invalidArgument,
            "where: column \(PredicateSyntax.quoteName(column.name)) (\(column.typeName)) holds \(data.storageName)")
    }

    // MARK: Comparison kernels

    /// Writes TRUE/FALSE for every slot (nulls are fixed up afterwards).
    static func run(
        _ kernel: LeafKernel, _ data: ColumnData, _ out: inout [UInt8], _ column: PredicateColumn
    ) throws(LakeError) {
        switch (kernel, data) {
        case (.boolean(let t), .boolean(let v)):
            compare(v, t, &out) { a, b in a == b ? 0 : (!a ? -1 : 1) }
        case (.int32(let t, let mask), .int32(let v)):
            compareKeys(v, t, mask: mask, &out)
        case (.int64(let t, let mask), .int64(let v)):
            compareKeys(v, t, mask: mask, &out)
        case (.float(let t), .float(let v)):
            compareFloats(v, t, &out) { $0 }
        case (.double(let t), .double(let v)):
            compareFloats(v, t, &out) { $0 }
        case (.half(let t), .fixedByteArray(let v)) where v.width == 2:
            let halves = v.bytes.withUnsafeBufferPointer { b in
                (0..<v.count).map { HalfFloat.float(fromBits: UInt16(b[2 * $0]) | UInt16(b[2 * $0 + 1]) << 8) }
            }
            compareFloats(halves, t, &out) { $0 }
        case (.bytes(let t), .byteArray(let v)):
            compareBytes(
                v.bytes, count: v.count, range: { (v.offsets[$0], v.offsets[$0 + 1]) }, t, &out, ByteOrder.unsigned)
        case (.bytes(let t), .fixedByteArray(let v)):
            let w = v.width
            compareBytes(v.bytes, count: v.count, range: { ($0 * w, $0 * w + w) }, t, &out, ByteOrder.unsigned)
        case (.signedBytes(let t), .byteArray(let v)):
            compareBytes(
                v.bytes, count: v.count, range: { (v.offsets[$0], v.offsets[$0 + 1]) }, t, &out, ByteOrder.signed)
        case (.signedBytes(let t), .fixedByteArray(let v)):
            let w = v.width
            compareBytes(v.bytes, count: v.count, range: { ($0 * w, $0 * w + w) }, t, &out, ByteOrder.signed)
        default:
            throw storageMismatch(column, data)
        }
    }

    @inline(__always)
    private static func holds(_ op: ComparisonOperator, _ c: Int) -> Bool {
        switch op {
        case .equal: c == 0
        case .notEqual: c != 0
        case .less: c < 0
        case .lessOrEqual: c <= 0
        case .greater: c > 0
        case .greaterOrEqual: c >= 0
        }
    }

    private static func fillConstant(_ t: RangeTest<some Hashable>, _ out: inout [UInt8]) -> Bool {
        switch t {
        case .always:
            for i in out.indices { out[i] = Truth.true }
            return true
        case .never:
            for i in out.indices { out[i] = Truth.false }
            return true
        case .op:
            return false
        }
    }

    private static func compare<T>(_ values: [T], _ t: RangeTest<T>, _ out: inout [UInt8], _ cmp: (T, T) -> Int) {
        guard !fillConstant(t, &out), case .op(let op, let lit) = t else { return }
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for i in v.indices { o[i] = holds(op, cmp(v[i], lit)) ? Truth.true : Truth.false }
            }
        }
    }

    /// Integer keys (`stored ^ mask`) against a key, one tight loop per operator.
    private static func compareKeys<T: FixedWidthInteger>(
        _ values: [T], _ t: RangeTest<T>, mask: T, _ out: inout [UInt8]
    ) {
        guard !fillConstant(t, &out), case .op(let op, let lit) = t else { return }
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                @inline(__always) func loop(_ body: (T) -> Bool) {
                    for i in v.indices { o[i] = body(v[i] ^ mask) ? Truth.true : Truth.false }
                }
                switch op {
                case .equal: loop { $0 == lit }
                case .notEqual: loop { $0 != lit }
                case .less: loop { $0 < lit }
                case .lessOrEqual: loop { $0 <= lit }
                case .greater: loop { $0 > lit }
                case .greaterOrEqual: loop { $0 >= lit }
                }
            }
        }
    }

    /// Floats in the total order with NaN largest (see ``LeafKernel``).
    private static func compareFloats<S, F: BinaryFloatingPoint>(
        _ values: [S], _ t: RangeTest<F>, _ out: inout [UInt8], _ get: (S) -> F
    ) {
        guard !fillConstant(t, &out), case .op(let op, let lit) = t else { return }
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                @inline(__always) func loop(_ body: (F) -> Bool) {
                    for i in v.indices { o[i] = body(get(v[i])) ? Truth.true : Truth.false }
                }
                if lit.isNaN {
                    switch op {
                    case .equal, .greaterOrEqual: loop { $0.isNaN }
                    case .notEqual, .less: loop { !$0.isNaN }
                    case .lessOrEqual: loop { _ in true }
                    case .greater: loop { _ in false }
                    }
                    return
                }
                switch op {
                case .equal: loop { $0 == lit }
                case .notEqual: loop { !($0 == lit) }
                case .less: loop { $0 < lit }
                case .lessOrEqual: loop { $0 <= lit }
                case .greater: loop { !($0 <= lit) }
                case .greaterOrEqual: loop { !($0 < lit) }
                }
            }
        }
    }

    private static func compareBytes(
        _ bytes: [UInt8], count: Int, range: (Int) -> (Int, Int), _ t: RangeTest<[UInt8]>,
        _ out: inout [UInt8], _ order: ByteOrder
    ) {
        guard !fillConstant(t, &out), case .op(let op, let lit) = t else { return }
        bytes.withUnsafeBufferPointer { b in
            lit.withUnsafeBufferPointer { l in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<count {
                        let (lo, hi) = range(i)
                        let c = order.compare(UnsafeBufferPointer(rebasing: b[lo..<hi]), l)
                        o[i] = holds(op, c) ? Truth.true : Truth.false
                    }
                }
            }
        }
    }

    // MARK: IN kernels

    /// TRUE where the slot equals one of `kernels` (equality tests), FALSE elsewhere.
    static func runSet(
        _ kernels: [LeafKernel], _ data: ColumnData, _ out: inout [UInt8], _ column: PredicateColumn
    ) throws(LakeError) {
        func values<V>(_ extract: (LeafKernel) -> RangeTest<V>?) throws(LakeError) -> [V] {
            var vs: [V] = []
            for k in kernels {
                guard let t = extract(k) else { throw storageMismatch(column, data) }
                if case .op(_, let v) = t { vs.append(v) }
            }
            return vs
        }
        func mark(_ count: Int, _ matches: (Int) -> Bool) {
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<count where matches(i) { o[i] = Truth.true }
            }
        }
        switch data {
        case .boolean(let v):
            let set = try values { if case .boolean(let t) = $0 { t } else { nil } }
            let hasTrue = set.contains(true), hasFalse = set.contains(false)
            mark(v.count) { v[$0] ? hasTrue : hasFalse }
        case .int32(let v):
            var mask: Int32 = 0
            let keys = try values { if case .int32(let t, let m) = $0 { mask = m; return t } else { return nil } }
                .sorted()
            v.withUnsafeBufferPointer { b in mark(b.count) { binarySearch(keys, b[$0] ^ mask) } }
        case .int64(let v):
            var mask: Int64 = 0
            let keys = try values { if case .int64(let t, let m) = $0 { mask = m; return t } else { return nil } }
                .sorted()
            v.withUnsafeBufferPointer { b in mark(b.count) { binarySearch(keys, b[$0] ^ mask) } }
        case .float(let v):
            let set = try values { if case .float(let t) = $0 { t } else { nil } }
            mark(v.count) { i in set.contains { $0.isNaN ? v[i].isNaN : v[i] == $0 } }
        case .double(let v):
            let set = try values { if case .double(let t) = $0 { t } else { nil } }
            mark(v.count) { i in set.contains { $0.isNaN ? v[i].isNaN : v[i] == $0 } }
        case .byteArray(let v):
            try markBytes(
                kernels, v.bytes, count: v.count, range: { (v.offsets[$0], v.offsets[$0 + 1]) }, &out, column, data)
        case .fixedByteArray(let v):
            if v.width == 2, case .half = kernels.first {
                let set = try values { if case .half(let t) = $0 { t } else { nil } }
                mark(v.count) { i in
                    let h = HalfFloat.float(fromBits: UInt16(v.bytes[2 * i]) | UInt16(v.bytes[2 * i + 1]) << 8)
                    return set.contains { $0.isNaN ? h.isNaN : h == $0 }
                }
                return
            }
            let w = v.width
            try markBytes(kernels, v.bytes, count: v.count, range: { ($0 * w, $0 * w + w) }, &out, column, data)
        default:
            throw storageMismatch(column, data)
        }
    }

    private static func markBytes(
        _ kernels: [LeafKernel], _ bytes: [UInt8], count: Int, range: (Int) -> (Int, Int),
        _ out: inout [UInt8], _ column: PredicateColumn, _ data: ColumnData
    ) throws(LakeError) {
        var set: [[UInt8]] = []
        var order = ByteOrder.unsigned
        for k in kernels {
            switch k {
            case .bytes(let t): if case .op(_, let v) = t { set.append(v) }
            case .signedBytes(let t): order = .signed; if case .op(_, let v) = t { set.append(v) }
            default: throw storageMismatch(column, data)
            }
        }
        set.sort { a, b in
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in order.compare(pa, pb) < 0 } }
        }
        bytes.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<count {
                    let (lo, hi) = range(i)
                    let slot = UnsafeBufferPointer(rebasing: b[lo..<hi])
                    var l = 0, h = set.count
                    while l < h {
                        let m = (l + h) / 2
                        let c = set[m].withUnsafeBufferPointer { order.compare(slot, $0) }
                        if c == 0 { o[i] = Truth.true; break }
                        if c < 0 { h = m } else { l = m + 1 }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func binarySearch<T: Comparable>(_ sorted: [T], _ key: T) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let m = (lo + hi) / 2
            if sorted[m] == key { return true }
            if sorted[m] < key { lo = m + 1 } else { hi = m }
        }
        return false
    }
}

/// Orders of byte strings: unsigned lexicographic (strings, binary), or big-endian two's
/// complement integers of any length (DECIMAL).
enum ByteOrder {
    case unsigned
    case signed

    /// -1, 0 or 1.
    func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        switch self {
        case .unsigned:
            let n = Swift.min(a.count, b.count)
            var i = 0
            while i < n {
                if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
                i += 1
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        case .signed:
            let na = a.count, nb = b.count
            let negA = na > 0 && a[0] & 0x80 != 0
            let negB = nb > 0 && b[0] & 0x80 != 0
            if negA != negB { return negA ? -1 : 1 }
            // Same sign: sign-extend the shorter to the longer length, then compare unsigned.
            let n = Swift.max(na, nb)
            let fill: UInt8 = negA ? 0xFF : 0
            for k in 0..<n {
                let x = k < n - na ? fill : a[k - (n - na)]
                let y = k < n - nb ? fill : b[k - (n - nb)]
                if x != y { return x < y ? -1 : 1 }
            }
            return 0
        }
    }
}
