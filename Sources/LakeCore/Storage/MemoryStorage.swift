import Synchronization

/// ``TableStorage`` in memory that keeps the object-store contract strictly, as S3 would: a flat
/// map from key to immutable object, nothing else.
///
/// * **No directories.** Keys are table-relative paths holding `/`; a "directory" exists while
///   some key has its prefix, ``list(_:)`` lists by prefix and delimiter (common prefixes are the
///   directories), ``makeDirectories(_:)`` does nothing.
/// * **No rename, no partial objects.** ``write(_:_:)`` and ``createExclusive(_:_:)`` publish a
///   whole object at once; a streaming writer (``makeWriter(_:)``) collects its bytes as an
///   in-progress upload and publishes one object on `finish` — abandoned, it leaves nothing
///   (``discardIncompleteWrites(in:startedBefore:)`` aborts uploads whose writer is gone).
/// * **Put-if-absent.** ``createExclusive(_:_:)`` checks and publishes under one lock, so of any
///   number of racing threads exactly one wins.
/// * **Counted.** Every call counts as the request an object store would serve
///   (``requestCounts``): LIST, GET, HEAD, PUT, DELETE.
///
/// It is a reference type: every ``Table`` opened on one instance sees the same objects. Used to
/// prove that no table code path goes around ``TableStorage`` (the table suites run on it) and
/// to count the requests an operation makes; it is also a fast scratch store for tests.
public final class MemoryStorage: TableStorage {
    public let root: String
    private let state = Mutex(State())

    struct Object {
        var bytes: [UInt8]
        var modifiedMillis: Int64
    }

    struct Upload {
        var path: String
        var startedMillis: Int64
    }

    struct State {
        var objects: [String: Object] = [:]
        var uploads: [Int: Upload] = [:]
        var nextUpload = 0
        var counts = StorageRequestCounts()
    }

    /// An empty store named `root` (default: a unique `memory://<n>`, so crash points and
    /// messages tell instances apart).
    public init(root: String? = nil) {
        self.root = root ?? "memory://\(MemoryStorage.nextName())"
    }

    private static let names = Atomic<Int>(0)
    private static func nextName() -> String {
        let n = names.add(1, ordering: .relaxed).newValue
        return "store-\(n)"
    }

    /// The requests served so far.
    public var requestCounts: StorageRequestCounts { state.withLock { $0.counts } }

    /// Starts counting afresh.
    public func resetRequestCounts() { state.withLock { $0.counts = StorageRequestCounts() } }

    /// Every stored key, sorted (for tests and tools).
    public var keys: [String] { state.withLock { Array($0.objects.keys) }.sorted() }

    /// Uploads started by a streaming writer and neither finished nor discarded.
    public var incompleteUploads: [String] { state.withLock { $0.uploads.values.map(\.path) }.sorted() }

    // MARK: Reading

    public func read(_ path: String) throws(LakeError) -> [UInt8] {
        try Self.validateFile(path, "read")
        let object = state.withLock { s -> Object? in
            s.counts.get += 1
            let o = s.objects[path]
            s.counts.bytesRead += Int64(o?.bytes.count ?? 0)
            return o
        }
        guard let object else { throw notFound("read", path) }
        return object.bytes
    }

    public func read(_ path: String, range: Range<Int64>) throws(LakeError) -> [UInt8] {
        try Self.validateFile(path, "read")
        guard range.lowerBound >= 0 else {
            throw LakeError(.invalidArgument, "read \(path): negative offset \(range.lowerBound)")
        }
        let slice = state.withLock { s -> [UInt8]? in
            s.counts.get += 1
            guard let o = s.objects[path] else { return nil }
            let piece = Self.clip(o.bytes, range)
            s.counts.bytesRead += Int64(piece.count)
            return piece
        }
        guard let slice else { throw notFound("read", path) }
        return slice
    }

    public func makeReader(_ path: String) throws(LakeError) -> any StorageReader {
        try Self.validateFile(path, "read")
        let object = state.withLock { s -> Object? in
            s.counts.head += 1
            return s.objects[path]
        }
        guard let object else { throw notFound("read", path) }
        return MemoryStorageReader(storage: self, path: path, bytes: object.bytes)
    }

    /// Counts one ranged GET of `count` bytes (a reader's read).
    func countRangedRead(_ count: Int) {
        state.withLock {
            $0.counts.get += 1
            $0.counts.bytesRead += Int64(count)
        }
    }

    static func clip(_ bytes: [UInt8], _ range: Range<Int64>) -> [UInt8] {
        let end = min(range.upperBound, Int64(bytes.count))
        guard end > range.lowerBound else { return [] }
        return Array(bytes[Int(range.lowerBound)..<Int(end)])
    }

    // MARK: Writing

    public func write(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        try Self.validateFile(path, "write")
        let now = InstantTime.systemNowMillis()
        state.withLock { s in
            s.counts.put += 1
            s.counts.bytesWritten += Int64(bytes.count)
            s.objects[path] = Object(bytes: bytes, modifiedMillis: now)
        }
    }

    public func createExclusive(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        try Self.validateFile(path, "create")
        let now = InstantTime.systemNowMillis()
        let created = state.withLock { s -> Bool in
            s.counts.put += 1
            guard s.objects[path] == nil else { return false }
            s.counts.bytesWritten += Int64(bytes.count)
            s.objects[path] = Object(bytes: bytes, modifiedMillis: now)
            return true
        }
        if !created { throw LakeError(.alreadyExists, "create \(path) (\(root)): already exists") }
    }

    public func makeWriter(_ path: String) throws(LakeError) -> any StorageWriter {
        try Self.validateFile(path, "write")
        let now = InstantTime.systemNowMillis()
        let id = state.withLock { s -> Int in
            let id = s.nextUpload
            s.nextUpload += 1
            s.uploads[id] = Upload(path: path, startedMillis: now)
            return id
        }
        return MemoryStorageWriter(storage: self, path: path, upload: id)
    }

    /// Publishes a finished upload as one object; false if it was discarded meanwhile.
    func completeUpload(_ id: Int, _ bytes: [UInt8]) -> Bool {
        let now = InstantTime.systemNowMillis()
        return state.withLock { s -> Bool in
            guard let u = s.uploads.removeValue(forKey: id) else { return false }
            s.counts.put += 1
            s.counts.bytesWritten += Int64(bytes.count)
            s.objects[u.path] = Object(bytes: bytes, modifiedMillis: now)
            return true
        }
    }

    /// Drops an upload whose writer gave up; nothing becomes visible.
    func abortUpload(_ id: Int) {
        state.withLock { _ = $0.uploads.removeValue(forKey: id) }
    }

    // MARK: Listing

    public func list(_ dir: String) throws(LakeError) -> [StorageEntry] {
        try StoragePath.validate(dir)
        let prefix = dir.isEmpty ? "" : dir + "/"
        let entries = state.withLock { s -> [StorageEntry] in
            s.counts.list += 1
            var files: [StorageEntry] = []
            var dirs = Set<String>()
            for (key, object) in s.objects where key.hasPrefix(prefix) {
                let rest = key.utf8.dropFirst(prefix.utf8.count)
                if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                    dirs.insert(prefix + String(Substring(rest[..<slash])))
                } else {
                    files.append(
                        StorageEntry(
                            path: key, isDirectory: false, size: Int64(object.bytes.count),
                            modifiedMillis: object.modifiedMillis))
                }
            }
            return files + dirs.map { StorageEntry(path: $0, isDirectory: true, size: 0, modifiedMillis: 0) }
        }
        if entries.isEmpty && !dir.isEmpty { throw notFound("list", dir) }
        return entries
    }

    public func exists(_ path: String) throws(LakeError) -> Bool {
        try StoragePath.validate(path)
        if path.isEmpty { return true }
        let prefix = path + "/"
        return state.withLock { s -> Bool in
            s.counts.head += 1
            if s.objects[path] != nil { return true }
            s.counts.list += 1
            return s.objects.keys.contains { $0.hasPrefix(prefix) }
        }
    }

    // MARK: Removal and metadata

    @discardableResult
    public func delete(_ path: String) throws(LakeError) -> Bool {
        try Self.validateFile(path, "delete")
        return state.withLock { s -> Bool in
            s.counts.delete += 1
            return s.objects.removeValue(forKey: path) != nil
        }
    }

    @discardableResult
    public func deleteDirectoryIfEmpty(_ dir: String) throws(LakeError) -> Bool {
        try StoragePath.validate(dir)
        guard !dir.isEmpty else {
            throw LakeError(.invalidArgument, "delete directory: refusing to delete the table root")
        }
        let prefix = dir + "/"
        return state.withLock { s -> Bool in
            s.counts.list += 1
            return !s.objects.keys.contains { $0.hasPrefix(prefix) }
        }
    }

    public func size(_ path: String) throws(LakeError) -> Int64 {
        try Self.validateFile(path, "size")
        let size = state.withLock { s -> Int64? in
            s.counts.head += 1
            return s.objects[path].map { Int64($0.bytes.count) }
        }
        guard let size else { throw notFound("size", path) }
        return size
    }

    public func makeDirectories(_ dir: String) throws(LakeError) {
        try StoragePath.validate(dir)
    }

    @discardableResult
    public func discardIncompleteWrites(in dir: String, startedBefore: Int64?) throws(LakeError) -> Int {
        try StoragePath.validate(dir)
        return state.withLock { s -> Int in
            s.counts.list += 1
            var removed = 0
            for (id, u) in s.uploads where StoragePath.parent(u.path) == dir {
                if let cutoff = startedBefore, u.startedMillis >= cutoff { continue }
                s.uploads[id] = nil
                s.counts.delete += 1
                removed += 1
            }
            return removed
        }
    }

    // MARK: Helpers

    private static func validateFile(_ path: String, _ op: String) throws(LakeError) {
        try StoragePath.validate(path)
        guard !path.isEmpty else { throw LakeError(.invalidArgument, "\(op): empty path") }
    }

    private func notFound(_ op: String, _ path: String) -> LakeError {
        LakeError(.notFound, "\(op) \(path.isEmpty ? "<table root>" : path) (\(root)): no such object")
    }
}
