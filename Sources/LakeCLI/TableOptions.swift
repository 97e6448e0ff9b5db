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
    @Option(name: .long, help: ArgumentHelp("The table's directory.", valueName: "path"))
    var table: String

    @Option(name: .long, help: ArgumentHelp("When the command writes and another writer holds the table, wait up to this long for it (30s, 500ms, 2m, or seconds); without it the command fails at once with exit code 75. Reads never wait.", valueName: "duration"))
    var wait: WaitDuration?

    @Flag(name: .long, help: "Log what the command does (table opened, input read, each phase of a write) to standard error.")
    var verbose = false

    /// Opens the table, mapping "no table here" to exit code 66, with `--wait` as its lock wait.
    func open() throws -> Table {
        CLILog.setVerbose(verbose)
        do throws(LakeError) {
            let t = try Table.open(table)
            t.lockWaitMillis = wait?.millis ?? 0
            CLILog.logger.debug("opened table \(t.config.name) at \(table): \(t.timeline.completedCommits.count) completed commits, \(t.schema?.fields.count ?? 0) columns")
            return t
        } catch {
            if error.code == .notFound {
                throw CLIFailure(.noInput, error.message, hint: "create it first with 'lake create --table \(table) --key …'")
            }
            throw error
        }
    }
}

/// A `--wait` duration: a number with an optional unit `ms`, `s`, `m` or `h` (seconds without one).
struct WaitDuration: ExpressibleByArgument, Sendable {
    /// The duration in milliseconds.
    var millis: Int64

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var number = Substring(argument), scale = 1000.0
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            number = argument.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let v = Double(number), v.isFinite, v >= 0, v * scale < 1e15 else { return nil }
        millis = Int64((v * scale).rounded())
    }
}

/// `--input FILE|-` and how to read it, shared by the write commands.
struct WriteInputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Rows to write: a JSON-lines file (one object per line, canonical value form), a Parquet file (*.parquet), or - for JSON lines on standard input.", valueName: "file|-"))
    var input: String?

    @Flag(name: .long, help: "Print the commit summary as one JSON object.")
    var json = false

    /// Reads the input into one batch, decoding JSON with the table's column types.
    func read(for table: Table) throws -> RecordBatch {
        guard let input else { throw ValidationError("--input is missing") }
        if input.hasSuffix(".parquet") {
            try InputFile.check(input)
            return try TableInput.parquet(path: input)
        }
        if input != "-" { try InputFile.check(input) }
        let bytes = try WholeInput.read(input)
        return try TableInput.jsonLines(bytes, name: input == "-" ? "stdin" : input, tableSchema: table.schema)
    }
}

/// Prints a commit summary as text or JSON.
enum CommitReport {
    static func print(_ r: CommitResult, json: Bool) throws {
        let out = StandardOutput.shared
        if json {
            var w: [UInt8] = []
            w.append(contentsOf: "{\"instant\":\"\(r.instant)\",\"operation\":\"\(r.operation.name)\",\"records_in\":\(r.recordsIn),".utf8)
            w.append(contentsOf: "\"inserted\":\(r.inserted),\"updated\":\(r.updated),\"deleted\":\(r.deleted),\"ignored\":\(r.ignored),".utf8)
            w.append(contentsOf: "\"files_written\":\(r.filesWritten),\"partitions_written\":\(r.partitionsWritten),".utf8)
            w.append(contentsOf: "\"file_groups_replaced\":\(r.fileGroupsReplaced),\"bytes_written\":\(r.bytesWritten),\"duration_ms\":\(r.durationMillis)}\n".utf8)
            out.buffer.append(contentsOf: w)
        } else {
            var line = "committed \(r.instant) \(r.operation.name): \(r.recordsIn) in, \(r.inserted) inserted, \(r.updated) updated, \(r.deleted) deleted, \(r.ignored) ignored"
            line += "; \(r.filesWritten) files (\(WholeInput.formatBytes(r.bytesWritten))) in \(r.partitionsWritten) partitions"
            if r.fileGroupsReplaced > 0 { line += ", \(r.fileGroupsReplaced) file groups replaced" }
            line += ", \(r.durationMillis) ms\n"
            out.buffer.append(contentsOf: line.utf8)
        }
        try out.flush()
    }
}

/// Reads a whole input (a file, or `-` for standard input) into memory.
enum WholeInput {
    static func read(_ path: String) throws(CLIFailure) -> [UInt8] {
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
        }
    }

    /// `1.5 MiB`-style sizes for reports.
    static func formatBytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n), u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        let tenths = Int((v * 10).rounded())
        return u == 0 ? "\(n) B" : "\(tenths / 10).\(tenths % 10) \(units[u])"
    }
}
