/// Materialises dictionary-encoded values: appends `dictionary[indices[i]]` for every index.
enum DictionaryGather {
    static func gather(_ dictionary: ColumnData, indices: [UInt32], into out: inout ColumnData) throws(ParquetError) {
        let size = dictionary.count
        var bad: UInt32?
        indices.withUnsafeBufferPointer { p in
            for i in p where Int(i) >= size { bad = i; return }
        }
        if let bad {
            throw ParquetError(.corrupt, "dictionary index \(bad) out of range (dictionary has \(size) values)")
        }
        func take<T>(_ dict: [T], _ a: inout [T]) {
            a.reserveCapacity(a.count + indices.count)
            dict.withUnsafeBufferPointer { d in
                indices.withUnsafeBufferPointer { idx in
                    for i in idx { a.append(d[Int(i)]) }
                }
            }
        }
        // Move the storage out of `out` so the arrays below are uniquely referenced and grow in place.
        var taken = out
        out = .int32([])
        switch (dictionary, taken.kindTag) {
        case (.int32(let d), .int32):
            guard case .int32(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            take(d, &a); out = .int32(a)
        case (.int64(let d), .int64):
            guard case .int64(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            take(d, &a); out = .int64(a)
        case (.float(let d), .float):
            guard case .float(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            take(d, &a); out = .float(a)
        case (.double(let d), .double):
            guard case .double(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            take(d, &a); out = .double(a)
        case (.boolean(let d), .boolean):
            guard case .boolean(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            take(d, &a); out = .boolean(a)
        case (.byteArray(let d), .byteArray):
            guard case .byteArray(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            var total = 0
            for i in indices { total += d.offsets[Int(i) + 1] - d.offsets[Int(i)] }
            let start = a.bytes.count
            d.bytes.withUnsafeBufferPointer { src in
                d.offsets.withUnsafeBufferPointer { off in
                    a.appendValues(count: indices.count, totalBytes: total) { bytes, offsets in
                        var written = 0
                        for (j, i) in indices.enumerated() {
                            let k = Int(i), lo = off[k], len = off[k + 1] - lo
                            if len > 0 { (bytes + written).update(from: src.baseAddress! + lo, count: len) }
                            written += len
                            offsets[j] = start + written
                        }
                    }
                }
            }
            out = .byteArray(a)
        case (.fixedByteArray(let d), .fixedByteArray):
            guard case .fixedByteArray(var a) = taken else { preconditionFailure() }
            taken = .int32([])
            let w = d.width
            a.bytes.reserveCapacity(a.bytes.count + w * indices.count)
            for i in indices { a.bytes.append(contentsOf: d.bytes[(Int(i) * w)..<((Int(i) + 1) * w)]) }
            out = .fixedByteArray(a)
        default:
            out = taken
            throw ParquetError(.corrupt, "dictionary of \(dictionary.kindName) for a \(taken.kindName) column")
        }
    }
}
