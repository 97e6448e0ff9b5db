/// A file's schema: the top-level fields and, derived from them, one ``ColumnDescriptor`` per leaf.
public struct ParquetSchema: Sendable, Hashable {
    /// The root's name as written to the footer (`schema` by convention).
    public var rootName: String
    public var fields: [ParquetField]
    /// The leaves in depth-first order, one per column chunk.
    public private(set) var leaves: [ColumnDescriptor]

    public init(_ fields: [ParquetField], rootName: String = "schema") {
        self.rootName = rootName
        self.fields = fields
        var leaves: [ColumnDescriptor] = []
        for f in fields { Self.collectLeaves(f, path: [], def: 0, rep: 0, into: &leaves) }
        self.leaves = leaves
    }

    private static func collectLeaves(
        _ f: ParquetField, path: [String], def: Int, rep: Int, into out: inout [ColumnDescriptor]
    ) {
        let d = def + (f.repetition == .required ? 0 : 1)
        let r = rep + (f.repetition == .repeated ? 1 : 0)
        let p = path + [f.name]
        switch f.kind {
        case .primitive:
            out.append(ColumnDescriptor(path: p, field: f, maxDefinitionLevel: d, maxRepetitionLevel: r))
        case .group(let children, _, _):
            for c in children { collectLeaves(c, path: p, def: d, rep: r, into: &out) }
        }
    }

    /// The index of the top-level field with this name.
    public func fieldIndex(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The leaf whose dotted path (`a.b.c`) or path array matches.
    public func leaf(path: [String]) -> ColumnDescriptor? { leaves.first { $0.path == path } }

    /// The range of leaf indices under top-level field `i`.
    public func leafRange(ofField i: Int) -> Range<Int> {
        var lo = 0
        for j in 0..<i { lo += Self.leafCount(fields[j]) }
        return lo..<(lo + Self.leafCount(fields[i]))
    }

    static func leafCount(_ f: ParquetField) -> Int {
        switch f.kind {
        case .primitive: 1
        case .group(let c, _, _): c.reduce(0) { $0 + leafCount($1) }
        }
    }

    /// A schema with only the named top-level fields, in the given order.
    public func projected(_ names: [String]) throws(ParquetError) -> ParquetSchema {
        var out: [ParquetField] = []
        for n in names {
            guard let i = fieldIndex(n) else {
                throw ParquetError(
                    .invalidArgument,
                    "no column '\(n)' in schema (columns: \(fields.map(\.name).joined(separator: ", ")))")
            }
            out.append(fields[i])
        }
        return ParquetSchema(out, rootName: rootName)
    }
}

/// A leaf column: its path from the root, its type and its maximum levels.
public struct ColumnDescriptor: Sendable, Hashable {
    public var path: [String]
    public var field: ParquetField
    public var maxDefinitionLevel: Int
    public var maxRepetitionLevel: Int

    public var dottedPath: String { path.joined(separator: ".") }

    public var physicalType: PhysicalType {
        if case .primitive(let p, _, _, _) = field.kind { return p }
        preconditionFailure("a column descriptor is always a leaf")
    }

    public var typeLength: Int {
        if case .primitive(_, let l, _, _) = field.kind { return Int(l ?? 0) }
        return 0
    }

    public var logicalType: LogicalType? { field.logicalType }
    public var convertedType: ConvertedType? { field.convertedType }

    /// How min/max statistics of this column compare: unsigned (byte-wise) for strings,
    /// binary, unsigned integers and FIXED_LEN_BYTE_ARRAY that is not a decimal; signed otherwise.
    public var sortOrder: SortOrder {
        switch physicalType {
        case .byteArray:
            if case .decimal = logicalType { return .signed }
            if convertedType == .decimal { return .signed }
            return .unsigned
        case .fixedLenByteArray:
            if case .decimal = logicalType { return .signed }
            if convertedType == .decimal { return .signed }
            return .unsigned
        case .int32, .int64:
            if case .integer(_, false) = logicalType { return .unsigned }
            switch convertedType {
            case .uint8, .uint16, .uint32, .uint64: return .unsigned
            default: return .signed
            }
        case .int96: return .undefined
        case .boolean, .float, .double: return .signed
        }
    }
}

/// How values of a column are ordered for statistics.
public enum SortOrder: Sendable, Hashable {
    case signed
    case unsigned
    case undefined
}
