/// Conversion between the schema tree and the footer's flattened `SchemaElement` list.
extension ParquetSchema {
    /// The deepest group nesting accepted when reading a schema (the root is depth 0).
    public static let maxNestingDepth = 64

    /// Builds the schema tree from the footer's flattened depth-first element list (element 0 = root).
    ///
    /// A group is an element with `numChildren > 0` (or `numChildren == 0` and no physical type);
    /// every other element is a leaf and must have a physical type. When an element has a
    /// converted type but no logical type (files from older writers such as parquet-mr 1.x), the
    /// logical type is derived from the converted type: UTF8 → STRING, DECIMAL → DECIMAL(precision,
    /// scale) from the element, TIMESTAMP_MILLIS/MICROS → TIMESTAMP(unit, true), TIME_* → TIME(unit,
    /// true), INT_*/UINT_* → INTEGER, MAP and MAP_KEY_VALUE → MAP, and so on. The converted type is
    /// kept on the field as written.
    ///
    /// - Throws: `.corrupt` when the list is empty, a child count is negative or larger than the
    ///   elements that follow, elements are left over after the root's tree, nesting exceeds
    ///   ``maxNestingDepth``, a non-root element has no repetition, a leaf has no physical type,
    ///   a FIXED_LEN_BYTE_ARRAY has no positive type length, or a DECIMAL converted type has no
    ///   precision. Messages name the element and its index.
    public init(elements: [SchemaElement]) throws(ParquetError) {
        guard let root = elements.first else {
            throw ParquetError(.corrupt, "the footer schema has no elements (a root group is required)")
        }
        let count = root.numChildren ?? 0
        if let type = root.type, count == 0 {
            throw ParquetError(.corrupt, "schema root '\(root.name)' is a \(type.name) leaf; the root must be a group")
        }
        try Self.checkChildCount(count, of: root, at: 0, remaining: elements.count - 1)
        var index = 1
        var fields: [ParquetField] = []
        for _ in 0..<Int(count) {
            fields.append(try Self.field(from: elements, at: &index, depth: 1))
        }
        guard index == elements.count else {
            throw ParquetError(
                .corrupt, "schema root '\(root.name)' covers \(index) elements but the footer lists \(elements.count)")
        }
        self.init(fields, rootName: root.name)
    }

    /// Flattens back to the footer form (root first, with numChildren), writing both logical and converted types.
    ///
    /// A field without a converted type gets the one its logical type implies (for older
    /// readers); decimals also get `precision` and `scale` on the element, as the spec asks. A
    /// group converted as MAP_KEY_VALUE is written without a logical type, which that legacy
    /// annotation has no counterpart for.
    public func elements() -> [SchemaElement] {
        var out = [SchemaElement(name: rootName, numChildren: Int32(fields.count))]
        for f in fields { Self.flatten(f, into: &out) }
        return out
    }

    // MARK: Reading

    private static func checkChildCount(
        _ count: Int32, of e: SchemaElement, at index: Int, remaining: Int
    ) throws(ParquetError) {
        guard count >= 0 else {
            throw ParquetError(
                .corrupt, "schema element '\(e.name)' (index \(index)) has a negative child count \(count)")
        }
        guard Int(count) <= remaining else {
            throw ParquetError(
                .corrupt,
                "schema element '\(e.name)' (index \(index)) claims \(count) children but only \(remaining) elements follow"
            )
        }
    }

    private static func field(
        from elements: [SchemaElement], at index: inout Int, depth: Int
    ) throws(ParquetError) -> ParquetField {
        let i = index
        let e = elements[i]
        index += 1
        guard depth <= maxNestingDepth else {
            throw ParquetError(
                .corrupt, "schema element '\(e.name)' (index \(i)) is nested deeper than \(maxNestingDepth) levels")
        }
        guard let repetition = e.repetitionType else {
            throw ParquetError(.corrupt, "schema element '\(e.name)' (index \(i)) has no repetition type")
        }
        var logical = e.logicalType
        if logical == nil { logical = try derivedLogicalType(e, at: i) }
        if let count = e.numChildren, count != 0 || e.type == nil {
            if let type = e.type {
                throw ParquetError(
                    .corrupt,
                    "schema element '\(e.name)' (index \(i)) has both physical type \(type.name) and \(count) children")
            }
            try checkChildCount(count, of: e, at: i, remaining: elements.count - index)
            var children: [ParquetField] = []
            for _ in 0..<Int(count) {
                children.append(try field(from: elements, at: &index, depth: depth + 1))
            }
            return ParquetField(
                name: e.name, repetition: repetition,
                kind: .group(children, logical: logical, converted: e.convertedType), fieldId: e.fieldId)
        }
        guard let type = e.type else {
            throw ParquetError(.corrupt, "schema element '\(e.name)' (index \(i)) is a leaf without a physical type")
        }
        if type == .fixedLenByteArray {
            guard let length = e.typeLength, length > 0 else {
                throw ParquetError(
                    .corrupt,
                    "schema element '\(e.name)' (index \(i)) is FIXED_LEN_BYTE_ARRAY without a positive type length (got \(e.typeLength.map(String.init) ?? "none"))"
                )
            }
        }
        return ParquetField(
            name: e.name, repetition: repetition,
            kind: .primitive(type, typeLength: e.typeLength, logical: logical, converted: e.convertedType),
            fieldId: e.fieldId)
    }

    /// The logical type a legacy converted type stands for (`nil` for none, or for INTERVAL).
    private static func derivedLogicalType(_ e: SchemaElement, at index: Int) throws(ParquetError) -> LogicalType? {
        guard let converted = e.convertedType else { return nil }
        switch converted {
        case .utf8: return .string
        case .map, .mapKeyValue: return .map
        case .list: return .list
        case .enum: return .enum
        case .decimal:
            guard let precision = e.precision else {
                throw ParquetError(
                    .corrupt,
                    "schema element '\(e.name)' (index \(index)) has converted type DECIMAL without a precision")
            }
            return .decimal(precision: precision, scale: e.scale ?? 0)
        case .date: return .date
        case .timeMillis: return .time(isAdjustedToUTC: true, unit: .millis)
        case .timeMicros: return .time(isAdjustedToUTC: true, unit: .micros)
        case .timestampMillis: return .timestamp(isAdjustedToUTC: true, unit: .millis)
        case .timestampMicros: return .timestamp(isAdjustedToUTC: true, unit: .micros)
        case .uint8: return .integer(bitWidth: 8, isSigned: false)
        case .uint16: return .integer(bitWidth: 16, isSigned: false)
        case .uint32: return .integer(bitWidth: 32, isSigned: false)
        case .uint64: return .integer(bitWidth: 64, isSigned: false)
        case .int8: return .integer(bitWidth: 8, isSigned: true)
        case .int16: return .integer(bitWidth: 16, isSigned: true)
        case .int32: return .integer(bitWidth: 32, isSigned: true)
        case .int64: return .integer(bitWidth: 64, isSigned: true)
        case .json: return .json
        case .bson: return .bson
        case .interval: return nil
        }
    }

    // MARK: Writing

    private static func flatten(_ f: ParquetField, into out: inout [SchemaElement]) {
        var logical = f.logicalType
        let converted = f.convertedType ?? logical.flatMap { ConvertedType(logical: $0) }
        if converted == .mapKeyValue && logical == .map { logical = nil }
        var e = SchemaElement(
            repetitionType: f.repetition, name: f.name, convertedType: converted,
            fieldId: f.fieldId, logicalType: logical)
        if case .decimal(let precision, let scale) = logical {
            e.precision = precision
            e.scale = scale
        }
        switch f.kind {
        case .primitive(let type, let typeLength, _, _):
            e.type = type
            e.typeLength = typeLength
            out.append(e)
        case .group(let children, _, _):
            e.numChildren = Int32(children.count)
            out.append(e)
            for c in children { flatten(c, into: &out) }
        }
    }
}
