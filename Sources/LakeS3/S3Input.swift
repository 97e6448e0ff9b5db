import LakeAWS
import LakeCore

/// Input files named by an `s3://bucket/key` URL (a `--input` of the CLI), read with the process's
/// AWS client (``S3StorageFactory/client()``).
public enum S3Input {
    /// Whether `text` is an S3 URL rather than a local path.
    public static func isS3(_ text: String) -> Bool { S3Location.isS3URL(text) }

    /// The whole object at `url`.
    /// - Throws: `.invalidArgument` for a URL naming no object; `.notFound`, `.accessDenied` or
    ///   `.io` as ``S3Storage`` reports them, naming the URL and S3's error code.
    public static func read(_ url: String) throws(LakeError) -> [UInt8] {
        let location: S3Location
        do {
            location = try S3Location(url: url)
        } catch {
            throw LakeError(.invalidArgument, error.message)
        }
        guard !location.key.isEmpty, !location.key.hasSuffix("/") else {
            throw LakeError(.invalidArgument, "'\(url)' names a bucket or prefix, not an object")
        }
        let client = S3Client(try S3StorageFactory.client())
        do {
            return try client.getObject(bucket: location.bucket, key: location.key)
        } catch {
            throw LakeError(s3: error, "read", url)
        }
    }
}
