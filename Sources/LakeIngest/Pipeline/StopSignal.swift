#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A thread-safe stop request: the pipeline finishes its current window, commits it and returns.
/// ``installSignalHandlers(_:)`` makes SIGINT and SIGTERM request it.
public final class StopSignal: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var requested = false
    private var sources: [any DispatchSourceSignal] = []

    public init() {
        pthread_mutex_init(&mutex, nil)
    }

    deinit {
        for s in sources { s.cancel() }
        pthread_mutex_destroy(&mutex)
    }

    /// Requests a stop (idempotent).
    public func request() {
        pthread_mutex_lock(&mutex)
        requested = true
        pthread_mutex_unlock(&mutex)
    }

    /// Whether a stop was requested.
    public var isRequested: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return requested
    }

    /// Routes the given signals (default SIGINT and SIGTERM) to ``request()`` instead of their
    /// default action, for as long as this object lives.
    public func installSignalHandlers(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in self?.request() }
            s.resume()
            sources.append(s)
        }
    }
}

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

    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func sleep(millis: Int64) {
        guard millis > 0 else { return }
        usleep(UInt32(min(millis, 10_000) * 1000))
    }
}
