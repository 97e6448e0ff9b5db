import ArgumentParser
import Lake

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// `--table PATH`, shared by every table command.
struct TableOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The table's directory, or s3://bucket/prefix (AWS settings from the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3).",
            valueName: "path|s3-url"))
    var table: String

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "When the command writes and another writer holds the table, wait up to this long for it (30s, 500ms, 2m, or seconds); without it the command fails at once with exit code 75. Reads never wait.",
            valueName: "duration"))
    var wait: TimeSpan?

    @Flag(
        name: .long,
        help:
            "Log what the command does (table opened, input read, each phase of a write; on S3, the requests made by kind and the bytes moved) to standard error."
    )
    var verbose = false

    func validate() throws {
        try TableLocationArgument.check(table)
    }

    /// Opens the table, mapping "no table here" to exit code 66, with `--wait` as its lock wait.
    func open() throws -> Table {
        CLILog.setVerbose(verbose)
        do throws(LakeError) {
            let t = try Table.open(table)
            RequestReport.track(t.storage)
            t.lockWaitMillis = wait?.millis ?? 0
            t.noticeHandler = { StandardError.write("lake: warning: \($0.message)\n") }
            CLILog.logger.debug(
                "opened table \(t.config.name) at \(table): \(t.timeline.completedCommits.count) completed commits, \(t.schema?.fields.count ?? 0) columns"
            )
            return t
        } catch {
            if error.code == .notFound {
                throw CLIFailure(
                    .noInput, error.message, hint: "create it first with 'lake create --table \(table) --key …'")
            }
            throw error
        }
    }
}

/// The check of a `--table` value: one rule for every command (``TableLocation``), so that
/// `s3://…` is refused before anything touches the file system.
enum TableLocationArgument {
    static func check(_ table: String) throws {
        do throws(LakeError) {
            _ = try TableLocation(parsing: table)
        } catch {
            throw ValidationError("--table: " + error.message)
        }
    }
}

/// `--input FILE|-` and how to read it, shared by the write commands.
struct WriteInputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Rows to write: a JSON-lines file (one object per line, canonical value form), a Parquet file (*.parquet), either also as s3://bucket/key, or - for JSON lines on standard input.",
            valueName: "file|-"))
    var input: String?

    @Flag(name: .long, help: "Print the commit summary as one JSON object.")
    var json = false

    /// Reads the input into one batch, decoding JSON with the table's column types, telling
    /// `progress` the bytes read and the phase.
    func read(for table: Table, progress: ProgressLine? = nil) throws -> RecordBatch {
        guard let input else { throw ValidationError("--input is missing") }
        let shown = input == "-" ? "standard input" : input
        if S3Input.isS3(input) {
            progress?.update(phase: "reading \(shown)")
            let bytes = try S3Input.read(input)
            if input.hasSuffix(".parquet") { return try TableInput.parquet(bytes: bytes, name: input) }
            progress?.update(phase: "decoding \(shown)")
            return try TableInput.jsonLines(bytes, name: input, tableSchema: table.schema)
        }
        if input.hasSuffix(".parquet") {
            try InputFile.check(input)
            progress?.update(phase: "reading \(shown)")
            return try TableInput.parquet(path: input)
        }
        if input != "-" { try InputFile.check(input) }
        progress?.update(phase: "reading \(shown)", bytes: 0)
        let bytes = try WholeInput.read(input) { progress?.update(bytes: $0) }
        progress?.update(phase: "decoding \(shown)")
        return try TableInput.jsonLines(bytes, name: input == "-" ? "stdin" : input, tableSchema: table.schema)
    }
}

/// Prints a commit summary as text or JSON.
enum CommitReport {
    static func print(_ r: CommitResult, json: Bool) throws {
        let out = StandardOutput.shared
        if json {
            var w: [UInt8] = []
            w.append(
                contentsOf:
                    "{\"instant\":\"\(r.instant)\",\"operation\":\"\(r.operation.name)\",\"records_in\":\(r.recordsIn),"
                    .utf8)
            w.append(
                contentsOf:
                    "\"inserted\":\(r.inserted),\"updated\":\(r.updated),\"deleted\":\(r.deleted),\"ignored\":\(r.ignored),"
                    .utf8)
            w.append(
                contentsOf: "\"files_written\":\(r.filesWritten),\"partitions_written\":\(r.partitionsWritten),".utf8)
            w.append(
                contentsOf:
                    "\"file_groups_replaced\":\(r.fileGroupsReplaced),\"bytes_written\":\(r.bytesWritten),\"duration_ms\":\(r.durationMillis)}\n"
                    .utf8)
            out.buffer.append(contentsOf: w)
        } else {
            var line =
                "committed \(r.instant) \(r.operation.name): \(r.recordsIn) in, \(r.inserted) inserted, \(r.updated) updated, \(r.deleted) deleted, \(r.ignored) ignored"
            line +=
                "; \(r.filesWritten) files (\(WholeInput.formatBytes(r.bytesWritten))) in \(r.partitionsWritten) partitions"
            if r.fileGroupsReplaced > 0 { line += ", \(r.fileGroupsReplaced) file groups replaced" }
            line += ", \(r.durationMillis) ms\n"
            out.buffer.append(contentsOf: line.utf8)
        }
        try out.flush()
    }
}

/// Reads a whole input (a file, or `-` for standard input) into memory.
enum WholeInput {
    static func read(_ path: String, progress: ((Int64) -> Void)? = nil) throws(CLIFailure) -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIFailure(.ioError, "cannot open '\(path)': \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n: Int
            switch chunk.withUnsafeMutableBytes({ Syscall.readSome(fd, into: $0) }) {
            case .success(let k): n = k
            case .failure(let e): throw CLIFailure(.ioError, "cannot read '\(path)': \(e.text)")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            progress?(Int64(bytes.count))
        }
    }

    /// `1.5 MiB`-style sizes for reports.
    static func formatBytes(_ n: Int64) -> String { ByteSize.format(n) }
}

/// `--retries N`, shared by the write commands.
struct WriteRetryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Under optimistic concurrency (--set hoodie.write.concurrency.mode=OPTIMISTIC_CONCURRENCY_CONTROL at create): when another writer commits a conflicting change first, re-plan from the new snapshot and try again, up to this many times; without it (or when they run out) the write is rolled back and fails with exit code 75 naming the commit it conflicted with.",
            valueName: "n"))
    var retries: Int = 0

    func validate() throws {
        if retries < 0 { throw ValidationError("--retries must be 0 or more, not \(retries)") }
    }
}
