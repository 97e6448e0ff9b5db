#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LakeCore
import LakeBase

/// Whole-file reads and small file-system helpers.
enum FileBytes {
    /// The contents of a file.
    static func read(_ path: String) throws(LakeError) -> [UInt8] {
        let f = try PosixFile.open(path)
        var out: [UInt8] = []
        while try f.read(appendingTo: &out, max: 1 << 20) > 0 {}
        return out
    }

    /// Whether a path exists and what it is.
    static func kind(_ path: String) -> (exists: Bool, isDirectory: Bool) {
        var st = stat()
        guard stat(path, &st) == 0 else { return (false, false) }
        return (true, (st.st_mode & S_IFMT) == S_IFDIR)
    }

    /// The size and identity of a path, or `nil` when it does not exist.
    static func status(_ path: String) -> (size: Int64, device: UInt64, inode: UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (Int64(st.st_size), UInt64(st.st_dev), UInt64(st.st_ino))
    }

    /// The names in a directory (no `.` and `..`), unsorted.
    static func list(_ dir: String) throws(LakeError) -> [String] {
        guard let d = opendir(dir) else { throw PosixFile.error("cannot list", dir) }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates a directory and its parents (like `mkdir -p`).
    static func makeDirectories(_ path: String) throws(LakeError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw PosixFile.error("cannot create directory", prefix)
            }
        }
    }

    /// Writes a file atomically: a temporary file in the same directory, fsync, rename.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        let tmp = path + ".tmp-\(getpid())"
        let fd = tmp.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw PosixFile.error("cannot create", tmp) }
        if case .failure = bytes.withUnsafeBytes({ Syscall.writeAll(fd, $0) }) {
            let e = PosixFile.error("cannot write", tmp)
            close(fd)
            unlink(tmp)
            throw e
        }
        guard fsync(fd) == 0 else {
            let e = PosixFile.error("cannot sync", tmp)
            close(fd)
            throw e
        }
        close(fd)
        guard rename(tmp, path) == 0 else { throw PosixFile.error("cannot rename to \(path)", tmp) }
    }
}
