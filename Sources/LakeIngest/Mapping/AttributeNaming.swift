import LakeCore

/// How DynamoDB attribute names become column names wherever lake derives a column from an
/// attribute: inferred columns, struct members inferred from `M` keys, the record key discovered
/// from `Keys`, and a mapped column without a `target`. One rule for every path (`lake upsert
/// --cdc`, `lake stream`, ``CDCUpsert``, ``MicroBatchPipeline``, ``ChangeBatchBuilder``).
///
/// 1. **Valid names stay as they are.** Column names follow Avro's rule
///    `[A-Za-z_][A-Za-z0-9_]*`, which Hudi table schemas need.
/// 2. **Other names are sanitized as Hudi's streamer does**
///    (`hoodie.streamer.source.sanitize.invalid.schema.field.names`, `HoodieAvroUtils.sanitizeName`
///    with its default mask `__`): a first character outside `[A-Za-z_]` becomes `__`, then every
///    character outside `[A-Za-z0-9_]` becomes `__`. Characters are UTF-16 code units, as in
///    Java: `order-id` → `order__id`, `a.b` → `a__b`, `é` → `__`, `1st` → `__st`, `😀` →
///    `____`. The empty name becomes `__`. So a table lake writes has the column names Hudi's
///    own streamer would give it.
/// 3. **Reserved names get the mask as a prefix** (top-level columns only): names starting with
///    `_hoodie_` (Hudi's), lake's `_event_order` and `_event_time`, and — when a mapping infers
///    its unmapped attributes — the names of the mapping's own columns:
///    `_event_order` → `___event_order`, `_hoodie_is_deleted` → `___hoodie_is_deleted`,
///    `pk` → `__pk`. An attribute never takes over or disappears into one of those columns.
///
/// Steps 2 and 3 can give two attribute names one column name (`order-id` and `order.id`, or
/// `order-id` and a literal `order__id`). They never share it: the first name seen owns the
/// column for the life of the table (``ColumnOwners`` records it in each commit), and a record
/// carrying another name for that column is quarantined with a reason naming both; a mapping can
/// give the other attribute a name of its own.
public enum AttributeNaming {
    /// What replaces an invalid character (Hudi's `MASK_FOR_INVALID_CHARS_IN_NAMES`).
    public static let mask = "__"

    /// lake's own columns: the default ordering column and the inferred event time.
    public static let lakeColumns: Set<String> = [EventOrder.columnName, ChangeRecordDecoder.eventTimeColumn]

    /// Whether a name is a valid column name: `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isValid(_ name: String) -> Bool { AvroNames.isValid(name) }

    /// Whether a top-level column name is reserved: Hudi's `_hoodie_*` names and lake's own
    /// columns.
    public static func isReserved(_ name: String) -> Bool {
        TableSchema.isReserved(name) || lakeColumns.contains(name)
    }

    /// Hudi's sanitization (step 2 above): the name itself when it is valid.
    public static func sanitized(_ name: String) -> String {
        if isValid(name) { return name }
        var out: [UInt16] = []
        out.reserveCapacity(name.utf16.count + 2)
        let maskUnits = Array(mask.utf16)
        for (i, u) in name.utf16.enumerated() {
            let letter = (u >= 0x41 && u <= 0x5A) || (u >= 0x61 && u <= 0x7A) || u == 0x5F
            let digit = u >= 0x30 && u <= 0x39
            if letter || (digit && i > 0) { out.append(u) } else { out.append(contentsOf: maskUnits) }
        }
        if out.isEmpty { out = maskUnits }
        return String(decoding: out, as: UTF16.self)
    }

    /// The column name for a top-level attribute (steps 1–3).
    ///
    /// - Parameter taken: further reserved names (a mapping's own column names).
    public static func columnName(forAttribute name: String, taken: Set<String> = []) -> String {
        let s = sanitized(name)
        return isReserved(s) || taken.contains(s) ? mask + s : s
    }

    /// The struct member name for a map key (steps 1–2; nothing is reserved inside a struct).
    public static func memberName(forKey key: String) -> String { sanitized(key) }

    /// Whether a column name could be the result of a rename (it contains the mask): the only
    /// names two attribute names can compete for.
    static func canBeRenamed(_ column: String) -> Bool { column.contains(mask) }
}
