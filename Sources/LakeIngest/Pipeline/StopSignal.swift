#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A thread-safe stop request: the pipeline finishes its current window, commits it and returns.
/// ``installSignalHandlers(_:)`` makes SIGINT and SIGTERM request it; a second signal ends the
/// process at once (exit status 128 + the signal), which loses nothing committed — the next run
/// resumes after the last commit.
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
    /// default action, for as long as this object lives. A signal arriving after a stop was
    /// requested exits the process immediately.
    public func installSignalHandlers(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in
                guard let self else { return }
                if self.isRequested { _exit(128 + sig) }
                self.request()
            }
            s.resume()
            sources.append(s)
        }
    }
}
