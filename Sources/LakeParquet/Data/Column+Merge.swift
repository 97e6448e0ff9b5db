extension Column {
    /// Builds a column by picking slots from two columns of the same kind in one pass:
    /// `picks[i] >= 0` takes `first[picks[i]]`, `picks[i] < 0` takes `second[-1 - picks[i]]`.
    ///
    /// This is how a copy-on-write merge interleaves carried-over rows with new ones without
    /// copying either column twice. Nested columns fall back to concatenate-then-take.
    public static func merge(_ first: Column, _ second: Column, picks: [Int]) -> Column {
        let n = picks.count
        var validity: [Bool]?
        if first.validity != nil || second.validity != nil {
            var v = [Bool](repeating: true, count: n)
            for i in 0..<n {
                let p = picks[i]
                v[i] = p >= 0 ? !first.isNull(p) : !second.isNull(-1 - p)
            }
            validity = v.contains(false) ? v : nil
        }
        func pick<T>(_ a: [T], _ b: [T]) -> [T] {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    picks.map { $0 >= 0 ? pa[$0] : pb[-1 - $0] }
                }
            }
        }
        switch (first.data, second.data) {
        case (.boolean(let a), .boolean(let b)): return Column(.boolean(pick(a, b)), validity: validity)
        case (.int32(let a), .int32(let b)): return Column(.int32(pick(a, b)), validity: validity)
        case (.int64(let a), .int64(let b)): return Column(.int64(pick(a, b)), validity: validity)
        case (.float(let a), .float(let b)): return Column(.float(pick(a, b)), validity: validity)
        case (.double(let a), .double(let b)): return Column(.double(pick(a, b)), validity: validity)
        case (.byteArray(let a), .byteArray(let b)):
            var total = 0
            for p in picks { total += p >= 0 ? a.length(at: p) : b.length(at: -1 - p) }
            var out = ByteArrayValues()
            a.bytes.withUnsafeBufferPointer { ab in
                b.bytes.withUnsafeBufferPointer { bb in
                    a.offsets.withUnsafeBufferPointer { ao in
                        b.offsets.withUnsafeBufferPointer { bo in
                            out.appendValues(count: picks.count, totalBytes: total) { bytes, offsets in
                                var written = 0
                                for (j, p) in picks.enumerated() {
                                    let (src, lo, len) =
                                        p >= 0
                                        ? (ab.baseAddress, ao[p], ao[p + 1] - ao[p])
                                        : (bb.baseAddress, bo[-1 - p], bo[-p] - bo[-1 - p])
                                    if len > 0 { (bytes + written).update(from: src! + lo, count: len) }
                                    written += len
                                    offsets[j] = written
                                }
                            }
                        }
                    }
                }
            }
            return Column(.byteArray(out), validity: validity)
        case (.fixedByteArray(let a), .fixedByteArray(let b)) where a.width == b.width:
            var out = FixedByteArrayValues(width: a.width)
            out.bytes.reserveCapacity(n * a.width)
            let w = a.width
            for p in picks {
                if p >= 0 {
                    out.bytes.append(contentsOf: a.bytes[(p * w)..<((p + 1) * w)])
                } else {
                    let q = -1 - p; out.bytes.append(contentsOf: b.bytes[(q * w)..<((q + 1) * w)])
                }
            }
            return Column(.fixedByteArray(out), validity: validity)
        default:
            let combined = concatenate([first, second])
            return combined.take(picks.map { $0 >= 0 ? $0 : first.count + (-1 - $0) })
        }
    }
}
