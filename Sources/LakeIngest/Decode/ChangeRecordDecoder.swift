import LakeCore

/// Decodes DynamoDB change records, one JSON line at a time, straight into column builders:
/// the hot path of ingestion.
///
/// Both record shapes are accepted: DynamoDB Streams records (`eventName`, `dynamodb.Keys`,
/// `NewImage`, `OldImage`, `SequenceNumber`, `ApproximateCreationDateTime` in seconds,
/// `StreamViewType`) and the Kinesis shape (adds `tableName`, `recordFormat`; time in
/// milliseconds; no `SequenceNumber`). Field order does not matter.
///
/// Each decoded record adds one row: INSERT and MODIFY from the `NewImage`; REMOVE from the
/// `OldImage` (or the `Keys` when the stream has no old image) with `_hoodie_is_deleted` set.
/// A record that cannot be decoded adds nothing and is reported with its reason; a MODIFY or
/// INSERT without a `NewImage` from a `KEYS_ONLY` or `OLD_IMAGE` stream is a configuration
/// error that stops decoding (``decode(_:source:)`` throws).
///
/// A decoder builds one batch: create one per batch (``finish()`` hands the columns over).
final class ChangeRecordDecoder {
    // Columns.
    private(set) var names: [String] = []
    var builders: [ValueBuilder] = []
    private var columnIndex: [String: Int] = [:]

    // Bindings.
    var recordFields = NameIndex()
    var recordColumns: [[Int]] = []
    var dynamodbFields = NameIndex()
    var dynamodbColumns: [[Int]] = []
    /// NewImage, OldImage, Keys.
    let newImage = AttributeNode()
    let oldImage = AttributeNode()
    let keysImage = AttributeNode()
    /// Add unmapped NewImage attributes as inferred columns.
    let inferNewImage: Bool
    /// Record key columns: a record without a value for them is refused.
    private(set) var keyColumns: [Int] = []
    /// Names that are record keys, for columns inferred later (N keys become exact text).
    let keyNames: Set<String>
    /// Column names an inferred attribute may not take (the mapping's own; lake's are reserved
    /// anyway): see ``AttributeNaming/columnName(forAttribute:taken:)``.
    let takenNames: Set<String>
    var eventOrderColumn: Int?
    var deleteColumn = 0
    /// Columns the mapping or lake fills (no attribute owns them).
    private var mappingColumns: Set<Int> = []

    let ctx: DecodeContext
    /// Per column: the serial number of the last record that set it (so each record sets a
    /// column once, and the columns a record left unset get a null). A raw buffer: it is read
    /// and written for every attribute.
    private(set) var lastSet = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    private var lastSetCapacity = 64
    /// Counts decode calls.
    var serial = 0
    private(set) var rowCount = 0
    private(set) var rowSources: [RowSource] = []
    private(set) var upserts = 0
    private(set) var deletes = 0

    /// Builds the decoder for a mapping.
    ///
    /// - Parameters:
    ///   - mapping: the mapping (``IngestMapping/inferred`` for none).
    ///   - tableSchema: the table's current data columns; inferred columns start from their
    ///     types (so later batches stay compatible), and a type conflict is reported per record.
    ///   - keyFields: the table's record key fields.
    ///   - owners: which attribute names own the columns renames can produce (the table's
    ///     record, ``ColumnOwners``); names claimed while decoding are added.
    /// - Throws: ``LakeError`` `.invalidArgument` for a mapping the decoder cannot serve.
    init(
        mapping: IngestMapping, tableSchema: TableSchema?, keyFields: [String],
        owners: ColumnOwners = ColumnOwners()
    ) throws(LakeError) {
        inferNewImage = mapping.infers
        keyNames = Set(keyFields + mapping.table.recordKey)
        takenNames = mapping.namesTakenFromInference
        ctx = DecodeContext(owners: owners)
        let derivedNames = Set(mapping.derived.map(\.target))
        for c in mapping.columns {
            let existing = tableSchema?.field(named: c.target).flatMap { ColumnType(field: $0) }
            let builder: ValueBuilder
            if let t = c.targetType {
                builder = ValueBuilder.make(t, strict: false, inferMembers: false)
            } else if let t = existing {
                builder = ValueBuilder.make(t, strict: !keyNames.contains(c.target), inferMembers: true, path: c.target)
            } else if keyNames.contains(c.target) {
                builder = StringBuilder(json: false, strict: false)
            } else {
                builder = PendingBuilder(path: c.target)
            }
            let col = addColumn(c.target, builder)
            mappingColumns.insert(col)
            switch c.source {
            case .record(let k):
                guard k != "dynamodb" else {
                    throw LakeError(
                        .invalidArgument,
                        "mapping: column '\(c.target)': map fields of 'dynamodb', not the object itself")
                }
                bind(&recordFields, &recordColumns, k, col)
            case .dynamodb(let k):
                bind(&dynamodbFields, &dynamodbColumns, k, col)
            case .image(let section, let steps):
                let node =
                    switch section {
                    case .newImage: newImage
                    case .oldImage: oldImage
                    case .keys: keysImage
                    }
                node.bind(steps[...], column: col, requiredType: c.sourceType)
            case .eventOrder:
                guard c.targetType == nil || c.targetType == .string else {
                    throw LakeError(.invalidArgument, "mapping: column '\(c.target)': $event_order is a string")
                }
                builders[col] = StringBuilder(json: false, strict: false)
                eventOrderColumn = col
            }
        }
        if inferNewImage, let schema = tableSchema {
            // Table columns the mapping does not produce are filled by the NewImage attribute
            // that owns them: the one of the same name, or the one recorded as renamed into it.
            let reserved: Set<String> = [EventOrder.columnName, Self.eventTimeColumn, ChangeBatch.deleteColumn]
            for f in schema.fields
            where columnIndex[f.name] == nil && !reserved.contains(f.name) && !derivedNames.contains(f.name) {
                guard let t = ColumnType(field: f) else {
                    throw LakeError(
                        .unsupported,
                        "column '\(f.name)' has type \(TableSchema.typeName(f)), which lake cannot fill from change records"
                    )
                }
                let builder = ValueBuilder.make(t, strict: !keyNames.contains(f.name), inferMembers: true, path: f.name)
                let col = addColumn(f.name, builder)
                let attribute = owners.owner(of: f.name) ?? f.name
                newImage.bind([SourcePath.AttributeStep(attribute)], column: col, requiredType: nil)
            }
        }
        if inferNewImage && mapping.columns.isEmpty && columnIndex[Self.eventTimeColumn] == nil {
            let col = addColumn(Self.eventTimeColumn, TemporalBuilder(unit: .millis, strict: false))
            bind(&dynamodbFields, &dynamodbColumns, "ApproximateCreationDateTime", col)
        }
        if (mapping.table.precombine ?? EventOrder.columnName) == EventOrder.columnName && eventOrderColumn == nil {
            eventOrderColumn = addColumn(EventOrder.columnName, StringBuilder(json: false, strict: false))
        }
        deleteColumn = addColumn(ChangeBatch.deleteColumn, BooleanBuilder(strict: false))
        for name in [Self.eventTimeColumn, EventOrder.columnName, ChangeBatch.deleteColumn] {
            if let c = columnIndex[name] { mappingColumns.insert(c) }
        }
        keyColumns = keyNames.compactMap { columnIndex[$0] }.sorted()
    }

    deinit {
        lastSet.deallocate()
    }

    /// The column lake adds for the event time when columns are inferred.
    static let eventTimeColumn = "_event_time"

    @discardableResult
    func addColumn(_ name: String, _ b: ValueBuilder) -> Int {
        if let i = columnIndex[name] { return i }
        if names.count == lastSetCapacity {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: lastSetCapacity * 2)
            grown.update(from: lastSet, count: lastSetCapacity)
            lastSet.deallocate()
            lastSet = grown
            lastSetCapacity *= 2
        }
        lastSet[names.count] = -1
        names.append(name)
        builders.append(b)
        columnIndex[name] = names.count - 1
        return names.count - 1
    }

    private func bind(_ index: inout NameIndex, _ columns: inout [[Int]], _ key: String, _ col: Int) {
        let bytes = Array(key.utf8)
        if let i = bytes.withUnsafeBytes({ index.find($0) }) {
            columns[i].append(col)
        } else {
            index.insert(bytes)
            columns.append([col])
        }
    }

    /// The `newImage` entry for a NewImage attribute seen for the first time: a new inferred
    /// column named by ``AttributeNaming`` and owned by this attribute, or — when another
    /// attribute (or the mapping) already fills that column name — an entry that refuses the
    /// records carrying it.
    func inferAttribute(_ attribute: String, row: Int) -> Int {
        let name = AttributeNaming.columnName(forAttribute: attribute, taken: takenNames)
        let recorded = ctx.owners.owner(of: name)
        if columnIndex[name] != nil || (recorded != nil && recorded != attribute) {
            let owner = recorded ?? (columnIndex[name].map { mappingColumns.contains($0) } == true ? nil : name)
            let reason = DecodeContext.collision(attribute, name, owner: owner, what: "column")
            return newImage.refuse(attribute, reason: reason)
        }
        ctx.owners.claim(name, by: attribute)
        let isKey = keyNames.contains(name)
        let b: ValueBuilder = isKey ? StringBuilder(json: false, strict: false) : PendingBuilder(path: name)
        b.appendNulls(row)
        let col = addColumn(name, b)
        if isKey { keyColumns.append(col) }
        newImage.bind([SourcePath.AttributeStep(attribute)], column: col, requiredType: nil)
        return newImage.entries.count - 1
    }

    /// The decoded columns (typed; columns whose type is still unknown — only nulls — are left
    /// out) and where each row came from. Ends this decoder's use.
    func finish() -> (columns: [(String, TypedColumn)], sources: [RowSource]) {
        var out: [(String, TypedColumn)] = []
        for (n, b) in zip(names, builders) {
            guard let t = b.type, let c = b.finish() else { continue }
            out.append((n, TypedColumn(c, t)))
        }
        let s = rowSources
        rowSources = []
        rowCount = 0
        return (out, s)
    }

    /// Rolls every column back to `row` rows (a failed record); a column whose type the failed
    /// record inferred is untyped again (``ValueBuilder/truncated(_:to:)``).
    func rollback(to row: Int) {
        for i in builders.indices { builders[i] = ValueBuilder.truncated(builders[i], to: row) }
    }

    /// Bytes held by the builders (for max-bytes windows).
    var estimatedByteCount: Int { builders.reduce(0) { $0 + $1.estimatedByteCount } }

    func noteRow(_ source: RowSource, deleted: Bool) {
        rowSources.append(source)
        rowCount += 1
        if deleted { deletes += 1 } else { upserts += 1 }
    }
}
