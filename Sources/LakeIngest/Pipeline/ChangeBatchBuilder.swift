import LakeCore
import LakeParquet
import LakeBase

/// Accumulates chunks of change records into one ``ChangeBatch``: decodes every line as it
/// arrives (the columns grow as the input is read), then at ``finish()`` evaluates derived
/// columns, checks keys and assembles the record batch.
///
/// With a mapping that fixes every column's type (no inference), a large chunk is decoded on
/// both cores: its second half by a fresh decoder while the current one decodes the first half;
/// the halves' columns are concatenated in input order, so rows, refusals and errors are exactly
/// those of decoding line by line.
///
/// ```swift
/// let b = try ChangeBatchBuilder(mapping: mapping, tableSchema: table.schema, keyFields: table.config.recordKeyFields)
/// try b.append(SourceChunk(bytes: data, file: "changes.jsonl"))
/// let batch = try b.finish()
/// ```
public final class ChangeBatchBuilder {
    /// How records become rows.
    public let mapping: IngestMapping
    /// What to do with bad records.
    public let onError: ErrorPolicy
    private let tableSchema: TableSchema?
    private var keyFields: [String]
    /// The record key fields the batch is keyed by (the table's, the mapping's, or — once the
    /// first chunk is appended — the column names of the first record's `Keys`).
    public var recordKeyFields: [String] { keyFields }
    private var decoder: ChangeRecordDecoder?
    /// Columns of decoders already finished (parallel decoding), in input order.
    private var parts: [DecodedPart] = []
    /// Whether every column's type is fixed by the mapping, so independently decoded parts
    /// have the same columns and can be concatenated.
    private let fixedColumns: Bool
    private var chunks: [SourceChunk] = []
    private var issues: [IngestIssue] = []
    /// Records read so far (non-blank lines), refused ones included.
    public private(set) var recordsIn = 0
    /// Bytes of input appended so far.
    public private(set) var bytesIn = 0
    /// Where the input appended so far ends (the next record to read).
    public private(set) var end: SourcePosition?
    /// The source's position after the input appended so far (the last chunk's
    /// ``SourceChunk/end``): what a commit of this batch stores to resume after it.
    public private(set) var checkpoint: Checkpoint?
    /// Which attribute names own the columns renames can produce (see ``ColumnOwners``).
    public private(set) var columnOwners: ColumnOwners
    /// The record the batch started from.
    private let initialOwners: ColumnOwners
    /// Where the input appended so far starts.
    public var start: SourcePosition? {
        chunks.first.map { SourcePosition(file: $0.file, line: $0.firstLine, offset: $0.startOffset) }
    }

    /// - Parameters:
    ///   - mapping: how records become rows (``IngestMapping/inferred`` for none).
    ///   - tableSchema: the table's data columns, if the table exists and has a schema.
    ///   - keyFields: the table's record key fields; empty for a table yet to be created (the
    ///     mapping's, or else the first record's `Keys` names, are used).
    ///   - onError: what to do with records that cannot be ingested.
    ///   - columnOwners: the table's record of attribute names (the newest commit's
    ///     ``ColumnOwners/key``); names claimed in this batch are added (``ChangeBatch/columnOwners``).
    public init(
        mapping: IngestMapping, tableSchema: TableSchema?, keyFields: [String], onError: ErrorPolicy,
        columnOwners: ColumnOwners = ColumnOwners()
    ) throws(LakeError) {
        try mapping.validate()
        self.mapping = mapping
        self.columnOwners = columnOwners
        initialOwners = columnOwners
        self.tableSchema = tableSchema
        self.keyFields = keyFields.isEmpty ? mapping.table.recordKey : keyFields
        self.onError = onError
        fixedColumns =
            !mapping.infers
            && mapping.columns.allSatisfy { c in
                if case .eventOrder = c.source { return true }
                return c.targetType != nil
            }
    }

    /// Chunks at least this large are decoded on both cores (when the columns are fixed).
    static let parallelChunkBytes = 256 << 10

    /// Records refused so far.
    public var issueCount: Int { issues.count }
    /// Rows decoded so far.
    public var rowCount: Int { parts.reduce(0) { $0 + $1.sources.count } + (decoder?.rowCount ?? 0) }
    /// Approximate memory held by the decoded columns and the retained input.
    public var estimatedByteCount: Int {
        parts.reduce(0) { $0 + $1.byteCount } + (decoder?.estimatedByteCount ?? 0) + bytesIn
    }

    /// Decodes every line of a chunk.
    ///
    /// - Throws: ``LakeError`` `.invalidInput` for a bad record with ``ErrorPolicy/fail`` (the
    ///   message names the file, line and reason); `.unsupported` for a stream that cannot be
    ///   upserted from (see ``ChangeRecordDecoder``).
    public func append(_ chunk: SourceChunk) throws(LakeError) {
        let chunkIndex = chunks.count
        chunks.append(chunk)
        bytesIn += chunk.bytes.count
        let lineCount = JSONLines.newlineCount(in: chunk.bytes.withUnsafeBytes { $0 })
        let endsWithNewline = chunk.bytes.last == 0x0A
        end = SourcePosition(
            file: chunk.file, line: chunk.firstLine + lineCount + (endsWithNewline || chunk.bytes.isEmpty ? 0 : 1),
            offset: chunk.endOffset)
        checkpoint = chunk.end
        try withBytes(of: chunk.bytes) { (buffer) throws(LakeError) in
            if decoder == nil {
                if keyFields.isEmpty && parts.isEmpty {
                    // The record key is the Keys' attribute names, as columns name them.
                    let taken = mapping.namesTakenFromInference
                    keyFields = Self.discoverKeys(buffer).map {
                        AttributeNaming.columnName(forAttribute: $0, taken: taken)
                    }
                }
                decoder = try ChangeRecordDecoder(
                    mapping: mapping, tableSchema: tableSchema, keyFields: keyFields,
                    owners: columnOwners)
            }
            let first = decoder!
            guard fixedColumns, buffer.count >= Self.parallelChunkBytes,
                let mid = Self.lineBoundary(nearMiddleOf: buffer)
            else {
                try settle(
                    Self.decode(buffer, 0..<buffer.count, firstLine: chunk.firstLine, chunk: chunkIndex, with: first))
                return
            }
            // The second half goes to a fresh decoder, which then carries on with the next chunk.
            let second = try ChangeRecordDecoder(
                mapping: mapping, tableSchema: tableSchema, keyFields: keyFields,
                owners: first.ctx.owners)
            let secondLine =
                chunk.firstLine + JSONLines.newlineCount(in: UnsafeRawBufferPointer(rebasing: buffer[0..<mid]))
            let halves = [(first, 0..<mid, chunk.firstLine), (second, mid..<buffer.count, secondLine)]
            nonisolated(unsafe) let work = halves, bytes = buffer
            let outcomes = parallelMap(2, parallel: true) { i in
                Self.decode(bytes, work[i].1, firstLine: work[i].2, chunk: chunkIndex, with: work[i].0)
            }
            try settle(outcomes[0])
            try settle(outcomes[1])
            columnOwners = first.ctx.owners
            parts.append(DecodedPart(first))
            decoder = second
        }
    }

    /// What decoding a range of lines gave: records read, refusals in order, and the error that
    /// stopped it (if any).
    struct LinesOutcome {
        var records = 0
        var refusals: [(RowSource, String)] = []
        var error: LakeError?
    }

    /// Decodes the lines of `buffer[range]` with `decoder`; row sources are chunk-relative.
    static func decode(
        _ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, firstLine: Int, chunk: Int,
        with decoder: ChangeRecordDecoder
    ) -> LinesOutcome {
        var out = LinesOutcome()
        let base = range.lowerBound
        for line in JSONLines(UnsafeRawBufferPointer(rebasing: buffer[range]), firstLineNumber: firstLine) {
            out.records += 1
            let lineRange = (base + line.range.lowerBound)..<(base + line.range.upperBound)
            let source = RowSource(chunk: chunk, range: lineRange, line: line.number)
            do throws(LakeError) {
                if let reason = try decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[lineRange]), source: source)
                {
                    out.refusals.append((source, reason))
                }
            } catch {
                out.error = error
                break
            }
        }
        return out
    }

    /// Counts the records and applies the refusals and the error, in input order.
    private func settle(_ outcome: LinesOutcome) throws(LakeError) {
        recordsIn += outcome.records
        for (source, reason) in outcome.refusals { try refuse(source, reason) }
        if let e = outcome.error { throw e }
    }

    /// The offset just past the first newline at or after the middle of `buffer`, if that
    /// leaves both halves non-empty.
    static func lineBoundary(nearMiddleOf buffer: UnsafeRawBufferPointer) -> Int? {
        guard let newline = JSONLines.indexOfNewline(in: buffer, from: buffer.count / 2), newline + 1 < buffer.count
        else { return nil }
        return newline + 1
    }

    private func refuse(_ source: RowSource, _ reason: String) throws(LakeError) {
        let c = chunks[source.chunk]
        let position = SourcePosition(
            file: c.file, line: source.line, offset: c.startOffset + Int64(source.range.lowerBound))
        let issue = IngestIssue(position: position, reason: reason, line: Array(c.bytes[source.range]))
        if onError == .fail {
            // The issue is the cause: callers can tell a refused record from other failures.
            throw LakeError(.invalidInput, "\(position): \(reason)", cause: issue)
        }
        issues.append(issue)
    }

    /// The names of the first record's `Keys` that parses, in order; empty when none has keys.
    static func discoverKeys(_ buffer: UnsafeRawBufferPointer) -> [String] {
        for line in JSONLines(buffer) {
            guard let v = try? JSONParser().parse(UnsafeRawBufferPointer(rebasing: buffer[line.range])),
                case .object(let keys)? = v["dynamodb"]?["Keys"]
            else { continue }
            let names = keys.map(\.key)
            if !names.isEmpty { return names }
        }
        return []
    }

    /// Assembles the batch: derived columns, key checks, refused rows removed.
    ///
    /// - Parameter writeConfig: the configuration the rows will be written with (the table's,
    ///   or the one a first commit creates it with): rows whose record key or partition path
    ///   the write would refuse (``RecordKeyCheck``) are refused here, one by one, instead of
    ///   failing the commit. `nil` skips that check.
    /// - Throws: ``LakeError`` `.invalidArgument` for a mapping whose expressions do not fit
    ///   the data's types; `.invalidInput` for a refused row with ``ErrorPolicy/fail``.
    public func finish(writeConfig: TableConfig? = nil) throws(LakeError) -> ChangeBatch {
        if let d = decoder {
            columnOwners = d.ctx.owners
            parts.append(DecodedPart(d))
        }
        decoder = nil
        let decoded = try DecodedPart.concatenate(parts)
        parts = []
        let upserts = decoded.upserts
        let deletes = decoded.deletes
        var rowCount = decoded.sources.count
        let trailing: Set<String> = [
            ChangeRecordDecoder.eventTimeColumn, EventOrder.columnName, ChangeBatch.deleteColumn,
        ]
        var ordered: [(String, TypedColumn)] = decoded.columns.filter { !trailing.contains($0.0) }
        var evaluator = ExpressionEvaluator(
            rowCount: rowCount,
            columns: Dictionary(decoded.columns.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }))
        for d in mapping.derived {
            if mapping.infers {
                for r in d.expression.referencedColumns where evaluator.columns[r] == nil {
                    evaluator.columns[r] = .nulls(.string, count: rowCount)
                }
            }
            var c = try evaluator.evaluate(d.expression)
            if let t = d.targetType { c = try evaluator.convert(c, to: t, d.expression) }
            evaluator.columns[d.target] = c
            ordered.append((d.target, c))
        }
        for name in [ChangeRecordDecoder.eventTimeColumn, EventOrder.columnName, ChangeBatch.deleteColumn] {
            if let c = decoded.columns.first(where: { $0.0 == name }) { ordered.append(c) }
        }
        // Rows refused after decoding: expression errors, derived key columns without a value.
        var rejected = evaluator.rowErrors
        let derivedKeys = mapping.derived.map(\.target).filter { keyFields.contains($0) }
        for k in derivedKeys {
            guard let c = evaluator.columns[k] else { continue }
            for i in 0..<rowCount where c.column.isNull(i) && rejected[i] == nil {
                rejected[i] = "the record has no value for the key column '\(k)'"
            }
        }
        if let config = writeConfig {
            // Rows the write would refuse for their key or partition path: the same rules, here,
            // per row. Null keys are reported by the key columns' own check above when it applies.
            let keep = rejected.isEmpty ? nil : (0..<rowCount).filter { rejected[$0] == nil }
            let names = Set(config.recordKeyFields + config.partitionFields)
            let needed = ordered.filter { names.contains($0.0) }
            let probe = RecordBatch(
                schema: ParquetSchema(needed.map { $0.1.type.field(named: $0.0) }),
                columns: needed.map { keep.map($0.1.column.take) ?? $0.1.column },
                rowCount: keep?.count ?? rowCount)
            for (i, reason) in try RecordKeyCheck.problems(in: probe, config: config) {
                rejected[keep?[i] ?? i] = reason
            }
        }
        let sources = decoded.sources
        var upsertCount = upserts
        var deleteCount = deletes
        if !rejected.isEmpty {
            for i in rejected.keys.sorted() { try refuse(sources[i], rejected[i]!) }
            let keep = (0..<rowCount).filter { rejected[$0] == nil }
            if let del = ordered.first(where: { $0.0 == ChangeBatch.deleteColumn }),
                case .boolean(let flags) = del.1.column.data
            {
                for i in rejected.keys { if flags[i] { deleteCount -= 1 } else { upsertCount -= 1 } }
            }
            ordered = ordered.map { ($0.0, TypedColumn($0.1.column.take(keep), $0.1.type)) }
            rowCount = keep.count
        }
        issues.sort { ($0.position.file, $0.position.offset) < ($1.position.file, $1.position.offset) }
        let schema = ParquetSchema(ordered.map { $0.1.type.field(named: $0.0) })
        let batch: RecordBatch
        do throws(ParquetError) {
            batch = try RecordBatch(schema: schema, columns: ordered.map(\.1.column))
        } catch {
            throw LakeError(.invalidInput, "assembling the batch: \(error.message)")
        }
        var renamed: [String: String] = [:]
        for (path, attribute) in columnOwners.owners where initialOwners.owner(of: path) == nil {
            if path.split(separator: ".").last.map(String.init) != attribute { renamed[path] = attribute }
        }
        let result = ChangeBatch(
            batch: batch, recordsIn: recordsIn, upserts: upsertCount, deletes: deleteCount,
            issues: issues, recordKeyFields: keyFields, orderingField: mapping.orderingColumn,
            end: end,
            checkpoint: checkpoint, columnOwners: columnOwners, renamedAttributes: renamed)
        chunks = []
        issues = []
        return result
    }
}
