import LakeCore

/// How change records become table rows: mapped columns (source path → target column), derived
/// columns (expressions over them) and the table's settings — the Glue `ApplyMapping` idea.
///
/// Without a mapping (``inferred``), every `NewImage` attribute becomes a column of the type
/// its values carry (see ``AttributeType/inferredLeafType``), and the table's record key is
/// taken from the first record's `Keys`.
public struct IngestMapping: Sendable, Hashable {
    /// Columns read from the record, in order.
    public var columns: [MappedColumn]
    /// Columns computed from earlier columns, in order (each may use the ones before it).
    public var derived: [DerivedColumn]
    /// The table's record key, ordering and partitioning.
    public var table: TableSettings
    /// What happens to `NewImage` attributes no mapped column reads.
    public var unmappedAttributes: UnmappedPolicy

    /// The policy for attributes a mapping does not name.
    public enum UnmappedPolicy: String, Sendable, Hashable {
        /// Dropped, as `ApplyMapping` drops unmapped fields.
        case ignore
        /// Added as inferred columns, as without a mapping.
        case infer
    }

    public init(
        columns: [MappedColumn], derived: [DerivedColumn] = [], table: TableSettings = .init(),
        unmappedAttributes: UnmappedPolicy = .ignore
    ) {
        self.columns = columns
        self.derived = derived
        self.table = table
        self.unmappedAttributes = unmappedAttributes
    }

    /// No mapped columns: infer every `NewImage` attribute.
    public static var inferred: IngestMapping {
        IngestMapping(columns: [], unmappedAttributes: .infer)
    }

    /// Whether this mapping infers columns from attributes.
    public var infers: Bool { unmappedAttributes == .infer }

    /// The ordering (precombine) column: the configured one, or ``EventOrder/columnName``.
    public var orderingColumn: String { table.precombine ?? EventOrder.columnName }

    /// The names of every column the mapping produces (mapped, derived, the default ordering
    /// column), in order. Inferred columns are not included.
    public var targetNames: [String] {
        var names = columns.map(\.target) + derived.map(\.target)
        if orderingColumn == EventOrder.columnName && !names.contains(EventOrder.columnName) {
            names.append(EventOrder.columnName)
        }
        return names
    }

    /// Whether ingestion derives column or member names from attribute names under this mapping
    /// (``AttributeNaming``): it infers unmapped attributes, or a mapped column leaves its type
    /// to the values (a map becomes a struct whose members are named after its keys).
    public var derivesNames: Bool {
        infers
            || columns.contains { c in
                if case .eventOrder = c.source { return false }
                return c.targetType == nil
            }
    }

    /// The column names an inferred attribute may not take (see ``AttributeNaming``): the
    /// mapping's mapped and derived columns. (lake's own are reserved in every case.)
    public var namesTakenFromInference: Set<String> {
        Set(columns.map(\.target) + derived.map(\.target))
    }

    /// Checks the mapping: unique targets, derived expressions that reference earlier columns,
    /// and table settings naming existing columns (unless columns are inferred, when those
    /// checks wait for the data).
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` naming the problem.
    public func validate() throws(LakeError) {
        try table.validate()
        var seen: Set<String> = []
        if table.precombine == nil,
            columns.contains(where: { $0.target == EventOrder.columnName && $0.source != .eventOrder })
        {
            throw LakeError(
                .invalidArgument,
                "mapping: the column name \(EventOrder.columnName) is reserved for the default ordering")
        }
        for c in columns {
            guard !c.target.isEmpty else {
                throw LakeError(.invalidArgument, "mapping: a column has an empty target name")
            }
            guard c.target != ChangeBatch.deleteColumn else {
                throw LakeError(.invalidArgument, "mapping: \(ChangeBatch.deleteColumn) is set by lake from eventName")
            }
            try Self.checkTarget(c.target)
            guard seen.insert(c.target).inserted else {
                throw LakeError(.invalidArgument, "mapping: column '\(c.target)' is defined twice")
            }
            if let t = c.targetType {
                // A target type every Hudi reader reads (the type rules of docs/tables.md).
                do throws(LakeError) {
                    _ = try TableSchema([t.field(named: c.target)]).storageSchema()
                } catch {
                    throw LakeError(.invalidArgument, "mapping: \(error.message)")
                }
            }
        }
        seen.insert(EventOrder.columnName)
        for d in derived {
            try Self.checkTarget(d.target)
            if d.target == ChangeRecordDecoder.eventTimeColumn && infers && columns.isEmpty {
                throw LakeError(
                    .invalidArgument,
                    "mapping: derived column '\(d.target)': lake adds this column itself "
                        + "when it infers every column; choose another name")
            }
            if !infers {
                for r in d.expression.referencedColumns where !seen.contains(r) {
                    throw LakeError(
                        .invalidArgument,
                        "mapping: derived column '\(d.target)' uses '\(r)', which is not a column defined before it")
                }
            }
            guard seen.insert(d.target).inserted else {
                throw LakeError(.invalidArgument, "mapping: column '\(d.target)' is defined twice")
            }
        }
        guard !infers else { return }
        if !columns.isEmpty || !derived.isEmpty {
            guard !table.recordKey.isEmpty else {
                throw LakeError(.invalidArgument, "mapping: table.recordKey is missing")
            }
        }
        for k in table.recordKey where !seen.contains(k) {
            throw LakeError(.invalidArgument, "mapping: record key field '\(k)' is not a mapped or derived column")
        }
        if let p = table.precombine, !seen.contains(p) {
            throw LakeError(.invalidArgument, "mapping: precombine field '\(p)' is not a mapped or derived column")
        }
        for p in table.partitionFields where !seen.contains(p) {
            throw LakeError(.invalidArgument, "mapping: partition field '\(p)' is not a mapped or derived column")
        }
    }

    /// A target column name must be a valid column name and not one of Hudi's.
    static func checkTarget(_ name: String) throws(LakeError) {
        guard AttributeNaming.isValid(name) else {
            throw LakeError(
                .invalidArgument,
                "mapping: column name '\(name)' is not a valid column name "
                    + "([A-Za-z_][A-Za-z0-9_]*, which Hudi table schemas need); the column for an attribute of "
                    + "that name could be '\(AttributeNaming.columnName(forAttribute: name))'")
        }
        guard !TableSchema.isReserved(name) else {
            throw LakeError(
                .invalidArgument,
                "mapping: column name '\(name)': names starting with "
                    + "\(TableSchema.reservedPrefix) are reserved for Hudi's own columns")
        }
    }
}
