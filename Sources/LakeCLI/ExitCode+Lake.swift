import ArgumentParser
import Lake

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// lake's exit codes (the BSD `sysexits.h` values):
///
/// | code | meaning |
/// |------|---------|
/// | 0  | success |
/// | 64 | usage error: bad arguments or options, unknown column, malformed `--schema` |
/// | 65 | data error: invalid input rows, a corrupt or unsupported Parquet file |
/// | 66 | input not found: a named file does not exist or is not a regular file |
/// | 69 | catalog sync failed (`--sync glue`, `lake sync`): any commit made stands; `lake sync` catches the catalog up |
/// | 74 | I/O error: reading or writing failed |
/// | 75 | conflict: the table is locked, or a concurrent write conflicted (rolled back); retry |
/// | 77 | permission denied: object storage refused the credentials (a wrong secret or key id, access denied) or none were found |
extension ExitCode {
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let noInput = ExitCode(66)
    static let catalogSync = ExitCode(69)
    static let ioError = ExitCode(74)
    static let conflict = ExitCode(75)
    static let permissionDenied = ExitCode(77)
}

/// An error to report to the user: the message, an optional hint of what to do, and the exit code.
///
/// Every library error is mapped to an exit code here, in ``init(_:)``, and nowhere else.
struct CLIFailure: Error, CustomStringConvertible {
    var exitCode: ExitCode
    var message: String
    var hint: String?

    init(_ exitCode: ExitCode, _ message: String, hint: String? = nil) {
        self.exitCode = exitCode
        self.message = message
        self.hint = hint
    }

    var description: String { message }

    /// Maps any error a command can throw to what the user sees; `nil` for ArgumentParser's own
    /// errors (usage errors, help and version requests), which it reports itself.
    init?(_ error: any Error) {
        switch error {
        case let e as CLIFailure:
            self = e
        case let e as ParquetError:
            self.init(parquet: e)
        case let e as LakeError:
            self.init(lake: e)
        default:
            return nil
        }
    }

    private init(parquet e: ParquetError) {
        switch e.code {
        case .corrupt, .truncated:
            self.init(.dataError, e.message, hint: "the file is not a valid Parquet file (damaged or truncated?)")
        case .unsupported, .codec:
            self.init(.dataError, e.message)
        case .invalidArgument:
            self.init(.usage, e.message)
        case .io:
            self.init(.ioError, e.message)
        }
    }

    private init(lake e: LakeError) {
        switch e.code {
        case .invalidInput:
            self.init(
                .dataError, e.message,
                hint:
                    "input rows are JSON objects, one per line, in the canonical form described by 'lake parquet write --help'"
            )
        case .schemaMismatch, .corruptTable, .unsupported:
            self.init(.dataError, e.message)
        case .invalidArgument:
            self.init(.usage, e.message)
        case .notFound, .outsideRetention:
            self.init(.noInput, e.message)
        case .conflict where e.writeConflict != nil:
            self.init(
                .conflict, e.message,
                hint: "another writer committed a conflicting change first; "
                    + "run the write again, or pass --retries N to re-plan it automatically")
        case .conflict:
            self.init(
                .conflict, e.message,
                hint: "another writer holds the table or changed it; retry when it is done, or pass --wait")
        case .alreadyExists:
            self.init(.usage, e.message)
        case .io:
            self.init(.ioError, e.message)
        case .accessDenied:
            self.init(
                .permissionDenied, e.message,
                hint: "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE); "
                    + "'lake describe' shows where the credentials came from")
        case .parquet:
            if let cause = e.cause as? ParquetError {
                var mapped = CLIFailure(parquet: cause)
                mapped.message = e.message
                self = mapped
            } else {
                self.init(.dataError, e.message)
            }
        }
    }

    /// Prints the error to stderr and exits with its code. ArgumentParser's errors keep their
    /// help text and exit codes (0 for `--help`, 64 for usage errors) but use lake's prefix.
    static func exit(_ error: any Error) -> Never {
        RequestReport.log()
        if let failure = CLIFailure(error) {
            var text = "lake: error: \(failure.message)\n"
            if let hint = failure.hint { text += "hint: \(hint)\n" }
            StandardError.write(text)
            terminate(failure.exitCode.rawValue)
        }
        let code = LakeCommand.exitCode(for: error)
        if code == .success {
            LakeCommand.exit(withError: error)
        }
        if code == .failure {
            // Not an ArgumentParser error: something the commands did not map (a bug), reported as I/O.
            StandardError.write("lake: error: \(error)\n")
            terminate(ExitCode.ioError.rawValue)
        }
        var text = LakeCommand.fullMessage(for: error)
        if text.hasPrefix("Error: ") { text = "lake: error: " + text.dropFirst("Error: ".count) }
        StandardError.write(text.hasSuffix("\n") ? text : text + "\n")
        terminate(code.rawValue)
    }
}

/// Terminates the process with a status.
private func terminate(_ code: Int32) -> Never {
    StandardOutput.flushShared()
    exit(code)
}
