#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Testing
import LakeBase

@Suite(.serialized) struct SyscallTests {
    @Test func readFullyContinuesAfterShortReadsAndStopsAtTheEnd() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }  // a server spawned by another test must not hold an end
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writer = Thread { chunk in
            var i = 0
            while i < payload.count {
                let n = min(777, payload.count - i)
                _ = payload[i..<(i + n)].withUnsafeBytes { Syscall.writeAll(writeEnd, $0) }
                i += n
            }
            close(writeEnd)
        }
        writer.start()
        var got = [UInt8](repeating: 0, count: payload.count + 10)
        let n = try got.withUnsafeMutableBytes { try Syscall.readFully(readEnd, into: $0).get() }
        close(readEnd)
        writer.join()
        #expect(n == payload.count)
        #expect(Array(got[0..<n]) == payload)
    }

    /// A signal without `SA_RESTART` interrupts a blocking `read` with EINTR; the wrapper resumes it.
    @Test func interruptedReadsAreRetried() throws {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in }
        #else
        action.__sigaction_u.__sa_handler = { _ in }
        #endif
        action.sa_flags = 0
        var old = sigaction()
        #expect(sigaction(SIGUSR1, &action, &old) == 0)
        defer { sigaction(SIGUSR1, &old, nil) }

        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }  // a server spawned by another test must not hold an end
        let (readEnd, writeEnd) = (fds[0], fds[1])
        // The read runs on a thread of its own with SIGUSR1 unblocked (Dispatch's worker threads,
        // which run tests, block signals, so a signal sent to them would never interrupt anything).
        let outcome = Outcome()
        let reader = Thread { _ in
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGUSR1)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            var got = [UInt8](repeating: 0, count: 8)
            let r = got.withUnsafeMutableBytes { Syscall.readFully(readEnd, into: $0) }
            outcome.set(r.map { Array(got[0..<$0]) })
        }
        reader.start()
        for _ in 0..<5 {
            Syscall.sleep(nanoseconds: 20_000_000)
            reader.signal(SIGUSR1)
        }
        let bytes: [UInt8] = [1, 2, 3]
        _ = bytes.withUnsafeBytes { Syscall.writeAll(writeEnd, $0) }
        close(writeEnd)
        reader.join()
        close(readEnd)
        #expect(try outcome.value?.get() == [1, 2, 3])
    }

    @Test func failuresCarryErrno() {
        guard case .failure(let e) = Syscall.open("/nonexistent/lake-syscall-test", O_RDONLY) else {
            Issue.record("open of a missing file succeeded")
            return
        }
        #expect(e.code == ENOENT)
        #expect(e.description.contains("errno \(ENOENT)"))
    }
}

/// A joinable POSIX thread running one closure (Foundation's `Thread` cannot be joined).
private final class Thread: @unchecked Sendable {
    private var handle: pthread_t?
    private let body: (Int) -> Void

    init(_ body: @escaping (Int) -> Void) { self.body = body }

    func start() {
        let box = Unmanaged.passRetained(self)
        var t = pthread_t()
        pthread_create(
            &t, nil,
            { arg in
                let me = Unmanaged<Thread>.fromOpaque(arg!).takeRetainedValue()
                me.body(0)
                return nil
            }, box.toOpaque())
        handle = t
    }

    func join() {
        if let h = handle { pthread_join(h, nil) }
    }

    func signal(_ sig: Int32) {
        if let h = handle { pthread_kill(h, sig) }
    }
}

/// What the reader thread saw.
private final class Outcome: @unchecked Sendable {
    private(set) var value: Result<[UInt8], SystemError>?
    func set(_ v: Result<[UInt8], SystemError>) { value = v }
}
