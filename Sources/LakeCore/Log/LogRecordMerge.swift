import LakeParquet

/// How a snapshot read of a merge-on-read table merges a slice's log records into its base
/// file's records (Hudi's merged log record scanner): which blocks count, and which record of a
/// key wins.
///
/// Blocks count if their instant (`INSTANT_TIME`) is committed on the timeline the read uses and
/// not after the read's instant; blocks of a delta commit that never completed, or that a
/// rollback command block names, are ignored; corrupt stretches are skipped. Records are keyed by
/// `_hoodie_record_key`. With an ordering (precombine) field, of two log records of a key the one
/// with the larger value wins, the later one on ties (Java's `preCombine`); a log record replaces
/// the base record if its value is at least the base record's — or always, when the payload class
/// is `OverwriteWithLatestAvroPayload`, whose merge with stored records ignores ordering.
/// Without an ordering field the latest record wins. Delete blocks remove their keys by the same
/// rule, a delete without an ordering value (or with 0) always (``DeleteRecord``).
public struct LogRecordMerge: Sendable {
    /// The timeline whose completed instants make blocks count.
    public var timeline: Timeline
    /// The instant the read is as of (blocks after it are ignored); `nil`: the latest.
    public var asOf: String?
    /// The ordering field, if the table has one.
    public var orderingField: String?
    /// Whether a log record replaces the base record regardless of ordering values.
    public var logWinsOverBase: Bool
    /// The fields every merged record is read in: the meta columns, then the table's columns.
    public var fields: [ParquetField]

    /// The payload class whose merge with stored records ignores the ordering field.
    public static let overwriteWithLatestPayload = "org.apache.hudi.common.model.OverwriteWithLatestAvroPayload"

    /// Whether a block written by `instant` is part of the read.
    func counts(_ instant: String) -> Bool {
        guard timeline.isCommitted(instant) else { return false }
        if let asOf { return Instant.normalize(instant) <= Instant.normalize(asOf) }
        return true
    }
}

extension Table {
    /// The merge of a read as of `asOf` (`nil`: latest) on this table; `nil` for copy-on-write
    /// tables and read-optimized reads (base files only).
    func logRecordMerge(asOf: String?, readOptimized: Bool, schema: TableSchema) -> LogRecordMerge? {
        guard config.tableType == .mergeOnRead, !readOptimized else { return nil }
        let ordering =
            config.precombineField
            ?? config.additionalProperties["hoodie.table.ordering.fields"]?.split(separator: ",").first.map {
                String($0).trimmingWhitespace()
            }
        return LogRecordMerge(
            timeline: timeline, asOf: asOf, orderingField: ordering.flatMap { $0.isEmpty ? nil : $0 },
            logWinsOverBase: config.payloadClass == LogRecordMerge.overwriteWithLatestPayload,
            fields: ReadPlan.metaFields + schema.fields)
    }

    /// Reads a slice with log files: the base file's records and the counted log blocks'
    /// records in the merge's fields, merged by key; then the plan's predicate and columns.
    /// Same contract as ``readBaseFile(_:storage:plan:includeMeta:)``.
    static func readMergedSlice(
        _ slice: FileSlice, merge: LogRecordMerge, storage: some TableStorage, plan: ReadPlan,
        includeMeta: Bool
    ) throws(LakeError) -> RecordBatch? {
        let fields = merge.fields
        var parts: [RecordBatch] = []
        // The base file, whole: a log record may replace any row, so no row group is skipped.
        let reader = try ParquetReaderCache.open(storage: storage, path: slice.path)
        let present = Set(reader.schema.fields.map(\.name))
        let columns = fields.map(\.name).filter { present.contains($0) }
        for g in 0..<reader.rowGroupCount {
            let raw = try lakeParquet(slice.path) { () throws(ParquetError) in
                try reader.readRowGroup(g, columns: columns)
            }
            parts.append(try BatchConformer.conform(raw, to: fields))
        }
        let baseRows = parts.reduce(0) { $0 + $1.rowCount }
        // The log blocks that count, in append order, minus rolled-back instants.
        var blocks: [(block: LogBlock, bytes: [UInt8], path: String)] = []
        var rolledBack = Set<String>()
        for log in slice.logFiles {
            let path = slice.path(of: log.file)
            let bytes = try storage.read(path)
            for block in try LogBlock.parseAll(bytes, file: path) {
                switch block.type {
                case .corrupt: continue
                case .command:
                    if block.isRollback, let target = block.targetInstantTime {
                        rolledBack.insert(Instant.normalize(target))
                    }
                default:
                    guard let instant = block.instantTime else {
                        throw LakeError(
                            .corruptTable,
                            "log file \(path), \(block.type) at offset \(block.offset) has no INSTANT_TIME")
                    }
                    if merge.counts(instant) { blocks.append((block, bytes, path)) }
                }
            }
        }
        var events: [LogRecordMerge.Event] = []
        var logRows = baseRows
        for (block, bytes, path) in blocks where !rolledBack.contains(Instant.normalize(block.instantTime!)) {
            if block.type == .delete {
                events.append(.deletes(try block.deleteRecords(in: bytes, file: path)))
                continue
            }
            let records = try block.records(in: bytes, file: path)
            events.append(.rows(logRows..<(logRows + records.rowCount)))
            logRows += records.rowCount
            do {
                parts.append(try BatchConformer.conform(records, to: fields))
            } catch {
                throw LakeError(
                    error.code, "log file \(path), \(block.type) at offset \(block.offset): \(error.message)")
            }
        }
        guard rowCount(of: parts) > 0 else { return nil }
        let total = parts.reduce(0) { $0 + $1.rowCount }
        var batch =
            parts.count == 1
            ? parts[0]
            : RecordBatch(
                schema: ParquetSchema(fields),
                columns: fields.indices.map { i in Column.concatenate(parts.map { $0.columns[i] }) }, rowCount: total)
        if !events.isEmpty {
            let rows = try merge.winners(batch, baseRows: baseRows, events: events)
            guard !rows.isEmpty else { return nil }
            batch = RecordBatch(
                schema: batch.schema, columns: batch.columns.map { $0.take(rows) }, rowCount: rows.count)
        }
        if let p = plan.predicate {
            let keep = try p.evaluate(batch)
            if !keep.contains(true) { return nil }
            if keep.contains(false) { batch = batch.filter(keep) }
        }
        let outNames = (includeMeta ? TableSchema.metaColumns : []) + plan.columns
        let idx = outNames.map { batch.schema.fieldIndex($0)! }
        let outFields = (includeMeta ? ReadPlan.metaFields : []) + plan.readFields.prefix(plan.columns.count)
        let out = RecordBatch(
            schema: ParquetSchema(idx.map { batch.schema.fields[$0] }), columns: idx.map { batch.columns[$0] },
            rowCount: batch.rowCount)
        return try BatchConformer.conform(out, to: Array(outFields))
    }
}

/// The row count of batches.
private func rowCount(of parts: [RecordBatch]) -> Int { parts.reduce(0) { $0 + $1.rowCount } }

extension LogRecordMerge {
    /// What the log blocks that count contribute, in append order.
    enum Event {
        /// The rows of a data block, as indices of the merged batch.
        case rows(Range<Int>)
        /// The keys of a delete block.
        case deletes([DeleteRecord])
    }

    /// The rows that survive the merge of `batch` — base rows (`0..<baseRows`) first, then the
    /// log blocks' `events` in append order — in first-appearance order of their keys. A delete
    /// removes its key if it is natural-order (no ordering value, or 0) or its ordering value is
    /// at least the current record's (or the current record is a base record and the payload
    /// ignores ordering against stored records); a later record of a deleted key replaces the
    /// delete by the same rule as any record.
    func winners(_ batch: RecordBatch, baseRows: Int, events: [Event]) throws(LakeError) -> [Int] {
        guard let keyIndex = batch.schema.fieldIndex("_hoodie_record_key"),
            case .byteArray(let keys) = batch.columns[keyIndex].data
        else {
            throw LakeError(.corruptTable, "merge-on-read records without _hoodie_record_key cannot be merged")
        }
        var ordering: [OrderingValue]?
        if let name = orderingField, let i = batch.schema.fieldIndex(name) {
            ordering = OrderingValue.values(column: batch.columns[i], field: batch.schema.fields[i])
        }
        /// A key's current record: a row of `batch`, or a delete with its ordering value.
        enum Current {
            case row(Int)
            case deleted(OrderingValue?)
        }
        var slotOf: [ArraySlice<UInt8>: Int] = [:]
        slotOf.reserveCapacity(batch.rowCount)
        var current: [Current] = []
        func orderingOf(_ c: Current) -> OrderingValue? {
            switch c {
            case .row(let r): return ordering?[r]
            case .deleted(let o): return o
            }
        }
        /// Whether a log record with ordering `new` replaces `c`.
        func replaces(_ new: OrderingValue?, _ c: Current) -> Bool {
            guard ordering != nil, let new else { return true }
            if case .row(let r) = c, r < baseRows, logWinsOverBase { return true }
            guard let old = orderingOf(c) else { return true }
            return !(new < old)
        }
        func apply(_ row: Int) {
            let key = keys[row]
            guard let slot = slotOf[key] else {
                slotOf[key] = current.count
                current.append(.row(row))
                return
            }
            if row < baseRows || replaces(ordering?[row], current[slot]) { current[slot] = .row(row) }
        }
        for row in 0..<baseRows { apply(row) }
        for event in events {
            switch event {
            case .rows(let range):
                for row in range { apply(row) }
            case .deletes(let deletes):
                for d in deletes {
                    let key = ArraySlice(Array(d.recordKey.utf8))
                    guard let slot = slotOf[key] else {
                        slotOf[key] = current.count
                        current.append(.deleted(d.orderingValue))
                        continue
                    }
                    if d.isNaturalOrder || replaces(d.orderingValue, current[slot]) {
                        current[slot] = .deleted(d.orderingValue)
                    }
                }
            }
        }
        return current.compactMap {
            if case .row(let r) = $0 { return r }
            return nil
        }
    }
}
