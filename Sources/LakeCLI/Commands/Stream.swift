import ArgumentParser
import Lake

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LakeCommand {
    /// `lake stream --table PATH --source SRC [--mapping FILE] [--window 100s] [--max-records N]
    /// [--max-bytes B] [--on-error …]`
    struct Stream: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stream",
            abstract: "Ingest DynamoDB change records continuously, one commit per window.",
            discussion: """
                Reads change records (JSON lines, DynamoDB Streams or Kinesis shape) from a file \
                that keeps growing, a directory whose files are read in name order as they \
                appear, standard input (-), a Kinesis data stream (kinesis://STREAM) or a \
                DynamoDB table's stream (dynamodb://TABLE), and commits them in windows: a window opens at \
                its first record and closes after --window, or at --max-records / --max-bytes, \
                whichever comes first. Each commit stores the source position of its last \
                record; a restart (after Ctrl-C, SIGTERM or a crash) resumes right after the \
                last committed record, so every record is committed exactly once. Streams are \
                read shard by shard concurrently, a child shard after its parents; the commit \
                stores each shard's last sequence number, and a checkpoint older than the \
                stream's retention stops the stream (saying how many hours are missing) unless \
                --accept-data-loss is given. AWS settings come from the environment and \
                ~/.aws (AWS_REGION, AWS_ENDPOINT_URL_KINESIS, …; see docs/aws.md). SIGINT and \
                SIGTERM commit the current window and stop; a second signal exits at once (the \
                next run resumes after the last commit). One line per commit reports records \
                in, upserts, deletes, errors, files written and ingest-to-commit latency; for \
                a stream, a line per window on standard error adds bytes in, each shard's lag \
                and the latency from each record's arrival (p50, p99, max), also stored in the \
                commit's metadata (lake.stream.*). With --sync glue each commit is followed by \
                a sync of the AWS Glue Data Catalog; a failed sync is reported and caught up \
                by the next one (if the last one still fails, the stream exits 69). With \
                --metrics-port N the same figures are served for Prometheus at \
                http://127.0.0.1:N/metrics (see docs/operations.md).

                Examples:
                  lake stream --table /data/customer --source changes.jsonl --mapping mapping.json --window 100s
                  lake stream --table /data/customer --source /incoming/ --max-records 50000
                  producer | lake stream --table /data/customer --source - --window 10s
                  lake stream --table /data/customer --source kinesis://customer-changes --start latest --window 100s
                  lake stream --table /data/customer --source dynamodb://customers --mapping mapping.json
                  lake stream --table /data/orders --source kinesis://orders --format rows --mapping orders.json
                  lake stream --table s3://lake/customers --source dynamodb://customers --sync glue --sync-database crm
                  lake stream --table /data/customer --source kinesis://customer-changes --metrics-port 9464
                """
        )

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The table's directory (created from the mapping's settings if missing).", valueName: "path"))
        var table: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A JSON-lines file (tailed as it grows), a directory of such files, - for standard input, kinesis://STREAM or dynamodb://TABLE.",
                valueName: "file|dir|-|kinesis://STREAM|dynamodb://TABLE"))
        var source: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A mapping file (JSON); without it, columns are inferred from the NewImage attribute types.",
                valueName: "file"))
        var mapping: String?

        @Option(
            name: .long, parsing: .unconditional,
            help: ArgumentHelp(
                "Window length: 100s, 500ms, 2m, 1h (a bare number is seconds; more than 0).", valueName: "duration"))
        var window: String = "100s"

        @Option(
            name: .customLong("max-records"), parsing: .unconditional,
            help: ArgumentHelp("Commit once a window holds this many records.", valueName: "n"))
        var maxRecords: Int?

        @Option(
            name: .customLong("max-bytes"), parsing: .unconditional,
            help: ArgumentHelp(
                "Commit once a window holds this much input: 64KiB, 256MiB, 1GiB (default 256MiB).", valueName: "bytes")
        )
        var maxBytes: String?

        @Option(
            name: .customLong("on-error"),
            help: ArgumentHelp(
                "quarantine (default): write bad records to <table>/.hoodie/lake/errors/ and go on; fail: stop without committing the window.",
                valueName: "quarantine|fail"))
        var onError: String = ErrorPolicy.quarantine.rawValue

        @Option(
            name: .long, parsing: .unconditional,
            help: ArgumentHelp(
                "How long a commit waits for another writer holding the table (e.g. a 'lake clean'): 30s, 500ms, 2m, 0 for not at all (default 60s).",
                valueName: "duration"))
        var wait: String = "60s"

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Streams, first run only: trim-horizon (the oldest record kept, default), latest (only new records), or at-timestamp:T (T ISO 8601 or epoch seconds). Later runs resume after the table's checkpoint.",
                valueName: "position"))
        var start: String = "trim-horizon"

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Kinesis: what a record's data holds — dynamodb (a DynamoDB change record, as DynamoDB's Kinesis destination writes, default) or rows (a plain JSON object, upserted; the mapping names the record key).",
                valueName: "dynamodb|rows"))
        var format: String = StreamPayloadFormat.dynamodb.rawValue

        @Flag(
            name: .customLong("accept-data-loss"),
            help:
                "Streams: when the checkpoint is older than the stream's retention, continue from the oldest record still kept instead of stopping."
        )
        var acceptDataLoss = false

        @Flag(
            name: .customLong("no-follow"),
            help: "Stop at the end of the input instead of waiting for more (files and directories).")
        var noFollow = false

        @Flag(name: .long, help: "Print one JSON object per commit instead of a text line.")
        var json = false

        @OptionGroup var catalog: CatalogSyncOptions

        @Option(
            name: .customLong("metrics-port"),
            help: ArgumentHelp(
                "Serve the stream's metrics in the Prometheus text format at http://ADDRESS:N/metrics (records, bytes, refused records, commits, conflicts, iterator age per shard, commit duration histogram, ingest-to-commit latency).",
                valueName: "n"))
        var metricsPort: Int?

        @Option(
            name: .customLong("metrics-address"),
            help: ArgumentHelp(
                "The IPv4 address the metrics endpoint listens on (default 127.0.0.1).", valueName: "address"))
        var metricsAddress: String = "127.0.0.1"

        @Flag(name: .long, help: "Log what the stream does (its settings, each commit's phases) to standard error.")
        var verbose = false

        func validate() throws {
            try TableLocationArgument.check(table)
            let w = try Self.parse("--window", window, TimeSpan.init(parsing:))
            guard w.millis > 0 else {
                throw ValidationError(
                    "--window must be longer than 0: a window closes that long after its first record, "
                        + "so 0 would commit every read separately (for a commit per record use --max-records 1)")
            }
            if let b = maxBytes, try Self.parse("--max-bytes", b, ByteSize.init(parsing:)).bytes < 1 {
                throw ValidationError("--max-bytes must be at least 1 byte, not '\(b)'")
            }
            if let n = maxRecords, n < 1 { throw ValidationError("--max-records must be at least 1, not \(n)") }
            guard ErrorPolicy(rawValue: onError) != nil else {
                throw ValidationError("--on-error must be quarantine or fail, not '\(onError)'")
            }
            _ = try Self.parse("--wait", wait, TimeSpan.init(parsing:))
            _ = try Self.parse("--start", start, StreamStart.init(parsing:))
            guard let f = StreamPayloadFormat(rawValue: format) else {
                throw ValidationError("--format must be dynamodb or rows, not '\(format)'")
            }
            if let p = metricsPort, !(0...65535).contains(p) {
                throw ValidationError("--metrics-port must be a port number from 0 to 65535, not \(p)")
            }
            if f == .rows && !source.hasPrefix("kinesis://") {
                throw ValidationError("--format rows applies to kinesis:// sources only, not '\(source)'")
            }
        }

        /// The source to read: a stream location or a file, directory or standard input.
        func sourceSpec() throws -> SourceSpec {
            var streamOptions = StreamSourceOptions()
            streamOptions.start = try StreamStart(parsing: start)
            streamOptions.acceptDataLoss = acceptDataLoss
            if let s = SourceSpec(
                streamURL: source, format: StreamPayloadFormat(rawValue: format)!, options: streamOptions)
            {
                return s
            }
            if source != "-" && !FileBytesCheck.exists(source) {
                throw CLIFailure(.noInput, "source '\(source)' does not exist")
            }
            return SourceSpec(parsing: source, follow: !noFollow)
        }

        /// `text` parsed by `parse`, or a usage error naming the option.
        static func parse<T>(_ option: String, _ text: String, _ parse: (String) throws(LakeError) -> T) throws -> T {
            do throws(LakeError) {
                return try parse(text)
            } catch {
                throw ValidationError("\(option): \(error.message)")
            }
        }

        func run() throws {
            CLILog.setVerbose(verbose)
            let spec = try sourceSpec()
            var mappingValue = IngestMapping.inferred
            if let m = mapping {
                try InputFile.check(m)
                mappingValue = try IngestMapping.load(path: m)
            }
            var options = PipelineOptions()
            options.windowMillis = try TimeSpan(parsing: window).millis
            options.maxRecords = maxRecords
            if let b = maxBytes { options.maxBytes = Int(try ByteSize(parsing: b).bytes) }
            options.onError = ErrorPolicy(rawValue: onError)!
            let sink = try TableSink(path: table, settings: mappingValue.table)
            sink.lockWaitMillis = try TimeSpan(parsing: wait).millis
            if verbose {
                sink.progress = CLILog.writeLog(label: "commit")
                CLILog.logger.debug(
                    "stream into \(table) from \(source): window \(window), max records \(maxRecords.map(String.init) ?? "none"), max bytes \(maxBytes ?? "256M")"
                )
            }
            let metrics = StreamMetrics()
            if let port = metricsPort {
                let endpoint = try MetricsEndpoint(address: metricsAddress, port: port) { metrics.exposition() }
                StandardError.write("lake stream: metrics at http://\(endpoint.address):\(endpoint.port)/metrics\n")
            }
            let stop = StopSignal()
            stop.installSignalHandlers()
            let pipeline = MicroBatchPipeline(
                source: spec, sink: sink, mapping: mappingValue, options: options, stop: stop)
            if verbose {
                pipeline.onRead = { records, bytes in
                    CLILog.logger.debug("read: \(records) records, \(bytes) bytes in the open window")
                }
            }
            let out = StandardOutput.shared
            let json = self.json
            let catalogSync = StreamCatalogSync(options: catalog, path: table)
            let summary = try CDCErrors.mapped { () throws(LakeError) in
                let input = try spec.open()
                if let streamInput = input as? StreamSource {
                    streamInput.onWarning = { StandardError.write("lake stream: warning: \($0)\n") }
                }
                defer { (input as? StreamSource)?.close() }
                return try pipeline.run(input) { report in
                    let line = json ? IngestReportJSON.line(report) : report.description
                    out.buffer.append(contentsOf: (line + "\n").utf8)
                    try? out.flush()
                    metrics.record(report)
                    if let w = report.stream { StandardError.write(w.description + "\n") }
                    catalogSync.afterCommit()
                }
            }
            var tail =
                "stopped (\(summary.stopReason.rawValue)): \(summary.commits) commits, \(summary.recordsIn) records, \(summary.errors) errors"
            if !summary.renamedAttributes.isEmpty {
                tail += ", \(summary.renamedAttributes.count) attribute names renamed"
            }
            if let cp = summary.resumedFrom { tail += "; resumed after \(cp)" }
            StandardError.write(tail + "\n")
            try catalogSync.finish()
        }
    }
}

/// Whether a path exists (file or directory).
enum FileBytesCheck {
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }
}
