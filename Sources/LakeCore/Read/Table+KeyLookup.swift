import LakeParquet

/// Point lookups: a snapshot read whose predicate pins the record key (`id = 'k'`,
/// `id IN ('a', 'b')`, alone or AND-ed with anything) asks the record index which file groups
/// hold those keys and reads only them, instead of every file whose statistics cannot rule the
/// key out (keys are spread over every file's min/max range, so statistics rarely can).
///
/// The index is used only when it is current — its files cover every completed commit of the
/// timeline the read uses, as after any lake write — and only for snapshot reads of the latest
/// commit; otherwise (as-of reads, tables last written by another engine, an index removed by
/// hand) the read scans as before. The predicate still filters the rows read, so the answer is
/// the same either way.
extension Table {
    /// The record keys `predicate` restricts the table's single record key field to, or `nil`
    /// when it does not (or names values lake would not write as that key's text).
    func recordKeys(pinnedBy predicate: Predicate, schema: TableSchema) -> [String]? {
        guard config.recordKeyFields.count == 1, let field = schema.field(named: config.recordKeyFields[0]) else {
            return nil
        }
        func pinned(_ p: Predicate) -> [Predicate.Literal]? {
            switch p {
            case .compare(let c, .equal, let literal) where c == field.name: return [literal]
            case .isIn(let c, let literals) where c == field.name: return literals
            case .and(let conjuncts):
                for q in conjuncts { if let l = pinned(q) { return l } }
                return nil
            default: return nil
            }
        }
        guard let literals = pinned(predicate) else { return nil }
        var keys: [String] = []
        for literal in literals {
            guard let text = Self.keyText(literal, field), let key = try? config.recordKeyFormat.key([text]) else {
                return nil
            }
            keys.append(key)
        }
        return keys
    }

    /// The text lake writes into `_hoodie_record_key` for `literal` in a key field of this
    /// type: strings as they are, integers in canonical decimal; `nil` for anything else.
    static func keyText(_ literal: Predicate.Literal, _ field: ParquetField) -> String? {
        switch (literal, field.physicalType) {
        case (.string(let s), .byteArray) where field.logicalType == .string: return s
        case (.number(let n), .int32), (.number(let n), .int64):
            guard let v = Int64(n) else { return nil }
            if case .integer(_, false)? = field.logicalType { return v >= 0 ? String(v) : nil }
            return String(v)
        default: return nil
        }
    }

    /// The live file groups holding `keys` by the record index, or `nil` when the index is not
    /// current for this timeline.
    func fileGroups(holding keys: [String]) throws(LakeError) -> Set<FileGroupID>? {
        guard var index = try RecordIndexStore.loadIfCurrent(table: self) else { return nil }
        var groups = Set<FileGroupID>()
        for key in keys {
            if case .live(let partition, let fileId)? = index.lookup(key) {
                groups.insert(FileGroupID(partitionPath: partition, fileId: fileId))
            }
        }
        return groups
    }
}
