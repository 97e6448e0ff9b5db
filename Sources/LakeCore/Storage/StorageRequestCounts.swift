/// Requests a storage served, by the kind an object store bills and throttles: what
/// ``MemoryStorage`` counts, so a test can show how many requests an operation makes.
public struct StorageRequestCounts: Sendable, Hashable, CustomStringConvertible {
    /// Listings of one directory (prefix + delimiter), also emptiness checks and listings of
    /// incomplete uploads.
    public var list = 0
    /// Reads of a whole object or of a byte range.
    public var get = 0
    /// Metadata requests: size, existence, opening a reader.
    public var head = 0
    /// Objects published: whole writes, put-if-absent creates, finished streaming writes.
    public var put = 0
    /// Deletions of objects and aborted uploads.
    public var delete = 0
    /// Bytes returned by reads.
    public var bytesRead: Int64 = 0
    /// Bytes published.
    public var bytesWritten: Int64 = 0

    /// No requests.
    public init() {}

    /// Requests of every kind.
    public var total: Int { list + get + head + put + delete }

    /// `LIST 3, GET 10, HEAD 2, PUT 4, DELETE 1 (read 1200 B, written 4000 B)`.
    public var description: String {
        "LIST \(list), GET \(get), HEAD \(head), PUT \(put), DELETE \(delete) "
            + "(read \(bytesRead) B, written \(bytesWritten) B)"
    }

    /// The requests made between `earlier` and these counts.
    public static func - (later: StorageRequestCounts, earlier: StorageRequestCounts) -> StorageRequestCounts {
        var d = StorageRequestCounts()
        d.list = later.list - earlier.list
        d.get = later.get - earlier.get
        d.head = later.head - earlier.head
        d.put = later.put - earlier.put
        d.delete = later.delete - earlier.delete
        d.bytesRead = later.bytesRead - earlier.bytesRead
        d.bytesWritten = later.bytesWritten - earlier.bytesWritten
        return d
    }
}
