import ArgumentParser
import Lake

/// `--cdc FILE|-`, `--mapping FILE`, `--on-error quarantine|fail`: DynamoDB change records as
/// the input of `lake upsert`.
struct CDCInputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "DynamoDB change records, one JSON object per line (DynamoDB Streams records or the Kinesis shape), or - for standard input. INSERT and MODIFY upsert the NewImage, REMOVE deletes.",
            valueName: "file|-"))
    var cdc: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A mapping file (JSON): columns from source paths such as dynamodb.NewImage.id.S, derived columns, and the table's key, ordering and partitioning. Without it, columns are inferred from the NewImage attribute types.",
            valueName: "file"))
    var mapping: String?

    @Option(
        name: .customLong("on-error"),
        help: ArgumentHelp(
            "What to do with a record that cannot be ingested: quarantine (write it, its position and the reason to <table>/.hoodie/lake/errors/ and go on) or fail (stop; nothing is committed).",
            valueName: "quarantine|fail"))
    var onError: String = ErrorPolicy.quarantine.rawValue

    func validate() throws {
        guard ErrorPolicy(rawValue: onError) != nil else {
            throw ValidationError("--on-error must be quarantine or fail, not '\(onError)'")
        }
    }

    var policy: ErrorPolicy { ErrorPolicy(rawValue: onError) ?? .quarantine }

    /// The mapping file's mapping, or inference.
    func loadMapping() throws -> IngestMapping {
        guard let path = mapping else { return .inferred }
        try InputFile.check(path)
        return try IngestMapping.load(path: path)
    }
}

/// `lake upsert --table PATH --cdc FILE|- [--mapping FILE] [--on-error …] [--json]`: the whole
/// input as one commit; the table is created from the mapping's settings if it does not exist.
enum CDCUpsertCommand {
    static let discussion = """
        With --cdc, the input is DynamoDB change records: INSERT and MODIFY records upsert \
        their NewImage, REMOVE records delete their key, all in one commit. Changes are ordered \
        by event time, then sequence number (a late, older change never overwrites a newer \
        one). The table is created from the mapping's settings if it does not exist. Records \
        that cannot be ingested are quarantined (see --on-error); the counts are reported.

        Examples:
          lake upsert --table /data/customer --cdc changes.jsonl --mapping mapping.json
          cat changes.jsonl | lake upsert --table /data/customer --cdc - --on-error fail
        """

    /// Runs the command; `operation` is `.upsert`, or `.bulkInsert` for `lake bulk-insert --cdc`
    /// (a first load whose keys are all new).
    static func run(
        table: String, _ options: CDCInputOptions, json: Bool, operation: WriteOperation = .upsert,
        lockWaitMillis: Int64 = 0, retries: Int = 0
    ) throws {
        guard let cdc = options.cdc else { throw ValidationError("--cdc is missing") }
        if cdc != "-" { try InputFile.check(cdc) }
        var upsert = CDCUpsert(
            table: table, input: cdc == "-" ? .standardInput : .file(cdc, follow: false),
            mapping: try options.loadMapping(), onError: options.policy, operation: operation)
        upsert.lockWaitMillis = lockWaitMillis
        upsert.retries = retries
        let progress = ProgressLine(label: operation.name)
        defer { progress.finish() }
        upsert.progress = progress.writePhases(label: operation.name)
        let reading = ReadLog(source: cdc)
        let phase = "reading \(cdc == "-" ? "standard input" : cdc)"
        upsert.onRead = { records, bytes in
            reading.update(records, bytes)
            progress.update(phase: phase, count: Int64(records), noun: "change records", bytes: Int64(bytes))
        }
        let report = try CDCErrors.mapped { () throws(LakeError) in try upsert.run() }
        progress.finish()
        reading.finish()
        let out = StandardOutput.shared
        if json {
            out.buffer.append(contentsOf: (report.map(IngestReportJSON.line) ?? #"{"records_in":0}"#).utf8)
            out.buffer.append(0x0A)
        } else {
            out.buffer.append(contentsOf: ((report?.description ?? "no records: nothing committed") + "\n").utf8)
        }
        try out.flush()
    }
}

/// Change-record errors with hints that fit them (the generic hint for invalid input describes
/// canonical rows).
enum CDCErrors {
    /// The hint for a record refused under `--on-error fail`: the one error quarantine absorbs.
    static let quarantineHint =
        "with --on-error quarantine (the default) bad records go to <table>/.hoodie/lake/errors/ and the rest is committed"

    static func mapped<T>(_ body: () throws(LakeError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            switch error.code {
            case .invalidInput:
                // Only a refused record (its issue is the cause, and only --on-error fail throws
                // one) would have been set aside by quarantine; other bad input would not.
                throw CLIFailure(.dataError, error.message, hint: error.cause is IngestIssue ? quarantineHint : nil)
            case .unsupported:
                throw CLIFailure(.dataError, error.message)
            default:
                throw error
            }
        }
    }
}

/// The JSON form of a window report (one object per line).
enum IngestReportJSON {
    static func line(_ r: WindowReport) -> String {
        var fields: [String] = []
        if let c = r.commit { fields.append(#""instant":"\#(c.instant)""#) }
        fields += [
            "\"records_in\":\(r.recordsIn)", "\"upserts\":\(r.upserts)", "\"deletes\":\(r.deletes)",
            "\"errors\":\(r.errors)",
        ]
        if let c = r.commit {
            fields += [
                "\"inserted\":\(c.inserted)", "\"updated\":\(c.updated)", "\"deleted\":\(c.deleted)",
                "\"ignored\":\(c.ignored)",
                "\"files_written\":\(c.filesWritten)", "\"bytes_written\":\(c.bytesWritten)",
            ]
        }
        fields += ["\"latency_ms\":\(r.maxLatencyMillis)", "\"mean_latency_ms\":\(r.meanLatencyMillis)"]
        if let e = r.errorLog { fields.append("\"error_log\":" + quote(e)) }
        if !r.renamedAttributes.isEmpty {
            let pairs = r.renamedAttributes.keys.sorted().map { quote($0) + ":" + quote(r.renamedAttributes[$0]!) }
            fields.append("\"renamed_attributes\":{" + pairs.joined(separator: ",") + "}")
        }
        if let cp = r.checkpoint { fields.append("\"checkpoint\":" + cp.json) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// The debug log (`--verbose`) of reading a change-record input: a line at most once a second
/// while reading, and a summary at the end. (The live line on a terminal is ``ProgressLine``'s.)
final class ReadLog: @unchecked Sendable {
    let source: String
    let started = PhaseClock.now()
    private var lastShown: Int64
    private var records = 0
    private var bytes = 0

    init(source: String) {
        self.source = source
        lastShown = started
    }

    func update(_ records: Int, _ bytes: Int) {
        self.records = records
        self.bytes = bytes
        guard CLILog.logger.logLevel <= .debug else { return }
        let now = PhaseClock.now()
        guard now - lastShown >= 1000 else { return }
        lastShown = now
        CLILog.logger.debug(
            "reading \(source == "-" ? "standard input" : source): \(records) records, \(WholeInput.formatBytes(Int64(bytes)))\(rate(now))"
        )
    }

    /// Logs what was read in all (debug level).
    func finish() {
        guard records > 0 else { return }
        CLILog.logger.debug(
            "read \(records) change records, \(WholeInput.formatBytes(Int64(bytes))), from \(source) in \(PhaseClock.now() - started) ms\(rate(PhaseClock.now()))"
        )
    }

    private func rate(_ now: Int64) -> String {
        let ms = now - started
        return ms > 0 ? " (\(WholeInput.formatBytes(Int64(bytes) * 1000 / ms))/s)" : ""
    }
}
