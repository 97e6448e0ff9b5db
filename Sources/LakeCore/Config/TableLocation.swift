/// Where a table lives, parsed from what a user gives: a directory (`/data/t`, `data/t`,
/// `./s3:odd/t`) or a URI (`file:///data/t`).
///
/// Every way into a table — ``Table/create(at:config:schema:)``, ``Table/open(_:)``, the CLI's
/// `--table` — goes through ``init(parsing:)``, so a location lake cannot serve is refused in
/// one place, before anything is created: `s3://bucket/t` must never become a local folder
/// named `s3:`. Object storage will be a new case here.
///
/// Rules: text that starts with a URI scheme (`[A-Za-z][A-Za-z0-9+.-]*:`, then anything) is a
/// URI; `file:` URIs name a local path (`file:///data/t`, `file:/data/t`), every other scheme
/// is refused. Anything else is a local path. A local directory whose first name segment ends
/// in `:` can still be reached as `./name:/…`.
public enum TableLocation: Sendable, Hashable, CustomStringConvertible {
    /// A directory on the local file system (absolute, or relative to the working directory).
    case local(path: String)

    /// Parses a location.
    /// - Throws: `.invalidArgument` naming the location for an empty one, or a URI scheme lake
    ///   does not support (`s3://…`, `gs://…`, `hdfs://…`).
    public init(parsing text: String) throws(LakeError) {
        guard !text.isEmpty else { throw LakeError(.invalidArgument, "the table location is empty") }
        guard let scheme = Self.scheme(of: text) else {
            self = .local(path: text)
            return
        }
        guard scheme.lowercased() == "file" else {
            let what =
                ["s3", "s3a", "s3n", "gs", "gcs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos"]
                    .contains(scheme.lowercased())
                ? "object storage (\(scheme)://) is not supported yet" : "the \(scheme): scheme is not supported"
            throw LakeError(
                .invalidArgument,
                "table location '\(text)': \(what); give a local directory "
                    + "(lake stores tables on local file systems only)"
            )
        }
        var path = Substring(text.dropFirst(scheme.count + 1))
        if path.hasPrefix("//") {
            path = path.dropFirst(2)
            // file://host/path: only an empty host or localhost is this machine.
            let host = path.prefix { $0 != "/" }
            guard host.isEmpty || host.lowercased() == "localhost" else {
                throw LakeError(
                    .invalidArgument,
                    "table location '\(text)': a file URI on another host (\(host)) cannot be read; "
                        + "give a local directory"
                )
            }
            path = path.dropFirst(host.count)
        }
        guard !path.isEmpty else { throw LakeError(.invalidArgument, "table location '\(text)' names no directory") }
        self = .local(path: String(path))
    }

    /// The local directory.
    public var localPath: String {
        switch self {
        case .local(let path): path
        }
    }

    /// The location as given back to users (the directory for a local table).
    public var description: String { localPath }

    /// The URI scheme `text` starts with (`s3` for `s3://b/t`), or `nil`.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let candidate = text[..<colon]
        guard let first = candidate.unicodeScalars.first, first.isASCIILetter else { return nil }
        let ok = candidate.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || "+.-".unicodeScalars.contains($0)
        }
        return ok ? String(candidate) : nil
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
