import LakeCore

/// Appends DynamoDB attribute values of one column to typed columnar storage.
///
/// One subclass per storage kind; nesting builders own their children. A builder is *strict*
/// when its type was inferred (or taken from the table) rather than named by a mapping: it then
/// accepts only values of its own attribute type (numbers may widen), and anything else is a
/// type conflict. A mapping-typed builder converts between types where that is lossless
/// (a number into a string column, numeric text into a number column, …).
///
/// Invariant: ``count`` slots have been appended (``slots``), and the storage holds as many.
class ValueBuilder {
    final var slots = ColumnSlots()

    /// The number of slots appended.
    final var count: Int {
        @inline(__always) get { slots.count }
        set { slots.count = newValue }
    }

    /// Accept only the inferred attribute type (see the type comment).
    final let strict: Bool
    /// Set on a builder that replaced a pending one (``inferred(for:nulls:path:)``): the pending
    /// builder's path and how many (null) slots it held. ``truncated(_:to:)`` uses it so a
    /// rolled-back record never fixes a column's type.
    final var inferredFrom: (path: String?, nulls: Int)?

    init(strict: Bool) {
        self.strict = strict
    }

    /// The column type built so far, or `nil` while it is unknown (only nulls seen).
    var type: ColumnType? { preconditionFailure("abstract") }

    /// Whether this builder has not yet seen a typed value (inference placeholder).
    var isPending: Bool { false }

    /// Decodes the value of an attribute of type `t` at the cursor (after the descriptor's
    /// `:`), `NULL` included, and appends one slot.
    final func append(_ t: AttributeType, _ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        if t == .null {
            s.skipWhitespace()
            _ = try s.parseBool()
            appendNull()
            return
        }
        try appendValue(t, &s, ctx)
        slots.appendValue()
    }

    /// Appends a value given as text: a string's decoded bytes (`S`), number text (`N`) or
    /// base64 text (`B`). Used for record metadata (`eventName`, times) as well.
    final func appendText(_ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext) throws(LakeError) {
        try appendTextValue(t, text, ctx)
        slots.appendValue()
    }

    /// Appends a Boolean value (`BOOL`, or a JSON boolean of record metadata).
    final func appendBoolean(_ v: Bool) throws(LakeError) {
        try appendBool(v)
        slots.appendValue()
    }

    /// Appends a null slot.
    final func appendNull() {
        slots.appendNull()
        appendPlaceholder()
    }

    /// Appends `n` null slots.
    final func appendNulls(_ n: Int) {
        for _ in 0..<n { appendNull() }
    }

    // MARK: Subclass hooks

    /// Decodes a non-null value into storage (does not touch `count` or `validity`). The default
    /// reads `S`/`N`/`B` strings and hands them to ``appendTextValue(_:_:_:)`` and `BOOL` to
    /// ``appendBool(_:)``; containers override it.
    func appendValue(_ t: AttributeType, _ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        switch t {
        case .s, .n, .b:
            s.skipWhitespace()
            let span = try s.scanString()
            try ctx.withContents(of: span, in: s) { (b) throws(LakeError) in try appendTextValue(t, b, ctx) }
        case .bool:
            s.skipWhitespace()
            try appendBool(try s.parseBool())
        default:
            throw mismatch(t)
        }
    }

    /// Appends a text value into storage (no `count`/`validity` update).
    func appendTextValue(_ t: AttributeType, _ text: UnsafeRawBufferPointer, _ ctx: DecodeContext) throws(LakeError) {
        throw mismatch(t)
    }

    /// Appends a Boolean into storage (no `count`/`validity` update).
    func appendBool(_ v: Bool) throws(LakeError) {
        throw mismatch(.bool)
    }

    /// Appends the storage of a null slot (zero, empty).
    func appendPlaceholder() { preconditionFailure("abstract") }

    /// Drops slots beyond `n` (rolls back a partly decoded record).
    func truncate(to n: Int) { slots.truncate(to: n) }

    /// Moves the storage out as a column and resets to empty. `nil` when the type is unknown.
    func finish() -> Column? { preconditionFailure("abstract") }

    /// Approximate bytes held.
    var estimatedByteCount: Int { count }

    /// Takes the validity for ``finish()`` and resets the common state.
    final func takeValidity() -> [Bool]? { slots.take() }

    /// The error for an attribute type this column cannot hold.
    @inline(never)
    final func mismatch(_ t: AttributeType) -> LakeError {
        valueError("the value is \(t.longDescription) but the column is \(type.map { "\($0)" } ?? "untyped")")
    }
}

extension ValueBuilder {
    /// A strict builder for the first typed value of an inferred column, holding `nulls` null
    /// slots first. `path` names the column, for the members of a struct (``ColumnOwners``).
    static func inferred(for t: AttributeType, nulls: Int, path: String?) -> ValueBuilder {
        let b: ValueBuilder =
            switch t {
            case .s: StringBuilder(json: false, strict: true)
            case .n: NumberBuilder(.int64, strict: true)
            case .b: BinaryBuilder(strict: true)
            case .bool: BooleanBuilder(strict: true)
            case .ss: ListBuilder(element: StringBuilder(json: false, strict: true), strict: true)
            case .ns: ListBuilder(element: NumberBuilder(.int64, strict: true), strict: true)
            case .bs: ListBuilder(element: BinaryBuilder(strict: true), strict: true)
            case .l: ListBuilder(element: PendingBuilder(path: path), strict: true)
            case .m: StructBuilder(members: [], path: path, strict: true)
            case .null: PendingBuilder(path: path)
            }
        b.appendNulls(nulls)
        b.inferredFrom = (path, nulls)
        return b
    }

    /// `b` rolled back to `n` slots (a refused record). A builder whose type was inferred from a
    /// value at slot `n` or later — from the record being rolled back — becomes pending again,
    /// holding `n` nulls: a quarantined record never decides what type a column gets (its
    /// value may be the very reason it was refused).
    static func truncated(_ b: ValueBuilder, to n: Int) -> ValueBuilder {
        if let from = b.inferredFrom, from.nulls >= n {
            let pending = PendingBuilder(path: from.path)
            pending.appendNulls(n)
            return pending
        }
        b.truncate(to: n)
        return b
    }

    /// A builder for values of a known column type.
    ///
    /// - Parameters:
    ///   - strict: accept only the attribute type inference would give (columns taken from
    ///     the table's schema in inference mode); numbers still widen.
    ///   - inferMembers: structs add members for new map keys (inference, named by
    ///     ``AttributeNaming`` and owned as ``ColumnOwners`` records under `path`) instead of
    ///     matching keys to members by exact name and skipping the others.
    ///   - path: the column's path (its name, or a member's path), used when `inferMembers`.
    static func make(_ type: ColumnType, strict: Bool, inferMembers: Bool, path: String = "") -> ValueBuilder {
        switch type {
        case .boolean: BooleanBuilder(strict: strict)
        case .int32: NumberBuilder(.int32, strict: strict)
        case .int64: NumberBuilder(.int64, strict: strict)
        case .float: NumberBuilder(.float, strict: strict)
        case .double: NumberBuilder(.double, strict: strict)
        case .string: StringBuilder(json: false, strict: strict)
        case .json: StringBuilder(json: true, strict: strict)
        case .binary: BinaryBuilder(strict: strict)
        case .decimal(let p, let s): DecimalBuilder(precision: p, scale: s, strict: strict)
        case .date: TemporalBuilder(unit: nil, strict: strict)
        case .timestamp(let u): TemporalBuilder(unit: u, strict: strict)
        case .list(let e):
            ListBuilder(element: make(e, strict: strict, inferMembers: inferMembers, path: path), strict: strict)
        case .structure(let members):
            StructBuilder(
                members: members.map {
                    (
                        $0.name,
                        make(
                            $0.type, strict: strict, inferMembers: inferMembers,
                            path: ColumnOwners.path(path, $0.name))
                    )
                },
                path: inferMembers ? path : nil, strict: strict)
        }
    }
}

/// Appends an attribute value to the builder in `slot`, first replacing a pending (untyped)
/// builder by a typed one when the value carries a type.
@inline(__always)
func appendAttribute(
    _ slot: inout ValueBuilder, _ t: AttributeType, _ s: inout JSONScanner, _ ctx: DecodeContext
) throws(LakeError) {
    if slot.isPending && t != .null {
        let path = unsafeDowncast(slot, to: PendingBuilder.self).path
        slot = ValueBuilder.inferred(for: t, nulls: slot.count, path: path)
    }
    try slot.append(t, &s, ctx)
}
