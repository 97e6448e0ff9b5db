/// Turns in-memory columns into per-leaf levels and dense values (Dremel "shredding").
///
/// For each slot of a node the shredder emits, to every leaf below it, either a value
/// (definition level = the leaf's maximum) or an absence at the definition level of the
/// deepest defined ancestor; repetition levels mark where a new list element starts.
struct ColumnShredder {
    /// One accumulator per schema leaf.
    var leaves: [LeafAccumulator]

    init(schema: ParquetSchema) {
        leaves = schema.leaves.map { LeafAccumulator(descriptor: $0) }
    }

    /// A pending item at a node: a present slot, or an absence with its definition level.
    private struct Items {
        var slots: [Int]  // -1 = absent
        var defs: [UInt32]  // meaningful for absent items
        var reps: [UInt32]
    }

    /// Shreds `column`, the data of the top-level field with shape `shape`.
    mutating func shred(_ column: Column, shape: ColumnShape) throws(ParquetError) {
        // Fast path: a top-level primitive leaf, one entry per row.
        if case .leaf(let node, let leaf, let d) = shape {
            try Self.check(column, d)
            let n = column.count
            if node.optional {
                var defs = [UInt32](repeating: 1, count: n)
                if let v = column.validity {
                    for i in 0..<n where !v[i] { defs[i] = 0 }
                }
                leaves[leaf].appendDefs(defs)
                leaves[leaf].values.appendValid(column.data, validity: column.validity)
            } else {
                if column.validity != nil && column.nullCount > 0 {
                    throw ParquetError(
                        .invalidArgument, "column '\(d.dottedPath)' is required but has \(column.nullCount) null values"
                    )
                }
                leaves[leaf].values.appendAll(column.data)
            }
            leaves[leaf].entryCount += n
            leaves[leaf].rowCount += n
            return
        }
        let n = column.count
        let items = Items(
            slots: Array(0..<n), defs: [UInt32](repeating: 0, count: n), reps: [UInt32](repeating: 0, count: n))
        try shred(column, shape, items)
        for leaf in Self.leafIndices(shape) { leaves[leaf].rowCount += n }
    }

    private static func leafIndices(_ shape: ColumnShape) -> [Int] {
        switch shape {
        case .leaf(_, let l, _): [l]
        case .structure(_, let c): c.flatMap { leafIndices($0) }
        case .list(_, let e, _, _): leafIndices(e)
        case .map(_, let k, let v, _, _): leafIndices(k) + leafIndices(v)
        }
    }

    private static func check(_ column: Column, _ d: ColumnDescriptor) throws(ParquetError) {
        guard column.data.matchesLeaf(d.physicalType), d.physicalType != .int96 else {
            throw ParquetError(
                .invalidArgument,
                "column '\(d.dottedPath)' is \(d.physicalType.name) but the data is \(column.data.kindName)")
        }
        if case .fixedByteArray(let f) = column.data, f.width != d.typeLength {
            throw ParquetError(
                .invalidArgument,
                "column '\(d.dottedPath)' is FIXED_LEN_BYTE_ARRAY(\(d.typeLength)) but the data has width \(f.width)")
        }
    }

    private mutating func shred(_ column: Column, _ shape: ColumnShape, _ items: Items) throws(ParquetError) {
        let node = shape.node
        // Resolve this node's nulls: a null slot becomes an absence at the parent's level.
        var items = items
        if let v = column.validity {
            for k in 0..<items.slots.count {
                let s = items.slots[k]
                guard s >= 0 && !v[s] else { continue }
                // A required field may be null only where an ancestor is null (absent here).
                guard node.optional else {
                    throw ParquetError(.invalidArgument, "field '\(node.name)' is required but slot \(s) is null")
                }
                items.slots[k] = -1
                items.defs[k] = UInt32(node.definedDef - 1)
            }
        }
        switch shape {
        case .leaf(_, let leaf, let d):
            try Self.check(column, d)
            var acc = leaves[leaf]
            leaves[leaf] = LeafAccumulator(descriptor: d)
            let maxDef = UInt32(d.maxDefinitionLevel)
            var present: [Int] = []
            present.reserveCapacity(items.slots.count)
            for k in 0..<items.slots.count {
                let s = items.slots[k]
                if s >= 0 {
                    acc.pushLevels(def: maxDef, rep: items.reps[k])
                    present.append(s)
                } else {
                    acc.pushLevels(def: items.defs[k], rep: items.reps[k])
                }
            }
            // One gather per leaf, not one append per value.
            acc.values.appendAll(column.data.take(present))
            acc.entryCount += items.slots.count
            leaves[leaf] = acc
        case .structure(_, let children):
            guard case .structure(let cols) = column.data, cols.count == children.count else {
                throw ParquetError(
                    .invalidArgument,
                    "field '\(node.name)' is a struct of \(children.count) fields but the data is \(column.data.kindName)"
                )
            }
            for (c, s) in zip(cols, children) { try shred(c, s, items) }
        case .list(_, let element, let rr, _):
            guard case .list(let offsets, let elements) = column.data else {
                throw ParquetError(
                    .invalidArgument, "field '\(node.name)' is a list but the data is \(column.data.kindName)")
            }
            let child = Self.expand(items, offsets: offsets, emptyDef: UInt32(node.definedDef), repeatedRep: UInt32(rr))
            try shred(elements, element, child)
        case .map(_, let key, let value, let rr, _):
            guard case .map(let offsets, let keys, let values) = column.data else {
                throw ParquetError(
                    .invalidArgument, "field '\(node.name)' is a map but the data is \(column.data.kindName)")
            }
            let child = Self.expand(items, offsets: offsets, emptyDef: UInt32(node.definedDef), repeatedRep: UInt32(rr))
            try shred(keys, key, child)
            try shred(values, value, child)
        }
    }

    /// Expands list slots into element items: the first element keeps the slot's repetition
    /// level, later ones repeat at `repeatedRep`; an empty list is an absence at `emptyDef`.
    private static func expand(_ items: Items, offsets: [Int], emptyDef: UInt32, repeatedRep: UInt32) -> Items {
        var out = Items(slots: [], defs: [], reps: [])
        out.slots.reserveCapacity(items.slots.count)
        for k in 0..<items.slots.count {
            let s = items.slots[k]
            if s < 0 {
                out.slots.append(-1); out.defs.append(items.defs[k]); out.reps.append(items.reps[k])
                continue
            }
            let lo = offsets[s], hi = offsets[s + 1]
            if lo == hi {
                out.slots.append(-1); out.defs.append(emptyDef); out.reps.append(items.reps[k])
                continue
            }
            for e in lo..<hi {
                out.slots.append(e); out.defs.append(0); out.reps.append(e == lo ? items.reps[k] : repeatedRep)
            }
        }
        return out
    }
}

/// The shredded data of one leaf collected across batches.
struct LeafAccumulator: Sendable {
    let descriptor: ColumnDescriptor
    var defs: [UInt32] = []
    var reps: [UInt32] = []
    var values: ValueBuffer
    var entryCount = 0
    var rowCount = 0

    init(descriptor: ColumnDescriptor) {
        self.descriptor = descriptor
        values = ValueBuffer(type: descriptor.physicalType, typeLength: descriptor.typeLength)
    }

    @inline(__always)
    mutating func pushLevels(def: UInt32, rep: UInt32) {
        if descriptor.maxDefinitionLevel > 0 { defs.append(def) }
        if descriptor.maxRepetitionLevel > 0 { reps.append(rep) }
    }

    mutating func appendDefs(_ d: [UInt32]) { defs.append(contentsOf: d) }

    /// The collected data as ``LeafData``.
    var leafData: LeafData {
        LeafData(
            definitionLevels: descriptor.maxDefinitionLevel > 0 ? defs : nil,
            repetitionLevels: descriptor.maxRepetitionLevel > 0 ? reps : nil,
            values: values.data, entryCount: entryCount, rowCount: rowCount)
    }
}
