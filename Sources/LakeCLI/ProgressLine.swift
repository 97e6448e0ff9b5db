import Dispatch
import Lake
import LakeBase
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The live progress line of a long command (`lake upsert`, `lake delete`, `lake clean`, …): on
/// standard error, redrawn in place, saying what the command is doing and how far it got —
///
///     upsert: write groups · 1,000,000 records · 97.0 MiB · 5.2 s · 192,000 records/s
///
/// It is shown only when standard error is a terminal (and `TERM` is not `dumb`), and not with
/// `--verbose`, whose log lines say the same; piped or redirected output stays free of it. The
/// line is redrawn when the phase changes, and otherwise at most four times a second — on
/// updates, and by a timer so the elapsed time moves during a long phase — and erased when the
/// command ends, so the command's report
/// starts on a clean line. One reporter serves every command: callers set the phase and the
/// counts as they learn them. (Sendable: the state is behind a mutex; the timer is only
/// cancelled, which Dispatch allows from any thread.)
final class ProgressLine: @unchecked Sendable {
    /// Whether progress lines are shown in this process.
    static var isEnabled: Bool {
        guard isatty(2) != 0, CLILog.logger.logLevel > .debug else { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    private struct State {
        var phase = ""
        var count: Int64?
        var noun = "records"
        var bytes: Int64?
        var lastDraw: Int64 = -1_000
        var drawn = false
        var finished = false
    }

    private let label: String
    private let started = PhaseClock.now()
    private let state = Mutex(State())
    private let timer: (any DispatchSourceTimer)?

    /// A progress line for a command (`label`, e.g. `upsert`); inert unless ``isEnabled``.
    init(label: String, enabled: Bool = ProgressLine.isEnabled) {
        self.label = label
        guard enabled else {
            timer = nil
            state.withLock { $0.finished = true }
            return
        }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "lake.progress"))
        timer = t
        t.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        t.setEventHandler { [weak self] in self?.draw(force: false) }
        t.resume()
    }

    deinit { timer?.cancel() }

    /// Sets what the command is doing now and how much it has done; `nil` keeps a value.
    /// - Parameters:
    ///   - phase: the current step (`reading changes.jsonl`, `write groups`, `deleting`).
    ///   - count: items done or in hand (records, files), counted as `noun`.
    ///   - bytes: bytes read, written or freed.
    func update(phase: String? = nil, count: Int64? = nil, noun: String? = nil, bytes: Int64? = nil) {
        let (changed, newPhase) = state.withLock { s -> (Bool, Bool) in
            guard !s.finished else { return (false, false) }
            let newPhase = phase != nil && phase != s.phase
            if let phase { s.phase = phase }
            if let count { s.count = count }
            if let noun { s.noun = noun }
            if let bytes { s.bytes = bytes }
            return (true, newPhase)
        }
        // A new phase shows at once (phases are few); counts at most four times a second.
        if changed { draw(force: newPhase) }
    }

    /// A `WriteOptions.progress` observer: each finished phase of a write moves the line to the
    /// phase that follows it, and is logged at debug level (`--verbose`).
    func writePhases(label: String) -> @Sendable (PhaseTiming) -> Void {
        { [self] phase in
            CLILog.logger.debug("\(label): \(phase.name) done in \(phase.millis) ms")
            update(phase: Self.phase(after: phase.name))
        }
    }

    /// The write phases in the order a write runs them (`PhaseTiming.name`), then the services.
    static let writePhases = [
        "list", "prepare", "index load", "plan", "begin", "write groups", "index persist", "commit",
    ]

    /// The phase a write is in once `finished` is done.
    static func phase(after finished: String) -> String {
        guard let i = writePhases.firstIndex(of: finished) else { return finished }
        return i + 1 < writePhases.count ? writePhases[i + 1] : "clean and archive"
    }

    /// Erases the line (if one was drawn) and stops updating it.
    func finish() {
        timer?.cancel()
        let erase = state.withLock { s -> Bool in
            defer { s.finished = true }
            return !s.finished && s.drawn
        }
        if erase { Self.emit("\r\u{1B}[K") }
    }

    private func draw(force: Bool) {
        let now = PhaseClock.now()
        let text: String? = state.withLock { s in
            guard !s.finished, force || now - s.lastDraw >= 250 else { return nil }
            s.lastDraw = now
            s.drawn = true
            return render(s, elapsedMillis: now - started)
        }
        if let text { Self.emit("\r" + text + "\u{1B}[K") }
    }

    private func render(_ s: State, elapsedMillis: Int64) -> String {
        var parts = ["\(label): \(s.phase.isEmpty ? "starting" : s.phase)"]
        if let n = s.count { parts.append("\(Self.grouped(n)) \(s.noun)") }
        if let b = s.bytes { parts.append(ByteSize.format(b)) }
        parts.append("\(elapsedMillis / 1000).\(elapsedMillis % 1000 / 100) s")
        if elapsedMillis >= 500 {
            var rates: [String] = []
            if let n = s.count, n > 0 { rates.append("\(Self.grouped(n * 1000 / elapsedMillis)) \(s.noun)/s") }
            if let b = s.bytes, b > 0 { rates.append("\(ByteSize.format(b * 1000 / elapsedMillis))/s") }
            if !rates.isEmpty { parts.append(rates.joined(separator: ", ")) }
        }
        return parts.joined(separator: " · ")
    }

    /// `1,234,567`.
    static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    private static func emit(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Syscall.writeAll(2, $0) }  // progress is best effort: a failed write is dropped
    }
}
