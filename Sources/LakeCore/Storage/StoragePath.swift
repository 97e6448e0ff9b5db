/// Helpers for the table-relative, `/`-separated paths ``TableStorage`` takes.
public enum StoragePath {
    /// Checks that `path` stays inside the table root: relative, no empty, `.` or `..`
    /// segments, no NUL byte. `""` (the root itself) is valid.
    /// - Throws: `.invalidArgument` naming the path and what is wrong with it.
    public static func validate(_ path: String) throws(LakeError) {
        if path.isEmpty { return }
        if path.utf8.contains(0) {
            throw LakeError(.invalidArgument, "storage path '\(printable(path))' contains a NUL byte")
        }
        if path.hasPrefix("/") {
            throw LakeError(.invalidArgument, "storage path '\(path)' must be relative to the table root")
        }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty {
                throw LakeError(.invalidArgument, "storage path '\(path)' has an empty segment")
            }
            if segment == "." || segment == ".." {
                throw LakeError(.invalidArgument, "storage path '\(path)' has a '\(segment)' segment")
            }
        }
    }

    /// Joins segments with `/`, skipping empty ones: `join("", "a", "b.parquet") == "a/b.parquet"`.
    public static func join(_ parts: String...) -> String {
        join(parts)
    }

    /// Joins segments with `/`, skipping empty ones.
    public static func join(_ parts: [String]) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// The directory part of `path` (`""` for a top-level name).
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// The last segment of `path`.
    public static func fileName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func printable(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 ? "?" : Character($0) })
    }
}
