import LakeAWS
import LakeCore

/// ``S3Storage``'s random-access reader. Opening it reads the object's tail (where a Parquet file
/// keeps its footer) in one ranged GET that also tells the object's size and entity tag; reads
/// inside the tail are served from it, others are ranged GETs pinned to the entity tag with
/// `If-Match`, so a reader never mixes two versions of an object: a replaced object fails the read
/// with `.io` instead.
final class S3StorageReader: StorageReader {
    /// The tail read on opening: a Parquet footer and its length fit in it for typical files.
    static let tailSize: Int64 = 64 << 10

    let path: String
    let size: Int64
    private let storage: S3Storage
    private let key: String
    private let etag: String?
    private let tail: [UInt8]
    private let tailStart: Int64

    init(storage: S3Storage, path: String, key: String, size: Int64, etag: String?, tail: [UInt8]) {
        self.storage = storage
        self.path = path
        self.key = key
        self.size = size
        self.etag = etag
        self.tail = tail
        self.tailStart = size - Int64(tail.count)
    }

    func read(_ range: Range<Int64>) throws(LakeError) -> [UInt8] {
        guard range.lowerBound >= 0 else {
            throw LakeError(.invalidArgument, "read \(path): negative offset \(range.lowerBound)")
        }
        let end = min(range.upperBound, size)
        guard end > range.lowerBound else { return [] }
        if range.lowerBound >= tailStart {
            return Array(tail[Int(range.lowerBound - tailStart)..<Int(end - tailStart)])
        }
        do {
            let data = try storage.client.fetchObject(
                bucket: storage.bucket, key: key, range: .closed(first: range.lowerBound, last: end - 1), ifMatch: etag)
            return data.body
        } catch  where error.code == .preconditionFailed || error.code == .notFound {
            throw LakeError(
                .io, "read \(path) (\(storage.root)): the object was replaced or deleted since it was opened",
                cause: error)
        } catch {
            throw LakeError(s3: error, "read", path)
        }
    }
}
