import Logging
import Lake

#if canImport(Glibc)
import Glibc
#endif

/// The CLI's logging (swift-log, to standard error) and progress display.
///
/// `--verbose` turns on debug logging of what a command does: the table opened, the input read,
/// each phase of a write with its duration. The live progress line of long commands is
/// ``ProgressLine``'s.
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

    /// A phase observer for `WriteOptions.progress` that logs each finished phase at debug level
    /// (`--verbose`); `nil` when debug logging is off. Live progress is ``ProgressLine``'s.
    static func writeLog(label: String) -> (@Sendable (PhaseTiming) -> Void)? {
        guard logger.logLevel <= .debug else { return nil }
        return { phase in CLILog.logger.debug("\(label): \(phase.name) done in \(phase.millis) ms") }
    }
}
