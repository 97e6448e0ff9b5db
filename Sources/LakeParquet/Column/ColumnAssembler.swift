/// Rebuilds nested in-memory columns from per-leaf levels and dense values (Dremel "assembly").
///
/// Each node is rebuilt from the levels of one leaf below it: an entry with
/// `rep <= slotRep && def >= slotDef` starts a slot of the node; the slot is null when the
/// node is optional and `def < definedDef`; list elements start at entries with
/// `rep <= repeatedRep && def >= repeatedDef`. Every leaf below a node yields the same slots,
/// so any leaf can represent it.
struct ColumnAssembler {
    let leaves: [LeafData]

    /// Assembles the top-level field with shape `shape`.
    func assemble(_ shape: ColumnShape) throws(ParquetError) -> Column {
        // Fast path: a top-level primitive leaf, one entry per row.
        if case .leaf(let node, let leaf, let d) = shape, d.maxRepetitionLevel == 0 {
            let data = leaves[leaf]
            guard let defs = data.definitionLevels, node.optional else {
                guard data.values.count == data.entryCount else {
                    throw ParquetError(
                        .corrupt,
                        "column '\(d.dottedPath)': \(data.values.count) values for \(data.entryCount) required entries")
                }
                return Column(data.values)
            }
            return try Self.scatter(
                data.values, defs: defs, count: data.entryCount, maxDef: UInt32(d.maxDefinitionLevel),
                path: d.dottedPath)
        }
        return try build(shape)
    }

    private func build(_ shape: ColumnShape) throws(ParquetError) -> Column {
        let node = shape.node
        let leaf = leaves[shape.firstLeaf]
        let n = leaf.entryCount
        let slotRep = UInt32(node.slotRep), slotDef = UInt32(node.slotDef), definedDef = UInt32(node.definedDef)
        var validity: [Bool] = []
        var anyNull = false
        var offsets: [Int] = []
        var repeatedRep: UInt32 = 0, repeatedDef: UInt32 = 0
        switch shape {
        case .list(_, _, let rr, let rd), .map(_, _, _, let rr, let rd):
            repeatedRep = UInt32(rr); repeatedDef = UInt32(rd)
            offsets.reserveCapacity(n + 1)
            offsets.append(0)
        default: break
        }
        let isContainer = !offsets.isEmpty
        var elementCount = 0
        var open = false
        // Scan the representative leaf's entries once.
        let defs = leaf.definitionLevels
        let reps = leaf.repetitionLevels
        for e in 0..<n {
            let def = defs?[e] ?? 0
            let rep = reps?[e] ?? 0
            if rep <= slotRep {
                if isContainer && open { offsets.append(elementCount) }
                open = def >= slotDef
                if open {
                    let valid = !node.optional || def >= definedDef
                    validity.append(valid)
                    if !valid { anyNull = true }
                }
            } else if !open {
                throw ParquetError(
                    .corrupt, "field '\(node.name)': repetition level \(rep) at entry \(e) continues no open slot")
            }
            if isContainer && open && rep <= repeatedRep && def >= repeatedDef { elementCount += 1 }
        }
        if isContainer && open { offsets.append(elementCount) }
        let v = anyNull ? validity : nil

        switch shape {
        case .leaf(_, let l, let d):
            // Values: one per entry whose definition level is the leaf's maximum.
            let slots = validity.count
            let maxDef = UInt32(d.maxDefinitionLevel)
            var slotDefs = [UInt32]()
            slotDefs.reserveCapacity(slots)
            var isOpen = false
            for e in 0..<n {
                let def = defs?[e] ?? 0
                let rep = reps?[e] ?? 0
                if rep <= slotRep {
                    isOpen = def >= slotDef
                    if isOpen { slotDefs.append(def >= maxDef ? 1 : 0) }
                }
            }
            return try Self.scatter(leaves[l].values, defs: slotDefs, count: slots, maxDef: 1, path: d.dottedPath)
        case .structure(_, let children):
            var cols: [Column] = []
            for c in children {
                let col = try build(c)
                guard col.count == validity.count else {
                    throw ParquetError(
                        .corrupt,
                        "struct '\(node.name)': child '\(c.node.name)' has \(col.count) slots, expected \(validity.count)"
                    )
                }
                cols.append(col)
            }
            return Column(.structure(cols), validity: v)
        case .list(_, let element, _, _):
            let el = try build(element)
            guard el.count == elementCount else {
                throw ParquetError(
                    .corrupt, "list '\(node.name)': \(el.count) elements decoded, levels promise \(elementCount)")
            }
            return Column(.list(offsets: offsets, element: el), validity: v)
        case .map(_, let key, let value, _, _):
            let k = try build(key)
            let val = try build(value)
            guard k.count == elementCount, val.count == elementCount else {
                throw ParquetError(
                    .corrupt,
                    "map '\(node.name)': \(k.count) keys and \(val.count) values, levels promise \(elementCount)")
            }
            return Column(.map(offsets: offsets, keys: k, values: val), validity: v)
        }
    }

    /// Spreads dense `values` over `count` slots: slot `i` holds the next value when
    /// `defs[i] >= maxDef`, otherwise it is null.
    static func scatter(
        _ values: ColumnData, defs: [UInt32], count: Int, maxDef: UInt32, path: String
    ) throws(ParquetError) -> Column {
        var validity = [Bool](repeating: true, count: count)
        var present = 0
        validity.withUnsafeMutableBufferPointer { v in
            defs.withUnsafeBufferPointer { d in
                for i in 0..<count {
                    if d[i] >= maxDef { present += 1 } else { v[i] = false }
                }
            }
        }
        guard present == values.count else {
            throw ParquetError(
                .corrupt, "column '\(path)': \(values.count) values decoded but definition levels promise \(present)")
        }
        if present == count { return Column(values) }
        func spread<T>(_ src: [T], zero: T) -> [T] {
            var out = [T](repeating: zero, count: count)
            out.withUnsafeMutableBufferPointer { o in
                src.withUnsafeBufferPointer { s in
                    var j = 0
                    for i in 0..<count where validity[i] {
                        o[i] = s[j]; j += 1
                    }
                }
            }
            return out
        }
        let data: ColumnData
        switch values {
        case .boolean(let a): data = .boolean(spread(a, zero: false))
        case .int32(let a): data = .int32(spread(a, zero: 0))
        case .int64(let a): data = .int64(spread(a, zero: 0))
        case .float(let a): data = .float(spread(a, zero: 0))
        case .double(let a): data = .double(spread(a, zero: 0))
        case .byteArray(let a):
            // Null slots are empty, so the bytes stay as they are; only offsets grow.
            var offsets = [Int]()
            offsets.reserveCapacity(count + 1)
            offsets.append(0)
            var j = 0
            for i in 0..<count {
                if validity[i] { j += 1 }
                offsets.append(a.offsets[j])
            }
            data = .byteArray(ByteArrayValues(offsets: offsets, bytes: a.bytes))
        case .fixedByteArray(let a):
            var out = FixedByteArrayValues(width: a.width, bytes: [UInt8](repeating: 0, count: count * a.width))
            var j = 0
            for i in 0..<count where validity[i] {
                let w = a.width
                out.bytes.replaceSubrange((i * w)..<((i + 1) * w), with: a.bytes[(j * w)..<((j + 1) * w)])
                j += 1
            }
            data = .fixedByteArray(out)
        default:
            throw ParquetError(.corrupt, "column '\(path)': nested values at a leaf")
        }
        return Column(data, validity: validity)
    }
}
