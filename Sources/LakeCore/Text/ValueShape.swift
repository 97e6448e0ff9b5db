/// The logical shape of a field's values, as rows and ``Column``s see it: a leaf, a list, a map
/// or a struct, with the Parquet encoding details (the LIST/MAP wrapper groups, legacy list
/// forms, bare repeated fields) resolved away.
///
/// The pairing with ``ColumnData``: a leaf holds the physical type's array (`.int64` for INT96),
/// a list `.list(offsets, element)`, a map `.map(offsets, keys, values)`, a struct
/// `.structure(children)` with one child per member.
///
/// Resolution follows the Parquet spec's LIST/MAP rules including backward compatibility:
/// - a field with repetition `repeated` is a non-null list of its values (repetition aside);
/// - a LIST group's single repeated child is the element when it is primitive, has several
///   children, or is named `array` or `<list>_tuple`; otherwise its one child is the element;
/// - a MAP (or MAP_KEY_VALUE) group's repeated child holds the key and the value;
/// - any other group is a struct. Malformed LIST/MAP groups are read as structs.
indirect enum ValueShape: Sendable, Hashable {
    case leaf(LeafShape)
    case list(element: ValueShape, elementNullable: Bool)
    case map(key: ValueShape, value: ValueShape?, valueNullable: Bool)
    case structure([StructMember])

    /// The shape of `field`'s values (its own nullability is the caller's concern).
    init(field: ParquetField) {
        self = Self.resolve(field, ignoringRepetition: false)
    }

    /// The shape of a leaf's single value, ignoring that the leaf may be repeated (for statistics).
    init(leaf field: ParquetField) {
        self = Self.resolve(field, ignoringRepetition: true)
    }

    private static func resolve(_ f: ParquetField, ignoringRepetition: Bool) -> ValueShape {
        if f.repetition == .repeated && !ignoringRepetition {
            return .list(element: resolve(f, ignoringRepetition: true), elementNullable: false)
        }
        switch f.kind {
        case .primitive(let physical, let width, _, _):
            return .leaf(LeafShape(type: CanonicalType(f), physical: physical, width: Int(width ?? 0)))
        case .group(let children, let logical, let converted):
            let isList = logical == .list || converted == .list
            let isMap = logical == .map || converted == .map || converted == .mapKeyValue
            if isList, children.count == 1, children[0].repetition == .repeated {
                let r = children[0]
                let elementIsRepeated: Bool
                switch r.kind {
                case .primitive: elementIsRepeated = true
                case .group(let rc, _, _):
                    elementIsRepeated = rc.count != 1 || r.name == "array" || r.name == "\(f.name)_tuple"
                }
                if elementIsRepeated {
                    return .list(element: resolve(r, ignoringRepetition: true), elementNullable: false)
                }
                let e = r.children[0]
                return .list(element: resolve(e, ignoringRepetition: false), elementNullable: e.repetition == .optional)
            }
            if isMap, children.count == 1, children[0].repetition == .repeated,
                case .group(let kv, _, _) = children[0].kind, kv.count == 2
            {
                return .map(
                    key: resolve(kv[0], ignoringRepetition: true), value: resolve(kv[1], ignoringRepetition: false),
                    valueNullable: kv[1].repetition == .optional)
            }
            return .structure(children.map(StructMember.init(field:)))
        }
    }

    /// Whether values of this shape print as JSON numbers (right-aligned in tables).
    var isNumeric: Bool {
        if case .leaf(let l) = self { return l.type.isNumeric }
        return false
    }
}

/// A primitive value's canonical type and storage.
struct LeafShape: Sendable, Hashable {
    var type: CanonicalType
    var physical: PhysicalType
    /// The FIXED_LEN_BYTE_ARRAY width (0 for other types).
    var width: Int
}

/// One member of a struct shape.
struct StructMember: Sendable, Hashable {
    var name: String
    var shape: ValueShape
    var nullable: Bool
    /// A bare `repeated` field: absent or `null` in JSON means an empty list.
    var isRepeated: Bool

    init(field: ParquetField) {
        name = field.name
        shape = ValueShape(field: field)
        nullable = field.repetition == .optional
        isRepeated = field.repetition == .repeated
    }
}
