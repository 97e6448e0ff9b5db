import Logging
import Lake

#if canImport(Glibc)
import Glibc
#endif

/// The CLI's logging (swift-log, to standard error) and progress display.
///
/// `--verbose` turns on debug logging of what a command does: the table opened, the input read,
/// each phase of a write with its duration. Progress lines (phase by phase, with counts) go to
/// standard error only when standard output is a terminal, so piped output stays clean.
enum CLILog {
    nonisolated(unsafe) static var logger: Logger = {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .trace
            return h
        }
        var l = Logger(label: "lake")
        l.logLevel = .warning
        return l
    }()

    /// Turns debug logging on.
    static func setVerbose(_ on: Bool) {
        if on { logger.logLevel = .debug }
    }

    /// Whether standard output is a terminal (progress is shown only then).
    static var interactive: Bool { isatty(1) != 0 }

    /// A phase observer for `WriteOptions.progress`: logs phases at debug level, and prints them
    /// to standard error when interactive.
    static func writeProgress(label: String) -> (@Sendable (PhaseTiming) -> Void)? {
        let show = interactive
        let verbose = logger.logLevel <= .debug
        guard show || verbose else { return nil }
        return { phase in
            if verbose { CLILog.logger.debug("\(label): \(phase.name) done in \(phase.millis) ms") }
            else if show { CLILog.progress("\(label): \(phase.name) … \(phase.millis) ms") }
        }
    }

    /// Prints one progress line to standard error.
    static func progress(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
