#if canImport(Glibc)
import Glibc
#endif

/// Records how long each phase of a write took; `LAKE_PROFILE=1` prints them to standard error.
struct PhaseTimer {
    private(set) var phases: [PhaseTiming] = []
    private var last = PhaseTimer.nowMicros()
    /// Told about every finished phase (progress display).
    var observer: (@Sendable (PhaseTiming) -> Void)?
    static let enabled = getenv("LAKE_PROFILE").map { String(cString: $0) == "1" } ?? false

    mutating func mark(_ name: String) {
        let now = Self.nowMicros()
        let phase = PhaseTiming(name: name, millis: (now - last) / 1000)
        phases.append(phase)
        observer?(phase)
        last = now
    }

    func report() {
        guard Self.enabled else { return }
        let text = "lake profile: " + phases.map(\.description).joined(separator: ", ") + "\n"
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func nowMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
