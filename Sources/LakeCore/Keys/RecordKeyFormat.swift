/// How one table formats record keys: its record key fields and whether keys are simple or
/// complex (``RecordKey``), decided by the key generator like Java does.
public struct RecordKeyFormat: Sendable, Hashable {
    /// The record key fields, in order.
    public var fields: [String]
    /// Whether keys are `f1:v1,f2:v2` (true) or the bare value of the single field (false).
    public var isComplex: Bool

    /// The format Java's key generator uses: complex for `ComplexKeyGenerator` (even with one
    /// field), and for any generator with more than one field; simple otherwise.
    public init(fields: [String], keyGenerator: KeyGeneratorType) {
        self.fields = fields
        self.isComplex = keyGenerator == .complex || fields.count > 1
    }

    /// The key of a record whose key fields have `values` (string renderings, `nil` for null).
    /// - Throws: `.invalidArgument` if the value count differs from the field count or there
    ///   are no key fields; `.invalidInput` for keys Java rejects (see ``RecordKey``).
    public func key(_ values: [String?]) throws(LakeError) -> String {
        guard !fields.isEmpty else { throw LakeError(.invalidArgument, "the table has no record key fields") }
        guard values.count == fields.count else {
            throw LakeError(
                .invalidArgument,
                "\(values.count) record key values for \(fields.count) fields (\(fields.joined(separator: ",")))")
        }
        if isComplex { return try RecordKey.complex(fields: fields, values: values) }
        return try RecordKey.simple(values[0], field: fields[0])
    }

    /// The field values of a key (inverse of ``key(_:)``); `nil` if the key does not have the
    /// expected shape.
    public func values(of key: String) -> [String?]? {
        if isComplex { return RecordKey.parseComplex(key, fields: fields) }
        return fields.count == 1 && !key.isEmpty ? [key] : nil
    }
}
