#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pipeline's time: milliseconds and sleeping. Injected so tests control windows.
public protocol IngestClock: Sendable {
    /// Milliseconds since some fixed point (monotonic).
    func nowMillis() -> Int64
    /// Waits `millis` milliseconds.
    func sleep(millis: Int64)
}

/// The system's monotonic clock.
public struct SystemClock: IngestClock {
    public init() {}

    /// `CLOCK_MONOTONIC` in milliseconds.
    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Sleeps (at most 10 s per call).
    public func sleep(millis: Int64) {
        guard millis > 0 else { return }
        usleep(UInt32(min(millis, 10_000) * 1000))
    }
}
