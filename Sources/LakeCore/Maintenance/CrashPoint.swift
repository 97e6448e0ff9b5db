#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import LakeBase

/// Named points in the commit, rollback, restore and savepoint protocols where a test can make
/// the process die, to prove that every intermediate state on disk is recoverable.
///
/// The only switch is the environment variable `LAKE_CRASH_AT`, read once per process:
///
/// * `LAKE_CRASH_AT=<point>`: the process sends itself `SIGKILL` the first time it reaches
///   `<point>` — no cleanup, no buffered output, exactly like a power cut of that process
///   (files already `fsync`ed stay, nothing else happens).
/// * `LAKE_CRASH_AT=<point>:pause=<ms>`: the process sleeps `<ms>` milliseconds there instead
///   (holding the writer lock), so a test can run a second writer or a reader meanwhile; it
///   prints `lake: LAKE_CRASH_AT: pausing at <point> for <ms> ms` to standard error first.
///
/// Unset (the normal case) a point costs one comparison of a cached value. Points are named
/// `<protocol>-<step just finished>`; the list is in docs/tables.md ("Failure and recovery"):
/// `commit-requested`, `commit-inflight`, `commit-file` (a base file streamed to the storage, not
/// yet published under its name), `commit-data`, `commit-index`, `commit-locked` (an optimistic
/// write holds the writer lock for its conflict check), `commit-completed`,
/// `recovery-start` (a writer found something to roll back or finish), `rollback-requested`, `rollback-inflight`, `rollback-unpublished`, `rollback-data`,
/// `rollback-index`, `rollback-instants`, `rollback-completed`, `restore-requested`,
/// `restore-inflight`, `restore-undone` (after each removed commit), `restore-savepoints`,
/// `restore-completed`, `savepoint-inflight`.
///
/// In-process tests cannot kill themselves; they use ``simulate(_:at:)``, which makes the point
/// throw for one table root only (so parallel tests do not interfere).
enum CrashPoint {
    /// What `LAKE_CRASH_AT` asks for: the point, and a pause in milliseconds (nil: kill).
    static let configured: (point: String, pauseMillis: Int64?)? = {
        guard let raw = getenv("LAKE_CRASH_AT") else { return nil }
        let text = String(cString: raw)
        guard !text.isEmpty else { return nil }
        if let colon = text.firstIndex(of: ":") {
            let point = String(text[..<colon])
            let option = text[text.index(after: colon)...]
            if option.hasPrefix("pause="), let ms = Int64(option.dropFirst(6)), ms >= 0 {
                return (point, ms)
            }
            return (point, nil)
        }
        return (text, nil)
    }()

    private static let simulated = SimulatedCrashes()

    /// Marks that the protocol step before this call is done; dies, pauses or (in tests) throws
    /// here if asked to.
    /// - Throws: `.io` "simulated crash at <point>" only when a test armed a point for this
    ///   table with ``simulate(_:at:)`` and it has been reached.
    @inline(__always)
    static func hit(_ point: StaticString, _ storage: some TableStorage) throws(LakeError) {
        if let c = configured { fire(String(describing: point), c) }
        try simulated.check(String(describing: point), root: storage.root)
    }

    private static func fire(_ point: String, _ c: (point: String, pauseMillis: Int64?)) {
        guard c.point == point else { return }
        if let ms = c.pauseMillis {
            // Said on standard error, so a test knows the moment the process got here.
            var line = Array("lake: LAKE_CRASH_AT: pausing at \(point) for \(ms) ms\n".utf8)
            _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
            Syscall.sleep(nanoseconds: ms * 1_000_000)
            return
        }
        kill(getpid(), SIGKILL)
        while true { pause() }
    }

    /// Arms `point` for the table at storage root `root` (the in-process stand-in for a crash):
    /// its next hit throws, and so does every later point of that table — the "process" is dead
    /// — until `simulate(nil, at:)` (the restart) disarms it.
    static func simulate(_ point: String?, at root: String) {
        simulated.set(point, root: root)
    }
}

/// Per-table armed points for in-process tests.
private final class SimulatedCrashes: Sendable {
    /// Table root → (armed point, whether it has fired).
    private let points = Mutex<[String: (point: String, fired: Bool)]>([:])

    func set(_ point: String?, root: String) {
        points.withLock { $0[root] = point.map { ($0, false) } }
    }

    func check(_ point: String, root: String) throws(LakeError) {
        let hit = points.withLock { p in
            guard let armed = p[root] else { return false }
            if armed.fired { return true }
            guard armed.point == point else { return false }
            p[root] = (armed.point, true)
            return true
        }
        if hit { throw LakeError(.io, "simulated crash at \(point)") }
    }
}
