#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The table's single-writer lock: the file `.hoodie/lake/writer.lock`, created exclusively,
/// holding the owner's pid and host.
///
/// A lock whose owner process no longer exists on this host is stale: the next writer removes
/// it (a crashed writer cannot hold the table forever). Readers never take the lock.
public struct WriterLock: Sendable {
    public static let path = ".hoodie/lake/writer.lock"
    let storage: any TableStorage

    /// Takes the lock, waiting up to `timeoutMillis` for a live owner to finish.
    /// - Throws: `.conflict` naming the owner if the lock stays held.
    public static func acquire(_ storage: any TableStorage, timeoutMillis: Int64 = 0) throws(LakeError) -> WriterLock {
        try storage.makeDirectories(StoragePath.parent(path))
        let me = "pid=\(getpid())\nhost=\(hostName())\nsince=\(InstantTime.systemNowMillis())\n"
        let deadline = InstantTime.systemNowMillis() + timeoutMillis
        while true {
            do throws(LakeError) {
                try storage.createExclusive(path, Array(me.utf8))
                return WriterLock(storage: storage)
            } catch where error.code == .alreadyExists {
                let owner = (try? storage.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
                if isStale(owner) {
                    _ = try? storage.delete(path)
                    continue
                }
                if InstantTime.systemNowMillis() >= deadline {
                    let who = owner.split(separator: "\n").prefix(2).joined(separator: ", ")
                    throw LakeError(.conflict, "another writer holds the table (\(who.isEmpty ? "unknown owner" : who)); retry when it finishes, or use --wait")
                }
                usleep(50_000)
            }
        }
    }

    /// Releases the lock.
    public func release() {
        _ = try? storage.delete(Self.path)
    }

    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, 255)
        return String(cString: buf)
    }

    /// Whether the lock content names a process on this host that is gone.
    static func isStale(_ content: String) -> Bool {
        var pid: Int32?
        var host: String?
        for line in content.split(separator: "\n") {
            if line.hasPrefix("pid=") { pid = Int32(line.dropFirst(4)) }
            if line.hasPrefix("host=") { host = String(line.dropFirst(5)) }
        }
        guard let pid, host == hostName() else { return false }
        if pid == getpid() { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
