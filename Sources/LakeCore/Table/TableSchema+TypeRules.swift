import LakeParquet

/// The type rules: every column type lake stores is one that lake, hudi-rs and Spark read back.
///
/// Whatever the input — a Parquet file or library batch, JSON rows (inferred types), change
/// records (a mapping's target types) — a column's type is stored as follows. Types the table
/// cannot hold exactly are converted by a rule that keeps every value; types no rule fits are
/// refused before the write begins, naming the column and its type (`.unsupported`).
///
/// * INT32 `INTEGER(8/16, unsigned)` (`UINT_8`, `UINT_16`) → INT32: Avro has no unsigned types.
/// * INT32 `INTEGER(32, unsigned)` (`UINT_32`) → INT64: values above 2³¹ − 1 need 64 bits.
/// * INT64 `INTEGER(64, unsigned)` (`UINT_64`) → `DECIMAL(20,0)` (FIXED_LEN_BYTE_ARRAY(9)).
/// * INT64 `TIMESTAMP(unit, isAdjustedToUTC=false)` → `TIMESTAMP(unit, true)` with the same
///   numbers (the wall-clock reading taken as UTC): hudi-rs cannot read Avro `local-timestamp-*`.
/// * INT96 → `TIMESTAMP(MICROS, true)`, sub-microsecond digits dropped toward the past (as Spark
///   reads it).
/// * FIXED_LEN_BYTE_ARRAY(2) `FLOAT16` → FLOAT (exact).
/// * any type annotated `UNKNOWN` (always null), FIXED_LEN_BYTE_ARRAY(12) `INTERVAL` → the physical
///   type without annotation (readers know no `UNKNOWN`; hudi-rs cannot read intervals).
/// * INT32 / INT64 / BYTE_ARRAY `DECIMAL(p,s)` → FIXED_LEN_BYTE_ARRAY `DECIMAL(p,s)` of the width
///   p needs (what the table's Avro `fixed` decimal tells Java readers).
///
/// Refused: INT64 `TIME(NANOS)` (Avro has no nanosecond time), MAP columns whose keys are not
/// strings (Avro maps have string keys), column names that are not Avro names, and a column
/// nested so deeply that the table's Avro schema exceeds ``AvroSchema/maxReadableDepth`` JSON
/// levels (hudi-rs cannot parse it: about 30 levels of nullable structs).
/// Everything else is stored as given.
extension TableSchema {
    /// The schema lake stores for these columns: the type rules applied to every column, then
    /// the result checked against what the table's Avro schema can express.
    /// - Throws: `.unsupported` naming the column and its type for a type no rule fits or a
    ///   column nested too deeply; `.invalidArgument` for a column name that is not an Avro
    ///   name or occurs twice.
    public func storageSchema() throws(LakeError) -> TableSchema {
        let stored = TableSchema(fields.map(Self.storedField))
        _ = try AvroSchema.tableSchema(fromParquet: stored.fields, tableName: "t")
        return stored
    }

    /// `field` with the type rules applied (its own type and every nested one). Types no rule
    /// converts are returned unchanged; ``storageSchema()`` refuses those Avro cannot hold.
    public static func storedField(_ field: ParquetField) -> ParquetField {
        var f = field
        switch field.kind {
        case .primitive(let physical, let width, let logical, let converted):
            if let kind = storedLeafKind(physical: physical, width: width, logical: logical, converted: converted) {
                f.kind = kind
            }
        case .group(let children, let logical, let converted):
            f.kind = .group(children.map(storedField), logical: logical, converted: converted)
        }
        return f
    }

    /// The stored kind of a leaf the rules convert, or `nil` when it is stored as it is.
    private static func storedLeafKind(
        physical: PhysicalType, width: Int32?, logical: LogicalType?,
        converted: ConvertedType?
    ) -> ParquetField.Kind? {
        if logical == .unknown || (logical == nil && converted == .interval) {
            return .primitive(physical, typeLength: width, logical: nil, converted: nil)
        }
        if physical == .int96 {
            return .primitive(
                .int64, typeLength: nil, logical: .timestamp(isAdjustedToUTC: true, unit: .micros),
                converted: .timestampMicros)
        }
        switch CanonicalType.resolve(physical: physical, width: Int(width ?? 0), logical: logical, converted: converted)
        {
        case .integer(let bits, false) where bits <= 16:
            return .primitive(.int32, typeLength: nil, logical: nil, converted: nil)
        case .integer(32, false):
            return .primitive(.int64, typeLength: nil, logical: nil, converted: nil)
        case .integer(64, false):
            return .primitive(
                .fixedLenByteArray, typeLength: Int32(ParquetField.decimalByteWidth(precision: 20)),
                logical: .decimal(precision: 20, scale: 0), converted: .decimal)
        case .timestamp(let unit, adjustedToUTC: false):
            return .primitive(
                .int64, typeLength: nil, logical: .timestamp(isAdjustedToUTC: true, unit: unit),
                converted: unit == .millis ? .timestampMillis : unit == .micros ? .timestampMicros : nil)
        case .float16:
            return .primitive(.float, typeLength: nil, logical: nil, converted: nil)
        case .decimal(let precision, let scale) where physical != .fixedLenByteArray:
            return .primitive(
                .fixedLenByteArray, typeLength: Int32(ParquetField.decimalByteWidth(precision: precision)),
                logical: .decimal(precision: Int32(precision), scale: Int32(scale)), converted: .decimal)
        default:
            return nil
        }
    }

    /// A column of `field` in the representation of ``storedField(_:)`` (`nil` when the field
    /// is stored as it is): unsigned bit patterns widened, INT96 nanoseconds as microseconds,
    /// half floats as floats, integer decimals as fixed-width bytes. Every value is kept.
    static func storedColumn(_ column: Column, of field: ParquetField) -> (Column, ParquetField)? {
        let stored = storedField(field)
        guard stored != field else { return nil }
        return (mapLeaves(column, field, ignoringRepetition: false, convertLeaf), stored)
    }

    /// The leaf column in its stored representation.
    private static func convertLeaf(_ c: Column, _ f: ParquetField) -> Column {
        guard case .primitive(let physical, let width, let logical, let converted) = f.kind else { return c }
        if physical == .int96, case .int64(let nanos) = c.data {
            return Column(.int64(nanos.map { $0 >= 0 ? $0 / 1000 : ($0 - 999) / 1000 }), validity: c.validity)
        }
        switch (
            CanonicalType.resolve(physical: physical, width: Int(width ?? 0), logical: logical, converted: converted),
            c.data
        ) {
        case (.integer(32, false), .int32(let a)):
            return Column(.int64(a.map { Int64(UInt32(bitPattern: $0)) }), validity: c.validity)
        case (.integer(64, false), .int64(let a)):
            var out = FixedByteArrayValues(width: 9)
            out.bytes.reserveCapacity(a.count * 9)
            for v in a {
                let u = UInt64(bitPattern: v)
                out.bytes.append(0)
                for shift in stride(from: 56, through: 0, by: -8) {
                    out.bytes.append(UInt8(truncatingIfNeeded: u >> UInt64(shift)))
                }
            }
            return Column(.fixedByteArray(out), validity: c.validity)
        case (.float16, .fixedByteArray(let a)):
            var out = [Float]()
            out.reserveCapacity(a.count)
            for i in 0..<a.count {
                let lo = UInt16(a.bytes[i * 2]), hi = UInt16(a.bytes[i * 2 + 1])
                out.append(Self.float(fromHalf: hi << 8 | lo))
            }
            return Column(.float(out), validity: c.validity)
        case (.decimal(let precision, _), _) where physical != .fixedLenByteArray:
            return BatchConformer.decimalToFixed(c, width: ParquetField.decimalByteWidth(precision: precision)) ?? c
        default:
            return c  // relabelled only: small unsigned integers, local timestamps
        }
    }

    /// An IEEE 754 binary16 value as a `Float` (exact: every half is a float).
    static func float(fromHalf h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F)
        let fraction = Float(h & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
        case 0x1F: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// Applies `convert` to every leaf column of a column of `f`, walking the column and the
    /// field together the way ``ValueShape`` resolves Parquet's LIST and MAP forms.
    private static func mapLeaves(
        _ c: Column, _ f: ParquetField, ignoringRepetition: Bool,
        _ convert: (Column, ParquetField) -> Column
    ) -> Column {
        if f.repetition == .repeated && !ignoringRepetition {
            guard case .list(let offsets, let element) = c.data else { return c }
            return Column(
                .list(offsets: offsets, element: mapLeaves(element, f, ignoringRepetition: true, convert)),
                validity: c.validity)
        }
        switch f.kind {
        case .primitive:
            return convert(c, f)
        case .group(let children, let logical, let converted):
            let isList = logical == .list || converted == .list
            let isMap = logical == .map || converted == .map || converted == .mapKeyValue
            if isList, children.count == 1, children[0].repetition == .repeated,
                case .list(let offsets, let element) = c.data
            {
                let r = children[0]
                let elementIsRepeated: Bool =
                    switch r.kind {
                    case .primitive: true
                    case .group(let rc, _, _): rc.count != 1 || r.name == "array" || r.name == "\(f.name)_tuple"
                    }
                let e =
                    elementIsRepeated
                    ? mapLeaves(element, r, ignoringRepetition: true, convert)
                    : mapLeaves(element, r.children[0], ignoringRepetition: false, convert)
                return Column(.list(offsets: offsets, element: e), validity: c.validity)
            }
            if isMap, children.count == 1, children[0].repetition == .repeated,
                case .group(let kv, _, _) = children[0].kind,
                kv.count == 2, case .map(let offsets, let keys, let values) = c.data
            {
                return Column(
                    .map(
                        offsets: offsets, keys: mapLeaves(keys, kv[0], ignoringRepetition: true, convert),
                        values: mapLeaves(values, kv[1], ignoringRepetition: false, convert)), validity: c.validity)
            }
            guard case .structure(let columns) = c.data, columns.count == children.count else { return c }
            return Column(
                .structure(zip(columns, children).map { mapLeaves($0, $1, ignoringRepetition: false, convert) }),
                validity: c.validity)
        }
    }
}
