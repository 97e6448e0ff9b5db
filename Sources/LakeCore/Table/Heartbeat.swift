#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// A writer's heartbeat, as Hudi keeps it: the file `.hoodie/.heartbeat/<instant>`, created when
/// the write starts (before its `.requested` instant file), rewritten every
/// ``HeartbeatSettings/intervalMillis`` while the write runs, and deleted when the write has
/// completed or been rolled back. The time of the last beat is the file's modification time.
///
/// A pending write whose heartbeat is younger than ``HeartbeatSettings/expiryMillis`` belongs to
/// a live writer: failed-write cleanup leaves it alone, and the cleaner keeps what its snapshot
/// needs. Writes under ``WriteConcurrencyMode/optimisticConcurrencyControl`` beat; single-writer
/// writes hold the writer lock instead and do not.
final class Heartbeat: @unchecked Sendable {
    /// The folder of heartbeat files, relative to the table root.
    static let folder = ".hoodie/.heartbeat"

    /// The heartbeat file of `instant`.
    static func path(_ instant: String) -> String { folder + "/" + instant }

    let storage: any TableStorage
    /// The file this beat refreshes.
    let path: String
    private let intervalMillis: Int64
    /// For a lease (the writer lock): the content the file must still hold to be refreshed; the
    /// refresh rewrites it unchanged, and stops for good once the file holds anything else (the
    /// lease was taken over). `nil`: a heartbeat, rewritten with the time of each beat.
    private let leaseContent: [UInt8]?
    private let stopSignal = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let isStopped = Mutex(false)

    private init(storage: any TableStorage, path: String, intervalMillis: Int64, leaseContent: [UInt8]?) {
        self.storage = storage
        self.path = path
        self.intervalMillis = intervalMillis
        self.leaseContent = leaseContent
    }

    /// Creates the heartbeat of `instant` exclusively and starts refreshing it on a background
    /// thread.
    /// - Throws: `.alreadyExists` if `instant` already has a heartbeat (another writer chose the
    ///   same instant time); storage errors as they come.
    static func start(
        storage: any TableStorage, instant: String,
        intervalMillis: Int64
    ) throws(LakeError) -> Heartbeat {
        try storage.createExclusive(path(instant), beatContent())
        let beat = Heartbeat(storage: storage, path: path(instant), intervalMillis: intervalMillis, leaseContent: nil)
        do throws(LakeError) {
            try beat.startThread()
        } catch {
            _ = try? storage.delete(path(instant))
            throw error
        }
        return beat
    }

    /// Starts refreshing the lease file `path`, which holds `content` (this writer's lock): every
    /// `intervalMillis` the file is read and, while it still holds `content`, rewritten unchanged,
    /// which moves its modification time — the lease's last renewal. Once it holds anything else
    /// (released, or taken over after expiry) the refresh ends. ``stop()`` ends it and leaves the
    /// file to its owner.
    static func renewing(
        storage: any TableStorage, path: String, content: [UInt8], intervalMillis: Int64
    ) throws(LakeError) -> Heartbeat {
        let beat = Heartbeat(storage: storage, path: path, intervalMillis: intervalMillis, leaseContent: content)
        try beat.startThread()
        return beat
    }

    private func startThread() throws(LakeError) {
        // A thread of its own: a busy shared pool must not make a live writer look dead.
        let box = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let created = pthread_create(
            &thread, nil,
            { arg in
                Unmanaged<Heartbeat>.fromOpaque(arg!).takeRetainedValue().beatUntilStopped()
                return nil
            }, box)
        guard created == 0 else {
            Unmanaged<Heartbeat>.fromOpaque(box).release()
            throw LakeError(.io, "cannot start the thread refreshing \(path) (error \(created))")
        }
        #if canImport(Darwin)
        if let thread { pthread_detach(thread) }
        #else
        pthread_detach(thread)
        #endif
    }

    private func beatUntilStopped() {
        let interval = DispatchTimeInterval.milliseconds(Int(intervalMillis))
        while stopSignal.wait(timeout: .now() + interval) == .timedOut {
            // A failed refresh is retried at the next beat; missing a few is what the tolerance is for.
            if let lease = leaseContent {
                let current: [UInt8]?
                do throws(LakeError) {
                    current = try storage.read(path)
                } catch  where error.code == .notFound {
                    current = nil
                } catch {
                    continue
                }
                guard current == lease else { break }  // released, or taken over after expiry: done
                try? storage.write(path, lease)
            } else {
                try? storage.write(path, Self.beatContent())
            }
        }
        stopped.signal()
    }

    /// Stops refreshing (waiting for an in-flight refresh); once. A heartbeat's file is deleted;
    /// a lease's file is left to its owner (``WriterLock/release()``).
    func stop() {
        guard
            isStopped.withLock({ s in
                defer { s = true }; return !s
            })
        else { return }
        stopSignal.signal()
        stopped.wait()
        if leaseContent == nil { _ = try? storage.delete(path) }
    }

    private static func beatContent() -> [UInt8] {
        Array("\(InstantTime.systemNowMillis())\n".utf8)
    }

    /// The last beat of every heartbeat file, by normalized instant (epoch milliseconds).
    static func lastBeats(in storage: any TableStorage) throws(LakeError) -> [String: Int64] {
        let entries: [StorageEntry]
        do throws(LakeError) {
            entries = try storage.list(folder)
        } catch  where error.code == .notFound {
            return [:]
        }
        var beats: [String: Int64] = [:]
        for e in entries where !e.isDirectory && InstantTime(e.name) != nil {
            beats[Instant.normalize(e.name)] = e.modifiedMillis
        }
        return beats
    }
}

/// The heartbeat settings of a table (``TableSetting/heartbeatIntervalMillis``,
/// ``TableSetting/heartbeatTolerableMisses``).
struct HeartbeatSettings: Sendable {
    var intervalMillis: Int64
    var tolerableMisses: Int

    init(config: TableConfig) throws(LakeError) {
        intervalMillis = Int64(try config.value(.heartbeatIntervalMillis))
        tolerableMisses = try config.value(.heartbeatTolerableMisses)
    }

    /// A heartbeat older than this has expired (Hudi: interval × tolerable misses).
    var expiryMillis: Int64 { intervalMillis * Int64(tolerableMisses) }
}

/// Which pending writes belong to live writers, at one moment.
struct LiveWriters: Sendable {
    let beats: [String: Int64]
    let now: Int64
    let settings: HeartbeatSettings
    let timezone: TimelineTimezone
    /// Under optimistic concurrency a pending write without a heartbeat is live until it is as
    /// old as the expiry (a writer of another engine may beat after requesting); a single writer
    /// holds the lock, so one without a heartbeat is a failed write at once.
    let graceWithoutHeartbeat: Bool

    init(table: Table, mode: WriteConcurrencyMode) throws(LakeError) {
        beats = try Heartbeat.lastBeats(in: table.storage)
        now = InstantTime.systemNowMillis()
        settings = try HeartbeatSettings(config: table.config)
        timezone = table.config.timelineTimezone
        graceWithoutHeartbeat = mode == .optimisticConcurrencyControl
    }

    /// Whether the pending `instant` belongs to a writer that is still alive.
    func isLive(_ instant: Instant) -> Bool {
        if let beat = beats[instant.normalizedTimestamp] { return now - beat <= settings.expiryMillis }
        guard graceWithoutHeartbeat, let t = InstantTime(instant.normalizedTimestamp) else { return false }
        return now - t.epochMillis(timezone: timezone) <= settings.expiryMillis
    }

    /// Whether any heartbeat is live (another writer may be writing right now).
    var anyLive: Bool { beats.values.contains { now - $0 <= settings.expiryMillis } }
}
