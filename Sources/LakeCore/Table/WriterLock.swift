#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeBase

/// The table's single-writer lock: the file `.hoodie/lake/writer.lock`, created exclusively
/// (atomically, with its whole content), naming its owner.
///
/// Content, one `key=value` per line: `pid`, `host`, `start` (the process's start time in clock
/// ticks since boot, from `/proc/<pid>/stat`; empty where unavailable), `since` (epoch
/// milliseconds) and `token` (random, so every lock file is distinct).
///
/// A lock is **stale**, and the next writer removes it, when
/// * its owner is on this host and the process is gone (`kill(pid, 0)` fails with `ESRCH`), or
///   the pid now belongs to a process that started at another time (pid reuse);
/// * its content cannot be read as an owner (empty or garbled, which the atomic create never
///   leaves but a hand edit or a file system without hard links can) and the file is older than
///   ``unreadableStaleMillis``.
/// * it is held by **another host** (whose processes cannot be checked) and its lease expired: a
///   lock taken with a ``Lease`` is renewed by its holder — the file rewritten unchanged every
///   ``Lease/renewMillis``, from a thread of its own — so its modification time is the last
///   renewal, and a lock not renewed for ``Lease/expiryMillis`` belongs to a writer that died
///   (Hudi's heartbeat expiry; a table's lease is its heartbeat interval × tolerable misses).
///   Without a lease a lock of another host is never judged stale; the error names the host so an
///   operator can remove the file.
/// On this host the process check decides, lease or not: a live process's lock is never taken.
///
/// Removing a stale lock goes through a short-lived guard file (`writer.lock.takeover`, created
/// exclusively): under the guard the lock is re-read and removed only if it is still the stale
/// one, so two writers that both saw the same stale lock cannot both take the table.
///
/// Readers never take the lock.
public struct WriterLock: Sendable {
    /// The lock file, relative to the table root.
    public static let path = ".hoodie/lake/writer.lock"
    /// The guard file taken while a stale lock is removed.
    static let takeoverPath = ".hoodie/lake/writer.lock.takeover"
    /// How old (by modification time) a lock or guard file whose content names no owner must be
    /// before it is treated as left by a crash: 10 seconds.
    public static let unreadableStaleMillis: Int64 = 10_000

    let storage: any TableStorage
    /// This lock's content (compared on release, so a lock that is no longer ours is kept).
    let content: [UInt8]
    /// The thread renewing this lock's lease, if it has one.
    let renewal: Heartbeat?

    /// How a lock is kept alive and when it has expired, for locks that other hosts may hold
    /// (object storage shared by several machines).
    public struct Lease: Sendable, Hashable {
        /// How often the holder rewrites the lock file (milliseconds).
        public var renewMillis: Int64
        /// A lock of another host whose file was last written longer ago than this (milliseconds,
        /// by the storage's modification time) is stale.
        public var expiryMillis: Int64

        /// A lease renewed every `renewMillis` that expires after `expiryMillis`.
        public init(renewMillis: Int64, expiryMillis: Int64) {
            self.renewMillis = renewMillis
            self.expiryMillis = expiryMillis
        }
    }

    /// Who holds a lock, as read from its file.
    public struct Owner: Sendable, Hashable, CustomStringConvertible {
        /// The owner's process id.
        public var pid: Int32?
        /// The owner's host name (`gethostname`).
        public var host: String?
        /// Process start time in clock ticks since boot (Linux), if recorded.
        public var startTicks: UInt64?
        /// When the lock was taken, epoch milliseconds.
        public var sinceMillis: Int64?
        /// A random token unique to this lock file.
        public var token: String?

        /// Parses lock file content; fields that are missing or malformed are `nil`.
        public init(content: [UInt8]) {
            for line in String(decoding: content, as: UTF8.self).split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                let key = line[..<eq], value = String(line[line.index(after: eq)...])
                switch key {
                case "pid": pid = Int32(value)
                case "host": host = value.isEmpty ? nil : value
                case "start": startTicks = UInt64(value)
                case "since": sinceMillis = Int64(value)
                case "token": token = value
                default: break
                }
            }
        }

        /// Whether the content names an owner (a pid and a host).
        public var isReadable: Bool { pid != nil && host != nil }

        /// `pid 123 on host h since 2026-01-01 10:00:00.000 UTC`, or `an unreadable lock file`.
        public var description: String {
            guard let pid, let host else { return "an unreadable lock file" }
            var s = "pid \(pid) on host \(host)"
            if let since = sinceMillis {
                let d = Array(InstantTime(epochMillis: since, timezone: .utc).value)
                if d.count == 17 {
                    s +=
                        " since \(String(d[0..<4]))-\(String(d[4..<6]))-\(String(d[6..<8])) \(String(d[8..<10])):\(String(d[10..<12])):\(String(d[12..<14])).\(String(d[14..<17])) UTC"
                }
            }
            return s
        }
    }

    /// Takes the lock, waiting up to `timeoutMillis` for a live owner to finish, and removing a
    /// stale lock (see the type's documentation).
    /// - Parameters:
    ///   - timeoutMillis: how long to wait for a held lock; 0 fails at once.
    ///   - unreadableStaleMillis: the age after which an unreadable lock or guard file is stale.
    ///   - lease: renew the lock while it is held, and take over a lock of another host whose
    ///     lease expired; `nil`: neither.
    /// - Throws: `.conflict` naming the owner (pid, host, since when) if the lock stays held;
    ///   storage errors as they come.
    public static func acquire(
        _ storage: any TableStorage, timeoutMillis: Int64 = 0,
        unreadableStaleMillis: Int64 = WriterLock.unreadableStaleMillis, lease: Lease? = nil
    ) throws(LakeError) -> WriterLock {
        try storage.makeDirectories(StoragePath.parent(path))
        let me = ownContent()
        let deadline = InstantTime.systemNowMillis() + max(0, timeoutMillis)
        var pauseMillis: Int64 = 10
        while true {
            do throws(LakeError) {
                try storage.createExclusive(path, me)
                guard let lease else { return WriterLock(storage: storage, content: me, renewal: nil) }
                do throws(LakeError) {
                    let renewal = try Heartbeat.renewing(
                        storage: storage, path: path, content: me, intervalMillis: lease.renewMillis)
                    return WriterLock(storage: storage, content: me, renewal: renewal)
                } catch {
                    if let now = try? storage.read(path), now == me { _ = try? storage.delete(path) }
                    throw error
                }
            } catch  where error.code == .alreadyExists {
                // Held (or stale): read who holds it.
            }
            let held: [UInt8]
            do throws(LakeError) {
                held = try storage.read(path)
            } catch  where error.code == .notFound {
                continue  // released meanwhile
            }
            let owner = Owner(content: held)
            if try isStale(
                owner, storage: storage, path: path, unreadableStaleMillis: unreadableStaleMillis, lease: lease)
            {
                try takeOver(held, storage: storage, unreadableStaleMillis: unreadableStaleMillis, lease: lease)
                continue
            }
            let now = InstantTime.systemNowMillis()
            if now >= deadline {
                var message = "another writer holds the table: \(owner) (\(path))"
                if owner.host != nil && owner.host != hostName() {
                    if let lease {
                        message +=
                            "; lake cannot check a process on another host: the lock is taken over once its holder "
                            + "has not renewed it for \(lease.expiryMillis) ms (heartbeat interval × tolerable misses)"
                    } else {
                        message +=
                            "; lake cannot check a process on another host — if that writer is gone, remove \(path)"
                    }
                }
                message +=
                    timeoutMillis > 0
                    ? "; waited \(timeoutMillis) ms"
                    : "; wait for it (lockWaitMillis, lake --wait DURATION) or retry when it finishes"
                throw LakeError(.conflict, message)
            }
            sleepMillis(min(pauseMillis, deadline - now))
            pauseMillis = min(pauseMillis * 2, 200)
        }
    }

    /// Releases the lock if it is still this lock (a lock that was taken over is left alone);
    /// stops renewing its lease first.
    public func release() {
        renewal?.stop()
        guard let now = try? storage.read(Self.path), now == content else { return }
        _ = try? storage.delete(Self.path)
    }

    // MARK: Staleness

    /// Removes the stale lock whose content was `stale`, under the takeover guard.
    private static func takeOver(
        _ stale: [UInt8], storage: any TableStorage, unreadableStaleMillis: Int64, lease: Lease?
    ) throws(LakeError) {
        let guardContent = ownContent()
        do throws(LakeError) {
            try storage.createExclusive(takeoverPath, guardContent)
        } catch  where error.code == .alreadyExists {
            // Someone else is taking over; a guard left by a crash is removed once old enough.
            if let g = try? storage.read(takeoverPath),
                try isStale(
                    Owner(content: g), storage: storage, path: takeoverPath,
                    unreadableStaleMillis: unreadableStaleMillis, lease: lease)
            {
                if let again = try? storage.read(takeoverPath), again == g { _ = try? storage.delete(takeoverPath) }
            } else {
                sleepMillis(5)
            }
            return
        }
        defer {
            if let g = try? storage.read(takeoverPath), g == guardContent { _ = try? storage.delete(takeoverPath) }
        }
        if let now = try? storage.read(path), now == stale {
            try storage.delete(path)
        }
    }

    /// Whether the lock (or guard) file at `path` with this owner is stale.
    static func isStale(
        _ owner: Owner, storage: any TableStorage, path: String, unreadableStaleMillis: Int64, lease: Lease? = nil
    ) throws(LakeError) -> Bool {
        guard let pid = owner.pid, let host = owner.host else {
            guard let modified = try modifiedMillis(path, storage: storage) else { return false }
            return InstantTime.systemNowMillis() - modified >= unreadableStaleMillis
        }
        if host == hostName() { return isGone(pid: pid, host: host, startTicks: owner.startTicks) }
        // Another host: only an expired lease tells that its writer is gone.
        guard let lease, let modified = try modifiedMillis(path, storage: storage) else { return false }
        return InstantTime.systemNowMillis() - modified > lease.expiryMillis
    }

    /// Whether the process `pid` on `host` no longer exists (only decidable on this host).
    static func isGone(pid: Int32, host: String, startTicks: UInt64?) -> Bool {
        guard host == hostName(), pid > 0 else { return false }
        if pid == getpid() { return startTicks != nil && processStartTicks(pid) != startTicks }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        if let recorded = startTicks, let actual = processStartTicks(pid), actual != recorded { return true }
        return false
    }

    private static func modifiedMillis(_ path: String, storage: any TableStorage) throws(LakeError) -> Int64? {
        let name = StoragePath.fileName(path)
        return try storage.list(StoragePath.parent(path)).first { $0.name == name }?.modifiedMillis
    }

    // MARK: Process identity

    static func ownContent() -> [UInt8] {
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let start = processStartTicks(getpid()).map(String.init) ?? ""
        return Array(
            "pid=\(getpid())\nhost=\(hostName())\nstart=\(start)\nsince=\(InstantTime.systemNowMillis())\ntoken=\(token)\n"
                .utf8)
    }

    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, 255)
        let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Field 22 of `/proc/<pid>/stat` (start time in clock ticks after boot); nil where there is
    /// no procfs or the process is gone.
    static func processStartTicks(_ pid: Int32) -> UInt64? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 1024)
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces: start after the last ')'.
        guard let close = buf[0..<n].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buf[(close + 1)..<n].split(separator: UInt8(ascii: " "))
        // fields[0] is field 3 (state); field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return UInt64(String(decoding: fields[19], as: UTF8.self))
    }

    static func sleepMillis(_ ms: Int64) {
        Syscall.sleep(nanoseconds: ms * 1_000_000)
    }
}
