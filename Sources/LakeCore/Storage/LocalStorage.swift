#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// ``TableStorage`` on a local (POSIX) file system.
///
/// Durability: ``write(_:_:)`` writes a temporary file in the target's directory, `fsync`s it,
/// `rename`s it over the target and `fsync`s the directory. A streaming writer
/// (``makeWriter(_:)``) does the same with a file it fills through a 1 MiB buffer: its bytes go
/// to the temporary file as they come (never a whole file in memory), and `finish` `fsync`s,
/// renames and `fsync`s the directory. ``createExclusive(_:_:)`` writes and
/// `fsync`s a temporary file the same way, then publishes it with `link(2)`, which fails with
/// `EEXIST` if the target exists; so the content is atomic *and* exactly one racing creator
/// wins. On file systems without hard links it falls back to `open(O_CREAT|O_EXCL)` and writes
/// in place (exclusive, but a crash can leave a partial file). New directories are `fsync`ed into
/// their parents. Temporary files are named `.<name>.lake-tmp-<pid>-<random>`; a crash can leave
/// one behind, they never parse as table files, and ``discardIncompleteWrites(in:startedBefore:)``
/// removes them. Reads of byte ranges use `pread` on a descriptor held by the reader.
public struct LocalStorage: TableStorage {
    /// The absolute path of the table directory, without a trailing `/`.
    public let root: String

    /// Opens a table directory. A relative `root` is resolved against the current directory;
    /// the directory itself need not exist yet (``makeDirectories(_:)`` with `""` creates it).
    public init(root: String) {
        var r = root
        if !r.hasPrefix("/") {
            r = Self.currentDirectory() + "/" + r
        }
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    /// The location of `path` on the local file system (`<root>/<path>`), for tools and messages.
    /// Not part of ``TableStorage``: table code never opens files around the storage.
    public func absolutePath(_ path: String) -> String {
        path.isEmpty ? root : root + "/" + path
    }

    /// A fresh temporary name next to `path`: `.<name>.lake-tmp-<pid>-<random>`, which no reader
    /// takes for a table file and ``discardIncompleteWrites(in:startedBefore:)`` removes.
    func temporaryPath(for path: String) -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let name = ".\(StoragePath.fileName(path))\(Self.temporaryMarker)\(getpid())-\(suffix)"
        return StoragePath.join(StoragePath.parent(path), name)
    }

    /// What every temporary file name holds.
    static let temporaryMarker = ".lake-tmp-"

    /// Whether `name` is one of this storage's temporary file names.
    static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(temporaryMarker)
    }

    // MARK: Reading

    public func read(_ path: String) throws(LakeError) -> [UInt8] {
        try StoragePath.validate(path)
        let abs = absolutePath(path)
        let fd = try Posix.open(abs, O_RDONLY | O_CLOEXEC, op: "read", path: path)
        defer { _ = close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw Posix.error("read", path, abs) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw LakeError(.io, "read \(path) (\(abs)): is a directory")
        }
        // Read the size fstat reported straight into uninitialized storage, then whatever the
        // file grew by meanwhile.
        var out = try Posix.readExactly(fd, count: max(Int(st.st_size), 0), path: path, abs: abs)
        while try Posix.readChunk(fd, into: &out, upTo: 65536, path: path, abs: abs) > 0 {}
        return out
    }

    public func read(_ path: String, range: Range<Int64>) throws(LakeError) -> [UInt8] {
        try StoragePath.validate(path)
        guard range.lowerBound >= 0 else {
            throw LakeError(.invalidArgument, "read \(path): negative offset \(range.lowerBound)")
        }
        let abs = absolutePath(path)
        let fd = try Posix.open(abs, O_RDONLY | O_CLOEXEC, op: "read", path: path)
        defer { _ = close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw Posix.error("read", path, abs) }
        let end = min(range.upperBound, Int64(st.st_size))
        guard end > range.lowerBound else { return [] }
        return try Posix.readExactly(
            fd, count: Int(end - range.lowerBound), offset: range.lowerBound, path: path, abs: abs)
    }

    public func makeReader(_ path: String) throws(LakeError) -> any StorageReader {
        try StoragePath.validate(path)
        return try LocalFileReader(path: path, absolutePath: absolutePath(path))
    }

    // MARK: Writing

    public func makeWriter(_ path: String) throws(LakeError) -> any StorageWriter {
        try StoragePath.validate(path)
        guard !path.isEmpty else { throw LakeError(.invalidArgument, "write: empty path") }
        try makeDirectories(StoragePath.parent(path))
        return try LocalFileWriter(
            path: path, absolutePath: absolutePath(path),
            temporary: absolutePath(temporaryPath(for: path)),
            directory: absolutePath(StoragePath.parent(path)))
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        try StoragePath.validate(path)
        guard !path.isEmpty else { throw LakeError(.invalidArgument, "write: empty path") }
        let dir = StoragePath.parent(path)
        try makeDirectories(dir)
        let tmp = try writeTemporary(for: path, bytes)
        if rename(tmp, absolutePath(path)) != 0 {
            let e = errno
            _ = unlink(tmp)
            throw Posix.error("write (rename)", path, absolutePath(path), code: e)
        }
        try Posix.syncDirectory(absolutePath(dir), path: path)
    }

    public func createExclusive(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        try StoragePath.validate(path)
        guard !path.isEmpty else { throw LakeError(.invalidArgument, "create: empty path") }
        let dir = StoragePath.parent(path)
        try makeDirectories(dir)
        let abs = absolutePath(path)
        let tmp = try writeTemporary(for: path, bytes)
        if link(tmp, abs) == 0 {
            _ = unlink(tmp)
            try Posix.syncDirectory(absolutePath(dir), path: path)
            return
        }
        let e = errno
        _ = unlink(tmp)
        switch e {
        case EEXIST:
            throw LakeError(.alreadyExists, "create \(path) (\(abs)): already exists")
        case EPERM, EOPNOTSUPP, EXDEV, ENOSYS, EMLINK:
            try createInPlace(path, abs, bytes)
            try Posix.syncDirectory(absolutePath(dir), path: path)
        default:
            throw Posix.error("create (link)", path, abs, code: e)
        }
    }

    /// O_EXCL fallback for file systems without hard links.
    private func createInPlace(_ path: String, _ abs: String, _ bytes: [UInt8]) throws(LakeError) {
        let fd = try Posix.open(abs, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644, op: "create", path: path)
        do throws(LakeError) {
            try Posix.writeAll(fd, bytes, path: path, abs: abs)
            if fsync(fd) != 0 { throw Posix.error("create (fsync)", path, abs) }
        } catch {
            _ = close(fd)
            _ = unlink(abs)
            throw error
        }
        _ = close(fd)
    }

    /// Writes `bytes` to a fresh temporary file next to `path`, fsyncs it and returns its absolute path.
    private func writeTemporary(for path: String, _ bytes: [UInt8]) throws(LakeError) -> String {
        let tmp = absolutePath(temporaryPath(for: path))
        let fd = try Posix.open(
            tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644, op: "write (temp file)", path: path)
        do throws(LakeError) {
            try Posix.writeAll(fd, bytes, path: path, abs: tmp)
            if fsync(fd) != 0 { throw Posix.error("write (fsync)", path, tmp) }
        } catch {
            _ = close(fd)
            _ = unlink(tmp)
            throw error
        }
        if close(fd) != 0 {
            let e = errno
            _ = unlink(tmp)
            throw Posix.error("write (close)", path, tmp, code: e)
        }
        return tmp
    }

    // MARK: Listing

    public func list(_ dir: String) throws(LakeError) -> [StorageEntry] {
        try StoragePath.validate(dir)
        var out: [StorageEntry] = []
        try forEachChild(dir) { entry, _ in out.append(entry) }
        return out
    }

    /// Calls `body` with each child of `dir` (not `.`/`..`) and whether it is a symbolic link.
    private func forEachChild(_ dir: String, _ body: (StorageEntry, Bool) -> Void) throws(LakeError) {
        let abs = absolutePath(dir)
        guard let handle = opendir(abs) else { throw Posix.error("list", dir, abs) }
        defer { closedir(handle) }
        while true {
            errno = 0
            guard let ent = readdir(handle) else {
                if errno != 0 { throw Posix.error("list", dir, abs) }
                break
            }
            let name: String? = withUnsafePointer(to: &ent.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: ent.pointee.d_name)) {
                    String(validatingCString: $0)
                }
            }
            guard let name, name != ".", name != ".." else { continue }
            let child = StoragePath.join(dir, name)
            let childAbs = abs + "/" + name
            var st = stat()
            guard lstat(childAbs, &st) == 0 else { continue }  // vanished since readdir
            var isSymlink = false
            if (st.st_mode & S_IFMT) == S_IFLNK {
                isSymlink = true
                guard stat(childAbs, &st) == 0 else { continue }  // dangling link
            }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            body(
                StorageEntry(
                    path: child, isDirectory: isDir, size: isDir ? 0 : Int64(st.st_size),
                    modifiedMillis: Posix.modifiedMillis(st)), isSymlink)
        }
    }

    // MARK: Metadata and removal

    public func exists(_ path: String) throws(LakeError) -> Bool {
        try StoragePath.validate(path)
        var st = stat()
        if stat(absolutePath(path), &st) == 0 { return true }
        if errno == ENOENT || errno == ENOTDIR { return false }
        throw Posix.error("stat", path, absolutePath(path))
    }

    @discardableResult
    public func delete(_ path: String) throws(LakeError) -> Bool {
        try StoragePath.validate(path)
        guard !path.isEmpty else { throw LakeError(.invalidArgument, "delete: empty path") }
        if unlink(absolutePath(path)) == 0 { return true }
        if errno == ENOENT || errno == ENOTDIR { return false }
        throw Posix.error("delete", path, absolutePath(path))
    }

    @discardableResult
    public func deleteDirectoryIfEmpty(_ dir: String) throws(LakeError) -> Bool {
        try StoragePath.validate(dir)
        guard !dir.isEmpty else {
            throw LakeError(.invalidArgument, "delete directory: refusing to delete the table root")
        }
        if rmdir(absolutePath(dir)) == 0 { return true }
        switch errno {
        case ENOENT, ENOTEMPTY, EEXIST: return false
        default: throw Posix.error("delete directory", dir, absolutePath(dir))
        }
    }

    public func size(_ path: String) throws(LakeError) -> Int64 {
        try StoragePath.validate(path)
        var st = stat()
        guard stat(absolutePath(path), &st) == 0 else { throw Posix.error("size", path, absolutePath(path)) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw LakeError(.io, "size \(path) (\(absolutePath(path))): is a directory")
        }
        return Int64(st.st_size)
    }

    @discardableResult
    public func discardIncompleteWrites(in dir: String, startedBefore: Int64?) throws(LakeError) -> Int {
        try StoragePath.validate(dir)
        var leftovers: [StorageEntry] = []
        do throws(LakeError) {
            try forEachChild(dir) { entry, _ in
                guard !entry.isDirectory, Self.isTemporary(entry.name) else { return }
                if let cutoff = startedBefore, entry.modifiedMillis >= cutoff { return }
                leftovers.append(entry)
            }
        } catch  where error.code == .notFound {
            return 0
        }
        var removed = 0
        for e in leftovers where try delete(e.path) { removed += 1 }
        return removed
    }

    public func makeDirectories(_ dir: String) throws(LakeError) {
        try StoragePath.validate(dir)
        // Root first (it may not exist yet), then each segment.
        var prefixes: [String] = [""]
        var current = ""
        for seg in dir.split(separator: "/") {
            current = StoragePath.join(current, String(seg))
            prefixes.append(current)
        }
        for (i, p) in prefixes.enumerated() {
            let abs = absolutePath(p)
            if i == 0 {
                try Posix.makeAbsoluteDirectories(abs)
                continue
            }
            if mkdir(abs, 0o755) == 0 {
                try Posix.syncDirectory(absolutePath(prefixes[i - 1]), path: p)
                continue
            }
            let e = errno
            var st = stat()
            if e == EEXIST, stat(abs, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { continue }
            throw Posix.error("make directory", p, abs, code: e == EEXIST ? ENOTDIR : e)
        }
    }

    private static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "/" }
        return buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
