import LakeBase

/// Where a table's bytes live: a local directory (``LocalStorage``), memory (``MemoryStorage``),
/// an object store.
///
/// Every byte of a table goes through this contract — instant files, properties, the record
/// index, markers, and the Parquet base files themselves (written through ``makeWriter(_:)``,
/// read through ``makeReader(_:)``) — so an implementation decides alone how bytes are stored.
/// The contract is shaped so that an object store such as S3 can keep it: there is no rename,
/// no file descriptor and no absolute path in it, and nothing depends on directories existing.
///
/// Every path is **relative to the table root** and uses `/` as separator (`""` is the root
/// itself, `.hoodie/hoodie.properties`, `p=1/abc-0_0-0-0_20250101000000000.parquet`). Paths are
/// validated by ``StoragePath/validate(_:)``: no leading `/`, no empty, `.` or `..` segments, no NUL,
/// so no call can reach outside the root.
///
/// The contract every implementation keeps:
/// * **Atomic visibility.** A file is visible only whole: ``write(_:_:)``, ``createExclusive(_:_:)``
///   and a ``StorageWriter``'s ``StorageWriter/finish()`` publish the complete content under the
///   final name at once; a reader sees the old content (or no file) or the whole new content,
///   never a prefix. A writer that fails or is abandoned before `finish` leaves nothing visible
///   under the final name. After any of these returns, the content survives a crash.
/// * **Put-if-absent.** ``createExclusive(_:_:)`` publishes only if nothing exists at the path and
///   fails with ``LakeError/Code/alreadyExists`` otherwise, so of any number of racing creators
///   exactly one wins. This is the log-store idea of delta-rs (one writer per version): the
///   timeline creates every instant file that decides ownership with it — `<ts>.<action>.requested`
///   (who owns an instant) and the completed instant file (`<ts>.commit`, `.replacecommit`,
///   `.clean`, `.rollback`, `.restore`, `.savepoint`: who completes it) — so exactly one writer
///   can start, and exactly one can complete, an instant (``Timeline/complete(_:_:in:)``).
/// * **Listing is per directory.** ``list(_:)`` returns the direct children of one directory (on
///   an object store: one listing with the prefix `dir/` and the delimiter `/`; common prefixes
///   are the directories). There is no recursive listing: callers list the partitions they need.
/// * **Directories are implicit.** A directory exists while something is stored below it.
///   ``makeDirectories(_:)`` and ``deleteDirectoryIfEmpty(_:)`` keep a local file system tidy and
///   cost an object store nothing it must not do.
/// * **Incomplete writes are recoverable.** What a crashed writer leaves of an unfinished file
///   (a local temporary file, an object store's incomplete multipart upload) never carries the
///   final name, and ``discardIncompleteWrites(in:startedBefore:)`` removes it.
/// * Errors are ``LakeError`` with code `.notFound`, `.alreadyExists`, `.invalidArgument` (bad path)
///   or `.io`; the message names the path and the system's reason.
public protocol TableStorage: Sendable {
    /// The table root as a location string: an absolute directory path for local storage, a URI
    /// such as `s3://bucket/prefix` or `memory://…` otherwise.
    var root: String { get }

    /// How many independent requests are worth having in flight at once when a table operation
    /// reads or writes many files (file groups of a write, partitions to list): 1 where a request
    /// costs only the CPU (a local directory: work runs one thread per core), more on an object
    /// store whose requests mostly wait on the network. Defaults to 1.
    var requestConcurrency: Int { get }

    /// The whole content of a file.
    /// - Throws: `.notFound` if there is no such file, `.io` otherwise.
    func read(_ path: String) throws(LakeError) -> [UInt8]

    /// The bytes of `range` (offsets in the file). A range reaching past the end is clipped, so
    /// fewer bytes than asked may come back; a range starting past the end gives `[]`.
    /// - Throws: `.notFound` if there is no such file, `.invalidArgument` for a negative range.
    func read(_ path: String, range: Range<Int64>) throws(LakeError) -> [UInt8]

    /// Opens a file for random-access reads of byte ranges (a Parquet file: footer first, then
    /// the column chunks a query needs). The reader sees the file as it was when opened, or — on
    /// an object store without versions, once the object was replaced — fails with `.io` rather
    /// than mix two versions (lake never replaces a data file in place).
    /// - Throws: `.notFound` if there is no such file, `.io` otherwise.
    func makeReader(_ path: String) throws(LakeError) -> any StorageReader

    /// Replaces (or creates) the file atomically and durably. Missing parent directories are created.
    func write(_ path: String, _ bytes: [UInt8]) throws(LakeError)

    /// Creates the file atomically and durably if, and only if, nothing exists at `path`
    /// (put-if-absent). Missing parent directories are created.
    /// - Throws: `.alreadyExists` if the path exists (also when another writer won a race).
    func createExclusive(_ path: String, _ bytes: [UInt8]) throws(LakeError)

    /// A streaming writer for a big file (a Parquet base file): bytes are appended as they are
    /// produced, and ``StorageWriter/finish()`` publishes the whole file at `path` atomically and
    /// durably, replacing any file there. Until then nothing is visible at `path`; a writer that
    /// fails, is abandoned (``StorageWriter/abandon()``) or is released unfinished leaves nothing
    /// there. Missing parent directories are created.
    func makeWriter(_ path: String) throws(LakeError) -> any StorageWriter

    /// The direct children of directory `dir`, in no particular order. Entries whose names are
    /// not valid UTF-8 are skipped. An implementation may list the leftovers of unfinished writes
    /// under names starting with `.` (local temporary files); they never parse as table files.
    /// - Throws: `.notFound` if nothing is stored at or below `dir` (a local directory that does
    ///   not exist); an existing empty local directory lists as `[]`. Callers treat both alike.
    func list(_ dir: String) throws(LakeError) -> [StorageEntry]

    /// Whether a file exists at `path`, or a directory (something is stored below `path`).
    func exists(_ path: String) throws(LakeError) -> Bool

    /// Deletes a file. Returns `false` if there was nothing to delete, so retries are harmless.
    /// - Throws: `.io` if the path cannot be removed (a local directory, say).
    @discardableResult
    func delete(_ path: String) throws(LakeError) -> Bool

    /// Removes directory `dir` if nothing is stored in it. Returns `false` if it still holds
    /// something (callers walking up stop there), `true` once it is gone (on stores without
    /// directories: when nothing is stored below `dir`).
    @discardableResult
    func deleteDirectoryIfEmpty(_ dir: String) throws(LakeError) -> Bool

    /// The size in bytes of a file.
    /// - Throws: `.notFound` if there is no such file.
    func size(_ path: String) throws(LakeError) -> Int64

    /// Creates `dir` and any missing parents (`mkdir -p`) where directories exist; nothing on
    /// stores without directories. Existing directories are fine.
    func makeDirectories(_ dir: String) throws(LakeError)

    /// Removes what unfinished writes left directly in `dir` (local: temporary files of writers
    /// that crashed before publishing; object store: incomplete multipart uploads), never a
    /// published file. Only call it where no live writer is working (the writer lock is held):
    /// a live writer's unfinished file is removed too.
    /// - Parameter startedBefore: only leftovers last touched before this time (epoch
    ///   milliseconds); `nil` removes all.
    /// - Returns: how many leftovers were removed.
    @discardableResult
    func discardIncompleteWrites(in dir: String, startedBefore: Int64?) throws(LakeError) -> Int
}

/// One entry of a directory listing.
public struct StorageEntry: Sendable, Hashable {
    /// The path relative to the table root (`p=1/abc-0_0-0-0_20250101000000000.parquet`).
    public var path: String
    /// Whether this is a directory.
    public var isDirectory: Bool
    /// The size in bytes (0 for directories).
    public var size: Int64
    /// Last modification time, milliseconds since 1970-01-01T00:00:00Z (0 for directories of
    /// stores without directories).
    public var modifiedMillis: Int64

    /// An entry at `path` (relative to the table root).
    public init(path: String, isDirectory: Bool, size: Int64, modifiedMillis: Int64) {
        self.path = path
        self.isDirectory = isDirectory
        self.size = size
        self.modifiedMillis = modifiedMillis
    }

    /// The last path segment (the file or directory name).
    public var name: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

extension TableStorage {
    public var requestConcurrency: Int { 1 }

    /// ``parallelMap(_:parallel:_:)`` for work that makes requests to this storage: one thread per
    /// core, or — on a storage whose ``requestConcurrency`` is higher — that many threads, so
    /// requests that wait overlap with work on both cores.
    func parallelMapRequests<T, E: Error>(_ count: Int, _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        let width = requestConcurrency
        if width > 1 { return try parallelMap(count, width: width, body) }
        return try parallelMap(count, parallel: count > 1, body)
    }
}
