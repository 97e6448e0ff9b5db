#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a table's files live: a local directory today, an object store later.
///
/// Every path is **relative to the table root** and uses `/` as separator (`""` is the root
/// itself, `.hoodie/hoodie.properties`, `p=1/abc-0_0-0-0_20250101000000000.parquet`). Paths are
/// validated by ``StoragePath/validate(_:)``: no leading `/`, no empty, `.` or `..` segments, no NUL,
/// so no call can reach outside the root.
///
/// The contract every implementation keeps:
/// * ``write(_:_:)`` publishes atomically: a reader sees either the old content or the whole new
///   content, never a prefix, and after it returns the content survives a crash.
/// * ``createExclusive(_:_:)`` also publishes atomically and fails with
///   ``LakeError/Code/alreadyExists`` if the path exists, so of two racing writers exactly one wins.
///   This is how instant files (`.hoodie/<ts>.commit.requested`, `<ts>.commit`) are created.
/// * Errors are ``LakeError`` with code `.notFound`, `.alreadyExists`, `.invalidArgument` (bad path)
///   or `.io`; the message names the path and the system's reason.
///
/// The protocol deliberately has no file descriptors, so an S3 implementation can be added: the
/// Parquet reader either calls ``read(_:range:)`` or, for local tables, maps
/// ``absolutePath(_:)`` itself.
public protocol TableStorage: Sendable {
    /// The table root as a location string: an absolute directory path for local storage, a URI
    /// such as `s3://bucket/prefix` for object stores.
    var root: String { get }

    /// The location of `path` as the underlying system names it (`<root>/<path>`), for tools
    /// and for memory-mapping local files. Does not check that it exists.
    func absolutePath(_ path: String) -> String

    /// The whole content of a file.
    /// - Throws: `.notFound` if there is no such file, `.io` otherwise.
    func read(_ path: String) throws(LakeError) -> [UInt8]

    /// The bytes of `range` (offsets in the file). A range reaching past the end is clipped, so
    /// fewer bytes than asked may come back; a range starting past the end gives `[]`.
    /// - Throws: `.notFound` if there is no such file, `.invalidArgument` for a negative range.
    func read(_ path: String, range: Range<Int64>) throws(LakeError) -> [UInt8]

    /// Replaces (or creates) the file atomically and durably. Missing parent directories are created.
    func write(_ path: String, _ bytes: [UInt8]) throws(LakeError)

    /// Creates the file atomically and durably if, and only if, nothing exists at `path`.
    /// Missing parent directories are created.
    /// - Throws: `.alreadyExists` if the path exists (also when another writer won a race).
    func createExclusive(_ path: String, _ bytes: [UInt8]) throws(LakeError)

    /// The direct children of directory `dir`, in no particular order. Entries whose names are
    /// not valid UTF-8 are skipped.
    /// - Throws: `.notFound` if the directory does not exist.
    func list(_ dir: String) throws(LakeError) -> [StorageEntry]

    /// Every file (not directory) below `dir`, at any depth, in no particular order.
    /// - Throws: `.notFound` if the directory does not exist.
    func listFilesRecursively(_ dir: String) throws(LakeError) -> [StorageEntry]

    /// Whether a file or directory exists at `path`.
    func exists(_ path: String) throws(LakeError) -> Bool

    /// Deletes a file. Returns `false` if there was nothing to delete, so retries are harmless.
    /// - Throws: `.io` if the path is a directory or cannot be removed.
    @discardableResult
    func delete(_ path: String) throws(LakeError) -> Bool

    /// Deletes directory `dir` if it exists and is empty. Returns whether it was deleted.
    @discardableResult
    func deleteDirectoryIfEmpty(_ dir: String) throws(LakeError) -> Bool

    /// The size in bytes of a file.
    /// - Throws: `.notFound` if there is no such file.
    func size(_ path: String) throws(LakeError) -> Int64

    /// Creates `dir` and any missing parents (`mkdir -p`). Existing directories are fine.
    func makeDirectories(_ dir: String) throws(LakeError)

    /// Makes the directory's entries (files created or renamed in it) durable. Object stores,
    /// where a completed PUT is durable, need nothing.
    func syncDirectory(_ dir: String) throws(LakeError)

    /// Gives a finished, durable file written at `temporary` (a ``temporaryPath(for:)``, filled
    /// through ``absolutePath(_:)`` — by a Parquet writer, say) its final name `path`, atomically:
    /// a reader of `path` sees no file or the whole file, never a prefix. The new directory entry
    /// becomes durable with ``syncDirectory(_:)`` of its parent.
    /// - Throws: `.notFound` if `temporary` does not exist, `.io` otherwise.
    func publish(_ temporary: String, as path: String) throws(LakeError)
}

/// One entry of a directory listing.
extension TableStorage {
    /// A fresh temporary name next to `path`: `.<name>.lake-tmp-<pid>-<random>`, which no reader
    /// takes for a table file and the next writer's recovery removes if a crash leaves it.
    public func temporaryPath(for path: String) -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return StoragePath.join(StoragePath.parent(path), ".\(StoragePath.fileName(path)).lake-tmp-\(getpid())-\(suffix)")
    }

    public func syncDirectory(_ dir: String) throws(LakeError) {}
}

public struct StorageEntry: Sendable, Hashable {
    /// The path relative to the table root (`p=1/abc-0_0-0-0_20250101000000000.parquet`).
    public var path: String
    /// Whether this is a directory.
    public var isDirectory: Bool
    /// The size in bytes (0 for directories).
    public var size: Int64
    /// Last modification time, milliseconds since 1970-01-01T00:00:00Z.
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
