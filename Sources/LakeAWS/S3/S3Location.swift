/// A place in S3 named by a URL: `s3://bucket/prefix` — a bucket and a key or key prefix (no
/// leading slash; may be empty). Parses and prints back the same text.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// The key or key prefix, without a leading `/` (a trailing `/` is kept as given).
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// True when `text` starts with `s3://` (case-insensitively): a location, not a local path.
    public static func isS3URL(_ text: String) -> Bool {
        text.utf8.count >= 5 && text.prefix(5).lowercased() == "s3://"
    }

    /// Parses `s3://bucket` or `s3://bucket/key/prefix`.
    /// - Throws: `AWSError(.invalidRequest)` naming the text when it does not start with `s3://` or
    ///   the bucket name is not a valid S3 bucket name.
    public init(url text: String) throws(AWSError) {
        guard Self.isS3URL(text) else {
            throw AWSError(.invalidRequest, "'\(text)' is not an S3 URL (expected s3://bucket/prefix)")
        }
        let rest = text.dropFirst(5)
        let slash = rest.firstIndex(of: "/")
        let bucket = String(rest[..<(slash ?? rest.endIndex)])
        guard S3Client.isValidBucketName(bucket) else {
            throw AWSError(
                .invalidRequest,
                "'\(text)' names the bucket '\(bucket)', which is not a valid S3 bucket name "
                    + "(3–63 characters: lower-case letters, digits, '.', '-')")
        }
        self.init(bucket: bucket, key: slash.map { String(rest[rest.index(after: $0)...]) } ?? "")
    }

    /// `s3://bucket/key` (`s3://bucket` when the key is empty).
    public var description: String { key.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(key)" }

    /// The location of `name` under this one, with exactly one `/` between them.
    public func appending(_ name: String) -> S3Location {
        if key.isEmpty { return S3Location(bucket: bucket, key: name) }
        return S3Location(bucket: bucket, key: key.hasSuffix("/") ? key + name : key + "/" + name)
    }
}
