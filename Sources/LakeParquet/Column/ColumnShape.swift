/// The shape of one top-level field as the in-memory ``Column`` sees it, with the levels
/// Parquet uses to encode it.
///
/// Built once per field from the schema, it tells the shredder and the assembler, for every
/// node: at which definition level the node is defined (non-null), which level entries start
/// one of its slots, and for lists and maps at which levels an element exists. Legacy list
/// forms (two-level lists, `array`/`_tuple` groups, bare repeated fields) are recognised by the
/// spec's backward-compatibility rules and mapped to ``ColumnData/list(offsets:element:)``.
indirect enum ColumnShape: Sendable {
    /// A primitive leaf; `leaf` indexes the schema's leaves.
    case leaf(Node, leaf: Int, descriptor: ColumnDescriptor)
    case structure(Node, children: [ColumnShape])
    /// `repeatedRep`/`repeatedDef` are the levels of the repeated node: an entry with
    /// `rep <= repeatedRep && def >= repeatedDef` starts a new element.
    case list(Node, element: ColumnShape, repeatedRep: Int, repeatedDef: Int)
    case map(Node, key: ColumnShape, value: ColumnShape, repeatedRep: Int, repeatedDef: Int)

    /// Level facts common to every node.
    struct Node: Sendable {
        var name: String
        /// Whether a slot of this node can be null.
        var optional: Bool
        /// The definition level an entry has (at least) when this node is non-null.
        var definedDef: Int
        /// An entry starts a slot of this node iff `rep <= slotRep && def >= slotDef`.
        var slotRep: Int
        var slotDef: Int
    }

    var node: Node {
        switch self {
        case .leaf(let n, _, _), .structure(let n, _), .list(let n, _, _, _), .map(let n, _, _, _, _): n
        }
    }

    /// The index of the first leaf under this node (its representative for levels).
    var firstLeaf: Int {
        switch self {
        case .leaf(_, let l, _): l
        case .structure(_, let c): c[0].firstLeaf
        case .list(_, let e, _, _): e.firstLeaf
        case .map(_, let k, _, _, _): k.firstLeaf
        }
    }

    /// Builds the shapes of every top-level field of a schema.
    static func shapes(for schema: ParquetSchema) throws(ParquetError) -> [ColumnShape] {
        var builder = Builder(leaves: schema.leaves)
        var out: [ColumnShape] = []
        for f in schema.fields {
            out.append(try builder.shape(f, def: 0, rep: 0, slotRep: 0, slotDef: 0))
        }
        return out
    }

    private struct Builder {
        let leaves: [ColumnDescriptor]
        var nextLeaf = 0

        /// `def`/`rep`: levels of the parent (count of non-required / repeated ancestors above `f`).
        mutating func shape(
            _ f: ParquetField, def: Int, rep: Int, slotRep: Int, slotDef: Int
        ) throws(ParquetError) -> ColumnShape {
            if f.repetition == .repeated {
                // A bare repeated field outside a LIST/MAP annotation: a list of required elements.
                let node = Node(name: f.name, optional: false, definedDef: def, slotRep: slotRep, slotDef: slotDef)
                var inner = f
                inner.repetition = .required
                let element = try shape(inner, def: def + 1, rep: rep + 1, slotRep: rep + 1, slotDef: def + 1)
                return .list(node, element: element, repeatedRep: rep + 1, repeatedDef: def + 1)
            }
            let d = def + (f.repetition == .optional ? 1 : 0)
            let node = Node(
                name: f.name, optional: f.repetition == .optional, definedDef: d, slotRep: slotRep, slotDef: slotDef)
            switch f.kind {
            case .primitive:
                let i = nextLeaf
                nextLeaf += 1
                guard i < leaves.count else {
                    throw ParquetError(.corrupt, "schema leaf count mismatch at '\(f.name)'")
                }
                return .leaf(node, leaf: i, descriptor: leaves[i])
            case .group(let children, let logical, let converted):
                if children.isEmpty { throw ParquetError(.corrupt, "group '\(f.name)' has no children") }
                let isList = logical == .list || converted == .list
                let isMap = logical == .map || converted == .map || converted == .mapKeyValue
                if isList, children.count == 1, children[0].repetition == .repeated {
                    return try listShape(f, node: node, repeated: children[0], def: d, rep: rep)
                }
                if isMap, children.count == 1, children[0].repetition == .repeated,
                    case .group(let kv, _, _) = children[0].kind, kv.count == 2
                {
                    let rd = d + 1, rr = rep + 1
                    let key = try shape(kv[0], def: rd, rep: rr, slotRep: rr, slotDef: rd)
                    let value = try shape(kv[1], def: rd, rep: rr, slotRep: rr, slotDef: rd)
                    return .map(node, key: key, value: value, repeatedRep: rr, repeatedDef: rd)
                }
                var shapes: [ColumnShape] = []
                for c in children {
                    shapes.append(try shape(c, def: d, rep: rep, slotRep: slotRep, slotDef: slotDef))
                }
                return .structure(node, children: shapes)
            }
        }

        /// LIST backward-compatibility rules (Parquet LogicalTypes.md, "Lists").
        mutating func listShape(
            _ f: ParquetField, node: Node, repeated: ParquetField, def d: Int, rep: Int
        ) throws(ParquetError) -> ColumnShape {
            let rd = d + 1, rr = rep + 1
            var element: ColumnShape
            switch repeated.kind {
            case .primitive:
                // Two-level list of a repeated primitive: the element is that primitive, required.
                var e = repeated
                e.repetition = .required
                element = try shape(e, def: rd, rep: rr, slotRep: rr, slotDef: rd)
            case .group(let gc, _, _):
                if gc.count > 1 || repeated.name == "array" || repeated.name == f.name + "_tuple" {
                    // Two-level list whose element is the repeated group itself, as a required struct.
                    var e = repeated
                    e.repetition = .required
                    e.kind = .group(gc, logical: nil, converted: nil)
                    element = try shape(e, def: rd, rep: rr, slotRep: rr, slotDef: rd)
                } else {
                    element = try shape(gc[0], def: rd, rep: rr, slotRep: rr, slotDef: rd)
                }
            }
            return .list(node, element: element, repeatedRep: rr, repeatedDef: rd)
        }
    }
}
