import LakeBase
import LakeParquet

/// Decodes Avro binary-encoded records (Avro 1.11 specification, "Binary Encoding") of one record
/// schema straight into columns: one ``Column`` per top-level field, shaped as the field's
/// ``ParquetField`` from ``AvroSchema/parquetFields()`` — no per-row values in between.
///
/// Covers every type the Avro-to-Parquet mapping accepts: `null` unions (`["null", T]` either
/// order), booleans, zigzag-varint ints and longs, little-endian floats and doubles, bytes and
/// strings (varint length), enums (symbol index, stored as the symbol), fixed, records, arrays
/// and maps in blocks (a negative block count is followed by the block's byte size), and the
/// logical types as their underlying primitive (decimal bytes/fixed unscaled big-endian,
/// date days, timestamp-millis/micros). Unions of several non-null types are refused, as the
/// mapping refuses them.
///
/// Hudi's Avro data blocks (``HoodieLogBlock``) hold records in this encoding without an Avro
/// container file around them: each record is decoded by ``append(record:)``.
///
/// The encoder (for merge-on-read writes) mirrors this type: the same per-field tree, reading
/// columns instead of appending to them.
public struct AvroBinaryDecoder: Sendable {
    /// The schema records are decoded with (a record).
    public let schema: AvroSchema
    /// The fields of the batches ``finish()`` returns.
    public let fields: [ParquetField]
    private var root: [AvroColumnBuilder]
    /// Records decoded so far.
    public private(set) var count = 0

    /// A decoder for records of `schema`.
    /// - Throws: `.invalidArgument` if `schema` is not a record; `.unsupported` for a type Parquet
    ///   columns cannot hold (a union of several non-null types, a recursive record), naming the
    ///   field.
    public init(schema: AvroSchema) throws(LakeError) {
        self.schema = schema
        self.fields = try schema.parquetFields()
        guard case .record(let r) = schema else {
            throw LakeError(.invalidArgument, "Avro schema is not a record")
        }
        var named: [String: AvroSchema] = [:]
        Self.register(schema, into: &named)
        var out: [AvroColumnBuilder] = []
        for f in r.fields {
            out.append(try AvroColumnBuilder(f.type, path: f.name, named: named, depth: 0))
        }
        root = out
    }

    private static func register(_ s: AvroSchema, into named: inout [String: AvroSchema]) {
        switch s {
        case .record(let r):
            guard named[r.fullName] == nil else { return }
            named[r.fullName] = s
            for f in r.fields { register(f.type, into: &named) }
        case .enumeration(let e): named[e.fullName] = s
        case .fixed(let f): named[f.fullName] = s
        case .array(let items): register(items, into: &named)
        case .map(let values): register(values, into: &named)
        case .union(let branches): for b in branches { register(b, into: &named) }
        case .primitive, .reference: break
        }
    }

    /// Decodes one record from `bytes` and appends it to the columns.
    /// - Parameters:
    ///   - bytes: exactly one encoded record.
    ///   - origin: the offset of `bytes[0]` in the file, for messages.
    ///   - source: what the bytes are (a log file and block), for messages.
    /// - Throws: `.corruptTable` naming the source, the offset and the field when the bytes end
    ///   early, hold an invalid value (a union index or enum symbol out of range, a negative
    ///   length), or do not end where the record does. The columns are unchanged then.
    public mutating func append(record bytes: UnsafeRawBufferPointer, origin: Int, source: String) throws(LakeError) {
        var reader = ByteReader<LakeError>(bytes, origin: origin)
        let mark = root.map { $0.mark() }
        do throws(LakeError) {
            for b in root { try b.decode(&reader) }
            guard reader.isAtEnd else {
                throw LakeError(
                    .corruptTable,
                    "record ends at offset \(origin + reader.position) but \(reader.remaining) more bytes follow")
            }
        } catch {
            for (b, m) in zip(root, mark) { b.reset(to: m) }
            throw LakeError(.corruptTable, "\(source): Avro record \(count): \(error.message)")
        }
        count += 1
    }

    /// The decoded records as one batch (``fields``), and an empty decoder.
    public mutating func finish() -> RecordBatch {
        let columns = root.map { $0.finish() }
        let n = count
        count = 0
        return RecordBatch(schema: ParquetSchema(fields), columns: columns, rowCount: n)
    }
}

/// The column of one Avro type being built: the values decoded so far, appended in place.
final class AvroColumnBuilder: @unchecked Sendable {
    enum Kind {
        case null, boolean, int, long, float, double, bytes, string
        case fixed(Int)
        case enumeration([[UInt8]])
        case record([AvroColumnBuilder])
        case array(AvroColumnBuilder)
        case map(AvroColumnBuilder)
    }

    let path: String
    let kind: Kind
    /// For a nullable type: the union branch that is `null`, and the branch holding values.
    let nullBranch: Int?
    let valueBranch: Int?
    /// Slots so far; `validity[i] == false` marks a null.
    private(set) var count = 0
    private var validity: [Bool] = []
    private var anyNull = false
    private var bools: [Bool] = []
    private var ints: [Int32] = []
    private var longs: [Int64] = []
    private var floats: [Float] = []
    private var doubles: [Double] = []
    private var binary = ByteArrayValues()
    private var fixedBytes: [UInt8] = []
    private var offsets: [Int] = [0]
    private var keys = ByteArrayValues()

    init(_ type: AvroSchema, path: String, named: [String: AvroSchema], depth: Int) throws(LakeError) {
        guard depth < AvroSchema.maxReadableDepth else {
            throw LakeError(.unsupported, "field '\(path)': Avro schema nested too deeply")
        }
        self.path = path
        var t = type
        if case .union(let branches) = type {
            let nonNull = branches.indices.filter { branches[$0] != .null }
            guard nonNull.count == 1 else {
                throw LakeError(
                    .unsupported,
                    "field '\(path)': a union of \(nonNull.count) non-null types cannot be decoded into a column")
            }
            valueBranch = nonNull[0]
            nullBranch = branches.firstIndex(of: .null)
            t = branches[nonNull[0]]
        } else {
            valueBranch = nil
            nullBranch = nil
        }
        if case .reference(let full) = t {
            guard let resolved = named[full] else {
                throw LakeError(.invalidInput, "field '\(path)': unknown Avro type \(full)")
            }
            t = resolved
        }
        switch t {
        case .primitive(let p, _):
            switch p {
            case .null: kind = .null
            case .boolean: kind = .boolean
            case .int: kind = .int
            case .long: kind = .long
            case .float: kind = .float
            case .double: kind = .double
            case .bytes: kind = .bytes
            case .string: kind = .string
            }
        case .fixed(let f): kind = .fixed(f.size)
        case .enumeration(let e): kind = .enumeration(e.symbols.map { Array($0.utf8) })
        case .record(let r):
            var children: [AvroColumnBuilder] = []
            for f in r.fields {
                children.append(
                    try AvroColumnBuilder(f.type, path: path + "." + f.name, named: named, depth: depth + 1))
            }
            kind = .record(children)
        case .array(let items):
            kind = .array(try AvroColumnBuilder(items, path: path + ".element", named: named, depth: depth + 1))
        case .map(let values):
            kind = .map(try AvroColumnBuilder(values, path: path + ".value", named: named, depth: depth + 1))
        case .union:
            throw LakeError(.unsupported, "field '\(path)': nested unions cannot be decoded into a column")
        case .reference(let full):
            throw LakeError(.invalidInput, "field '\(path)': unresolved Avro type \(full)")
        }
    }

    /// Decodes one value of this type and appends it.
    func decode(_ r: inout ByteReader<LakeError>) throws(LakeError) {
        let start = r.origin + r.position
        do throws(LakeError) {
            if let valueBranch {
                let branch = try r.readZigZag()
                if branch == Int64(valueBranch) {
                    try decodeValue(&r)
                    validity.append(true)
                } else if let n = nullBranch, branch == Int64(n) {
                    appendNull()
                } else {
                    throw LakeError(.corruptTable, "union branch \(branch) at offset \(start) does not exist")
                }
            } else {
                try decodeValue(&r)
                validity.append(true)
            }
            count += 1
        } catch {
            if error.message.hasPrefix("field '") { throw error }
            throw LakeError(.corruptTable, "field '\(path)' (value at offset \(start)): \(error.message)")
        }
    }

    private func appendNull() {
        validity.append(false)
        anyNull = true
        switch kind {
        case .null: break
        case .boolean: bools.append(false)
        case .int: ints.append(0)
        case .long: longs.append(0)
        case .float: floats.append(0)
        case .double: doubles.append(0)
        case .bytes, .string, .enumeration: binary.appendEmpty()
        case .fixed(let w): fixedBytes.append(contentsOf: repeatElement(0, count: w))
        case .record(let children): for c in children { c.appendZero() }
        case .array, .map: offsets.append(offsets[offsets.count - 1])
        }
    }

    /// A null slot in a nullable parent struct: a zero value, null if this type can be.
    private func appendZero() {
        appendNull()
        count += 1
    }

    private func decodeValue(_ r: inout ByteReader<LakeError>) throws(LakeError) {
        switch kind {
        case .null: break
        case .boolean:
            let b = try r.readByte()
            guard b <= 1 else { throw LakeError(.corruptTable, "boolean byte \(b) is not 0 or 1") }
            bools.append(b == 1)
        case .int:
            let v = try r.readZigZag()
            guard let i = Int32(exactly: v) else { throw LakeError(.corruptTable, "int value \(v) exceeds 32 bits") }
            ints.append(i)
        case .long: longs.append(try r.readZigZag())
        case .float: floats.append(Float(bitPattern: try r.readLittleEndian(UInt32.self)))
        case .double: doubles.append(Double(bitPattern: try r.readLittleEndian(UInt64.self)))
        case .bytes, .string:
            let n = try r.readZigZag()
            guard n >= 0, n <= r.remaining else {
                throw LakeError(.corruptTable, "length \(n) does not fit the \(r.remaining) bytes left")
            }
            binary.append(try r.readBytes(Int(n)))
        case .fixed(let w): fixedBytes.append(contentsOf: try r.readBytes(w))
        case .enumeration(let symbols):
            let i = try r.readZigZag()
            guard i >= 0, i < symbols.count else {
                throw LakeError(.corruptTable, "enum index \(i) is not one of the \(symbols.count) symbols")
            }
            binary.append(symbols[Int(i)])
        case .record(let children):
            for c in children { try c.decode(&r) }
        case .array(let element):
            let n = try Self.readBlocks(&r) { (r: inout ByteReader<LakeError>) throws(LakeError) in
                try element.decode(&r)
            }
            offsets.append(offsets[offsets.count - 1] + n)
        case .map(let values):
            let n = try Self.readBlocks(&r) { [self] (r: inout ByteReader<LakeError>) throws(LakeError) in
                let len = try r.readZigZag()
                guard len >= 0, len <= r.remaining else {
                    throw LakeError(.corruptTable, "map key length \(len) does not fit the \(r.remaining) bytes left")
                }
                keys.append(try r.readBytes(Int(len)))
                try values.decode(&r)
            }
            offsets.append(offsets[offsets.count - 1] + n)
        }
    }

    /// Reads array or map blocks (a count, negative when followed by the block's byte size; 0
    /// ends), calling `item` per item. Returns the number of items.
    private static func readBlocks(
        _ r: inout ByteReader<LakeError>, _ item: (inout ByteReader<LakeError>) throws(LakeError) -> Void
    ) throws(LakeError) -> Int {
        var total = 0
        while true {
            let at = r.origin + r.position
            var n = try r.readZigZag()
            if n == 0 { return total }
            if n < 0 {
                guard n != Int64.min else { throw LakeError(.corruptTable, "block count \(n) at offset \(at)") }
                n = -n
                let size = try r.readZigZag()
                guard size >= 0 else { throw LakeError(.corruptTable, "negative block size \(size) at offset \(at)") }
            }
            guard n <= r.remaining else {
                throw LakeError(
                    .corruptTable, "block of \(n) items at offset \(at) exceeds the \(r.remaining) bytes left")
            }
            for _ in 0..<Int(n) { try item(&r) }
            total += Int(n)
        }
    }

    /// A snapshot of the lengths, to undo a partly decoded record.
    struct Mark {
        var count, validity, bools, ints, longs, floats, doubles, binary, fixed, offsets, keys: Int
        var anyNull: Bool
        var children: [Mark]
    }

    func mark() -> Mark {
        var children: [Mark] = []
        switch kind {
        case .record(let c): children = c.map { $0.mark() }
        case .array(let e): children = [e.mark()]
        case .map(let v): children = [v.mark()]
        default: break
        }
        return Mark(
            count: count, validity: validity.count, bools: bools.count, ints: ints.count, longs: longs.count,
            floats: floats.count, doubles: doubles.count, binary: binary.count, fixed: fixedBytes.count,
            offsets: offsets.count, keys: keys.count, anyNull: anyNull, children: children)
    }

    func reset(to m: Mark) {
        count = m.count
        anyNull = m.anyNull
        validity.removeLast(validity.count - m.validity)
        bools.removeLast(bools.count - m.bools)
        ints.removeLast(ints.count - m.ints)
        longs.removeLast(longs.count - m.longs)
        floats.removeLast(floats.count - m.floats)
        doubles.removeLast(doubles.count - m.doubles)
        while binary.count > m.binary { binary.offsets.removeLast() }
        binary.bytes.removeLast(binary.bytes.count - (binary.offsets.last ?? 0))
        fixedBytes.removeLast(fixedBytes.count - m.fixed)
        offsets.removeLast(offsets.count - m.offsets)
        while keys.count > m.keys { keys.offsets.removeLast() }
        keys.bytes.removeLast(keys.bytes.count - (keys.offsets.last ?? 0))
        switch kind {
        case .record(let c): for (x, cm) in zip(c, m.children) { x.reset(to: cm) }
        case .array(let e): e.reset(to: m.children[0])
        case .map(let v): v.reset(to: m.children[0])
        default: break
        }
    }

    /// The column built so far; the builder starts empty again.
    func finish() -> Column {
        let data: ColumnData
        switch kind {
        case .null: data = .int32(Array(repeating: 0, count: count))
        case .boolean: data = .boolean(bools)
        case .int: data = .int32(ints)
        case .long: data = .int64(longs)
        case .float: data = .float(floats)
        case .double: data = .double(doubles)
        case .bytes, .string, .enumeration: data = .byteArray(binary)
        case .fixed(let w): data = .fixedByteArray(FixedByteArrayValues(width: w, bytes: fixedBytes))
        case .record(let children): data = .structure(children.map { $0.finish() })
        case .array(let element): data = .list(offsets: offsets, element: element.finish())
        case .map(let values):
            data = .map(offsets: offsets, keys: Column(.byteArray(keys)), values: values.finish())
        }
        let column = Column(data, validity: anyNull ? validity : nil)
        count = 0
        validity = []
        anyNull = false
        bools = []
        ints = []
        longs = []
        floats = []
        doubles = []
        binary = ByteArrayValues()
        fixedBytes = []
        offsets = [0]
        keys = ByteArrayValues()
        return column
    }
}
