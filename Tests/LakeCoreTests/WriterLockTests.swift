import Foundation
import Synchronization
import Testing
@testable import LakeCore
import LakeTestSupport

@Suite struct WriterLockTests {
    func storage() -> (TemporaryDirectory, LocalStorage) {
        let dir = TemporaryDirectory()
        return (dir, LocalStorage(root: dir.path))
    }

    func lockContent(pid: Int32, host: String = WriterLock.hostName(), start: UInt64? = nil) -> [UInt8] {
        Array("pid=\(pid)\nhost=\(host)\nstart=\(start.map(String.init) ?? "")\nsince=1735689600000\ntoken=t\n".utf8)
    }

    /// A child process (`sleep 60`) that lives until ``Child/kill()``.
    final class Child {
        let pid: pid_t
        private var reaped = false

        init(_ argv: [String]) throws {
            var pid: pid_t = 0
            var cargs = argv.map { strdup($0) } + [nil]
            defer { for a in cargs { free(a) } }
            let rc = posix_spawn(&pid, argv[0], nil, nil, &cargs, environ)
            guard rc == 0 else { throw LakeError(.io, "posix_spawn \(argv[0]): \(rc)") }
            self.pid = pid
        }

        /// Kills (SIGKILL) and reaps the child.
        func kill() {
            guard !reaped else { return }
            _ = Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            reaped = true
        }

        deinit { kill() }
    }

    func sleeper() throws -> Child { try Child(["/bin/sleep", "60"]) }

    /// The pid of a process that has exited (and been reaped).
    func deadPid() throws -> Int32 {
        let c = try Child(["/bin/true"])
        c.kill()
        return c.pid
    }

    @Test func oneWriterAtATime() throws {
        let (_, s) = storage()
        let lock = try WriterLock.acquire(s)
        let e = #expect(throws: LakeError.self) { try WriterLock.acquire(s) }
        #expect(e?.code == .conflict)
        #expect(e?.message.contains("pid \(getpid()) on host \(WriterLock.hostName())") == true)
        lock.release()
        #expect(try !s.exists(WriterLock.path))
        try WriterLock.acquire(s).release()
    }

    @Test func theContentNamesTheOwner() throws {
        let (_, s) = storage()
        let lock = try WriterLock.acquire(s)
        defer { lock.release() }
        let owner = WriterLock.Owner(content: try s.read(WriterLock.path))
        #expect(
            owner.pid == getpid() && owner.host == WriterLock.hostName() && owner.token != nil
                && owner.sinceMillis != nil)
        #expect(owner.startTicks == WriterLock.processStartTicks(getpid()))
    }

    @Test func aSecondWriterWaitsForTheFirst() throws {
        let (_, s) = storage()
        let lock = try WriterLock.acquire(s)
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            usleep(150_000)
            lock.release()
            released.signal()
        }
        let second = try WriterLock.acquire(s, timeoutMillis: 60_000)
        second.release()
        released.wait()
    }

    @Test func aLockOfAProcessThatIsGoneIsTakenOver() throws {
        let (_, s) = storage()
        try s.write(WriterLock.path, lockContent(pid: try deadPid()))
        let lock = try WriterLock.acquire(s)
        #expect(WriterLock.Owner(content: try s.read(WriterLock.path)).pid == getpid())
        lock.release()
    }

    @Test func aLiveOwnerBlocksUntilItDies() throws {
        let (_, s) = storage()
        let child = try sleeper()
        try s.write(WriterLock.path, lockContent(pid: child.pid, start: WriterLock.processStartTicks(child.pid)))
        let e = #expect(throws: LakeError.self) { try WriterLock.acquire(s) }
        #expect(e?.code == .conflict && e?.message.contains("pid \(child.pid)") == true)
        child.kill()
        try WriterLock.acquire(s, timeoutMillis: 10_000).release()
    }

    @Test func aReusedPidDoesNotHoldTheLock() throws {
        let (_, s) = storage()
        let child = try sleeper()
        // The pid is alive, but it started at another time than the lock's owner did.
        let actual = try #require(WriterLock.processStartTicks(child.pid))
        try s.write(WriterLock.path, lockContent(pid: child.pid, start: actual + 1))
        try WriterLock.acquire(s).release()
        // Also our own pid, recorded by an earlier process that had it.
        try s.write(WriterLock.path, lockContent(pid: getpid(), start: WriterLock.processStartTicks(getpid())! + 1))
        try WriterLock.acquire(s).release()
    }

    @Test func anUnreadableLockIsStaleOnlyWhenOld() throws {
        let (dir, s) = storage()
        for content in [[], Array("garbage\u{0}\u{1}".utf8), Array("pid=12\n".utf8)] as [[UInt8]] {
            try s.write(WriterLock.path, content)
            let e = #expect(throws: LakeError.self) { try WriterLock.acquire(s) }
            #expect(e?.code == .conflict && e?.message.contains("unreadable lock file") == true)
            // Ten minutes old: left by a crash.
            var times = [timeval(tv_sec: time(nil) - 600, tv_usec: 0), timeval(tv_sec: time(nil) - 600, tv_usec: 0)]
            #expect(utimes(dir.path + "/" + WriterLock.path, &times) == 0)
            try WriterLock.acquire(s).release()
        }
    }

    @Test func aLockOfAnotherHostIsNeverTakenOver() throws {
        let (_, s) = storage()
        try s.write(WriterLock.path, lockContent(pid: try deadPid(), host: "elsewhere.example"))
        let e = #expect(throws: LakeError.self) { try WriterLock.acquire(s) }
        #expect(e?.code == .conflict)
        #expect(e?.message.contains("host elsewhere.example") == true && e?.message.contains("remove") == true)
    }

    /// Sets the modification time of the lock file `seconds` into the past.
    func age(_ dir: TemporaryDirectory, seconds: Int) {
        var times = [
            timeval(tv_sec: time(nil) - seconds, tv_usec: 0), timeval(tv_sec: time(nil) - seconds, tv_usec: 0),
        ]
        #expect(utimes(dir.path + "/" + WriterLock.path, &times) == 0)
    }

    func modifiedMillis(_ s: LocalStorage) throws -> Int64 {
        try #require(try s.list(".hoodie/lake").first { $0.name == "writer.lock" }).modifiedMillis
    }

    @Test func aLockOfAnotherHostIsTakenOverOnceItsLeaseExpired() throws {
        let (dir, s) = storage()
        let lease = WriterLock.Lease(renewMillis: 1000, expiryMillis: 5000)
        try s.write(WriterLock.path, lockContent(pid: 4242, host: "elsewhere.example"))
        // Renewed just now: refused, saying when it would be taken over.
        let e = #expect(throws: LakeError.self) { try WriterLock.acquire(s, lease: lease) }
        #expect(e?.code == .conflict)
        #expect(e?.message.contains("host elsewhere.example") == true)
        #expect(e?.message.contains("not renewed it for 5000 ms") == true)
        // Not renewed for longer than the expiry: its writer died; taken over without a hand.
        age(dir, seconds: 60)
        let lock = try WriterLock.acquire(s, lease: lease)
        #expect(WriterLock.Owner(content: try s.read(WriterLock.path)).pid == getpid())
        lock.release()
        #expect(try !s.exists(WriterLock.path))
    }

    @Test func aLiveProcessOfThisHostKeepsItsLockWhateverItsAge() throws {
        let (dir, s) = storage()
        let child = try sleeper()
        try s.write(WriterLock.path, lockContent(pid: child.pid, start: WriterLock.processStartTicks(child.pid)))
        age(dir, seconds: 3600)
        let e = #expect(throws: LakeError.self) {
            try WriterLock.acquire(s, lease: WriterLock.Lease(renewMillis: 100, expiryMillis: 1000))
        }
        #expect(e?.code == .conflict)
    }

    @Test func aHeldLockIsRenewedUntilReleasedOrTakenOver() throws {
        let (dir, s) = storage()
        let lock = try WriterLock.acquire(s, lease: WriterLock.Lease(renewMillis: 20, expiryMillis: 100))
        let content = try s.read(WriterLock.path)
        age(dir, seconds: 3600)
        let deadline = InstantTime.systemNowMillis() + 30_000
        while try InstantTime.systemNowMillis() - modifiedMillis(s) > 60_000 {
            try #require(InstantTime.systemNowMillis() < deadline, "the lock was never renewed")
            WriterLock.sleepMillis(10)
        }
        #expect(try s.read(WriterLock.path) == content)
        // Taken over (another writer's lock now): the renewal stops and never writes over it.
        let other = lockContent(pid: 4242, host: "elsewhere.example")
        // (A renewal already between its read and its write lands after ours — the window every
        // lease without a conditional write has, wide here with renewals every 20 ms and slow
        // fsyncs; written again, a renewal that reads the other lock stops for good.)
        var stable = false
        for _ in 0..<20 where !stable {
            try s.write(WriterLock.path, other)
            WriterLock.sleepMillis(200)
            stable = try s.read(WriterLock.path) == other
        }
        #expect(stable, "the renewal kept writing over another writer's lock")
        WriterLock.sleepMillis(200)
        #expect(try s.read(WriterLock.path) == other)
        lock.release()
        #expect(try s.read(WriterLock.path) == other)
    }

    @Test func releaseLeavesALockThatIsNoLongerOurs() throws {
        let (_, s) = storage()
        let lock = try WriterLock.acquire(s)
        let other = lockContent(pid: 1)
        try s.write(WriterLock.path, other)
        lock.release()
        #expect(try s.read(WriterLock.path) == other)
    }

    @Test func racingWritersOverAStaleLockGetItOneAtATime() throws {
        for _ in 0..<5 {
            let (_, s) = storage()
            try s.write(WriterLock.path, lockContent(pid: try deadPid()))
            let winners = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                if (try? WriterLock.acquire(s)) != nil { winners.withLock { $0 += 1 } }
            }
            // Every winner is this process, whose lock is live: exactly one can have it.
            #expect(winners.withLock { $0 } == 1)
        }
    }

    @Test func readersNeverBlock() throws {
        let f = try FailureFixture()
        try f.upsert("a", count: 6, ts: 1)
        let child = try sleeper()
        try f.table.storage.write(WriterLock.path, lockContent(pid: child.pid))
        try f.check()
        #expect(try Table.open(f.table.path).savepoints().isEmpty)
        let e = #expect(throws: LakeError.self) { try f.upsert("b", count: 1, ts: 2) }
        #expect(e?.code == .conflict)
        f.table.lockWaitMillis = 100
        let waited = #expect(throws: LakeError.self) { try f.upsert("b", count: 1, ts: 2) }
        #expect(waited?.message.contains("waited 100 ms") == true)
    }
}
