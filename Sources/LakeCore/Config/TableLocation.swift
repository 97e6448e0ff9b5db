/// Where a table lives, parsed from what a user gives: a directory (`/data/t`, `data/t`,
/// `./s3:odd/t`) or a URI (`file:///data/t`, `s3://bucket/prefix`).
///
/// Every way into a table — ``Table/create(at:config:schema:)``, ``Table/open(_:)``, the CLI's
/// `--table` — goes through ``init(parsing:)``, so a location lake cannot serve is refused in
/// one place, before anything is created: `gs://bucket/t` must never become a local folder
/// named `gs:`. ``TableStorageResolver`` turns a location into its ``TableStorage``.
///
/// Rules: text that starts with a URI scheme (`[A-Za-z][A-Za-z0-9+.-]*:`, then anything) is a
/// URI; `file:` URIs name a local path (`file:///data/t`, `file:/data/t`); `s3://` (and Hadoop's
/// `s3a://`) name a bucket and a key prefix in S3 or an S3-compatible store; every other scheme
/// is refused. Anything else is a local path. A local directory whose first name segment ends
/// in `:` can still be reached as `./name:/…`.
public enum TableLocation: Sendable, Hashable, CustomStringConvertible {
    /// A directory on the local file system (absolute, or relative to the working directory).
    case local(path: String)
    /// A key prefix in an S3 bucket (`s3://bucket/prefix`); the prefix has no leading or trailing
    /// `/` and may be empty (the table at the bucket's root).
    case s3(bucket: String, prefix: String)

    /// Parses a location.
    /// - Throws: `.invalidArgument` naming the location for an empty one, or a URI scheme lake
    ///   does not support (`s3://…`, `gs://…`, `hdfs://…`).
    public init(parsing text: String) throws(LakeError) {
        guard !text.isEmpty else { throw LakeError(.invalidArgument, "the table location is empty") }
        guard let scheme = Self.scheme(of: text) else {
            self = .local(path: text)
            return
        }
        if ["s3", "s3a"].contains(scheme.lowercased()) {
            self = try Self.parseS3(text, scheme: scheme)
            return
        }
        guard scheme.lowercased() == "file" else {
            let what =
                ["s3n", "gs", "gcs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos"].contains(scheme.lowercased())
                ? "object storage other than S3 (\(scheme)://) is not supported"
                : "the \(scheme): scheme is not supported"
            throw LakeError(
                .invalidArgument,
                "table location '\(text)': \(what); give a local directory or s3://bucket/prefix"
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

    /// `s3://bucket/prefix`: the bucket is 3–63 of `a-z 0-9 . - _`, the prefix a relative path
    /// without empty, `.` or `..` segments (a trailing `/` is dropped).
    private static func parseS3(_ text: String, scheme: String) throws(LakeError) -> TableLocation {
        let rest = text.dropFirst(scheme.count + 1)
        guard rest.hasPrefix("//") else {
            throw LakeError(.invalidArgument, "table location '\(text)': expected s3://bucket/prefix")
        }
        let afterSlashes = rest.dropFirst(2)
        let bucket = String(afterSlashes.prefix { $0 != "/" })
        let validBucket =
            (3...63).contains(bucket.utf8.count)
            && bucket.utf8.allSatisfy { b in
                (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x2D || b == 0x5F
            }
        guard validBucket else {
            throw LakeError(
                .invalidArgument,
                "table location '\(text)': '\(bucket)' is not an S3 bucket name "
                    + "(3–63 characters: lower-case letters, digits, '.', '-')")
        }
        var prefix = String(afterSlashes.dropFirst(bucket.count).drop { $0 == "/" })
        while prefix.hasSuffix("/") { prefix.removeLast() }
        do throws(LakeError) {
            try StoragePath.validate(prefix)
        } catch {
            throw LakeError(.invalidArgument, "table location '\(text)': \(error.message)")
        }
        return .s3(bucket: bucket, prefix: prefix)
    }

    /// The local directory; `nil` for object storage.
    public var localPath: String? {
        switch self {
        case .local(let path): path
        case .s3: nil
        }
    }

    /// The location as given back to users: the directory for a local table, else the URI
    /// (`s3://bucket/prefix`).
    public var description: String {
        switch self {
        case .local(let path): path
        case .s3(let bucket, let prefix): prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
        }
    }

    /// The last name of the location (`t` for `/data/t` and `s3://b/data/t`), a default table name.
    public var lastName: String? {
        switch self {
        case .local(let path): path.split(separator: "/").last.map(String.init)
        case .s3(let bucket, let prefix): prefix.split(separator: "/").last.map(String.init) ?? bucket
        }
    }

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
