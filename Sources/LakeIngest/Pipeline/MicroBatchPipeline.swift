import LakeCore

/// Continuous (or one-shot) ingestion of change records into a sink: reads the source, cuts the
/// records into windows (see ``PipelineOptions``) and commits each window with the source
/// position of its last record as the commit's checkpoint (``Checkpoint``).
///
/// Exactly once: at start a resuming pipeline lets the sink finish what a killed process left
/// (``RecordSink/recover()``: failed writes rolled back, a skipped clean run), then reads the newest checkpoint of its source from the
/// sink's commits and resumes right after it. A window's records and its checkpoint are
/// committed together, so a stop at any moment — SIGKILL included — loses nothing that was not
/// committed and, on restart, repeats nothing that was.
///
/// ```swift
/// let sink = try TableSink(path: "/lake/customer", settings: mapping.table)
/// var options = PipelineOptions()
/// options.windowMillis = 100_000
/// let pipeline = MicroBatchPipeline(source: .file("changes.jsonl", follow: true), sink: sink,
///                                   mapping: mapping, options: options)
/// try pipeline.run { report in print(report) }
/// ```
public final class MicroBatchPipeline {
    /// What to read.
    public let source: SourceSpec
    /// Where commits go.
    public let sink: any RecordSink
    /// How records become rows.
    public let mapping: IngestMapping
    /// Windows, limits, error policy.
    public let options: PipelineOptions
    /// The time windows are measured with.
    public let clock: any IngestClock
    /// Request a stop from another thread (or a signal handler) to end ``run(onCommit:)`` after
    /// committing the current window.
    public let stop: StopSignal
    /// Told the records and input bytes of the current window after each chunk is decoded
    /// (progress display); runs on the pipeline's thread.
    public var onRead: (@Sendable (_ records: Int, _ bytes: Int) -> Void)?

    public init(
        source: SourceSpec, sink: any RecordSink, mapping: IngestMapping = .inferred,
        options: PipelineOptions = PipelineOptions(), clock: any IngestClock = SystemClock(),
        stop: StopSignal = StopSignal()
    ) {
        self.source = source
        self.sink = sink
        self.mapping = mapping
        self.options = options
        self.clock = clock
        self.stop = stop
    }

    /// Runs until the input ends or a stop is requested.
    ///
    /// - Parameter onCommit: called after each window (for the per-commit report line).
    /// - Returns: what was done.
    /// - Throws: ``LakeError``: a refused record with ``ErrorPolicy/fail`` (the current window is
    ///   not committed; earlier ones are), a source or table failure, a stream that cannot be
    ///   upserted from.
    @discardableResult
    public func run(onCommit: (WindowReport) -> Void = { _ in }) throws(LakeError) -> PipelineSummary {
        let input = try source.open()
        return try run(input, onCommit: onCommit)
    }

    /// Runs on an already opened source (a custom ``ChangeSource``).
    @discardableResult
    public func run(
        _ input: any ChangeSource, onCommit: (WindowReport) -> Void = { _ in }
    ) throws(LakeError) -> PipelineSummary {
        var summary = PipelineSummary()
        if options.resume { try sink.recover() }
        if options.resume, let cp = try latestCheckpoint(for: input) {
            try input.resume(from: cp)
            summary.resumedFrom = cp
        }
        // The table's record of attribute names, carried from window to window (the table has
        // one writer while the pipeline runs). A mapping that names every column and type never
        // derives a name from an attribute: it neither reads nor writes the record.
        var owners: ColumnOwners? = mapping.derivesNames ? try columnOwners() : nil
        let maxRecords = options.maxRecords ?? Int.max
        let maxBytes = options.maxBytes ?? Int.max
        while true {
            var builder: ChangeBatchBuilder?
            var windowStart: Int64 = 0
            var readTimeSum: Int64 = 0
            var atEnd = false
            var stopping = false
            window: while true {
                if stop.isRequested {
                    stopping = true
                    break
                }
                let records = builder?.recordsIn ?? 0
                let bytes = builder?.bytesIn ?? 0
                let step = min(options.chunkBytes, maxBytes - bytes)
                switch try input.read(maxBytes: max(step, 1), maxLines: maxRecords - records) {
                case .chunk(let c):
                    let now = clock.nowMillis()
                    if builder == nil {
                        builder = try ChangeBatchBuilder(
                            mapping: mapping, tableSchema: sink.tableSchema,
                            keyFields: sink.recordKeyFields, onError: options.onError,
                            columnOwners: owners ?? ColumnOwners())
                        windowStart = now
                    }
                    let before = builder!.recordsIn
                    try builder!.append(c)
                    readTimeSum += now * Int64(builder!.recordsIn - before)
                    onRead?(builder!.recordsIn, builder!.bytesIn)
                case .idle:
                    if builder != nil {
                        let elapsed = clock.nowMillis() - windowStart
                        if elapsed >= options.windowMillis { break window }
                        clock.sleep(millis: min(options.pollMillis, options.windowMillis - elapsed))
                    } else {
                        clock.sleep(millis: options.pollMillis)
                    }
                case .end:
                    atEnd = true
                    break window
                }
                if let b = builder {
                    if b.recordsIn >= maxRecords || b.bytesIn >= maxBytes { break }
                    if clock.nowMillis() - windowStart >= options.windowMillis { break }
                }
            }
            if let b = builder, b.recordsIn > 0 {
                let report = try commitWindow(
                    b, input: input, windowStart: windowStart, readTimeSum: readTimeSum,
                    owners: &owners)
                summary.windows.append(report)
                onCommit(report)
            }
            if stopping {
                summary.stopReason = .stopRequested
                return summary
            }
            if atEnd { return summary }
        }
    }

    /// The newest checkpoint of this source among the sink's commits.
    func latestCheckpoint(for input: any ChangeSource) throws(LakeError) -> Checkpoint? {
        var found: Checkpoint?
        _ = try sink.latestExtraMetadata { extra in
            guard let text = extra[Checkpoint.key], let cp = try? Checkpoint(json: text), cp.belongs(to: input) else {
                return false
            }
            found = cp
            return true
        }
        return found
    }

    /// The table's record of attribute names (``ColumnOwners``): the newest commit's.
    func columnOwners() throws(LakeError) -> ColumnOwners {
        guard let extra = try sink.latestExtraMetadata(where: { $0[ColumnOwners.key] != nil }) else {
            return ColumnOwners()
        }
        return try ColumnOwners(json: extra[ColumnOwners.key]!)
    }

    /// Commits one window; `owners` (when kept) becomes the record the commit stored.
    private func commitWindow(
        _ b: ChangeBatchBuilder, input: any ChangeSource, windowStart: Int64, readTimeSum: Int64,
        owners: inout ColumnOwners?
    ) throws(LakeError) -> WindowReport {
        let start = b.start
        let config = sink.writeConfig(recordKeyFields: b.recordKeyFields, orderingField: mapping.orderingColumn)
        let batch = try b.finish(writeConfig: config)
        let checkpoint = batch.checkpoint
        var extra: [String: String] = [
            "lake.ingest.records": String(batch.recordsIn),
            "lake.ingest.upserts": String(batch.upserts),
            "lake.ingest.deletes": String(batch.deletes),
            "lake.ingest.errors": String(batch.issues.count),
        ]
        if let cp = checkpoint { extra[Checkpoint.key] = cp.json }
        // A live stream's window: input, lag and arrival latency (to the commit's start here).
        let statistics = (input as? any StreamStatisticsSource)?.takeWindowStatistics()
        if let st = statistics {
            let w = StreamWindow(
                records: batch.recordsIn, bytes: b.bytesIn, errors: batch.issues.count,
                arrivals: st.arrivals, lagMillis: st.lagMillis, now: StreamWindow.nowMillis())
            extra.merge(w.metadata) { a, _ in a }
        }
        // Stored whenever kept (even empty), so the next run finds it in the newest ingest commit.
        if owners != nil { extra[ColumnOwners.key] = batch.columnOwners.json }
        var errorLog: String?
        if !batch.issues.isEmpty, let dir = sink.errorLogDirectory, let s = start {
            let name = ErrorLog.fileName(startingAt: s)
            errorLog = try ErrorLog.write(batch.issues, directory: dir, fileName: name)
            extra["lake.ingest.errorLog"] = ErrorLog.folder + "/" + name
        }
        var commit: SinkCommit?
        if batch.rowCount > 0 || sink.tableSchema != nil {
            commit = try sink.commit(batch, extraMetadata: extra)
            if owners != nil { owners = batch.columnOwners }
        }
        let done = clock.nowMillis()
        let n = Int64(max(batch.recordsIn, 1))
        var report = WindowReport(
            commit: commit, recordsIn: batch.recordsIn, upserts: batch.upserts,
            deletes: batch.deletes,
            errors: batch.issues.count, errorLog: errorLog, checkpoint: checkpoint,
            maxLatencyMillis: done - windowStart, meanLatencyMillis: done - readTimeSum / n)
        report.renamedAttributes = batch.renamedAttributes
        if let st = statistics {
            report.stream = StreamWindow(
                records: batch.recordsIn, bytes: b.bytesIn, errors: batch.issues.count,
                arrivals: st.arrivals, lagMillis: st.lagMillis, now: StreamWindow.nowMillis())
        }
        return report
    }
}
