/// A file opened for random-access reads (``TableStorage/makeReader(_:)``): its size, and the
/// bytes of any range — what a Parquet reader needs (footer first, then only the column chunks a
/// query reads). Local storage reads with `pread` on an open descriptor; an object store issues
/// ranged GETs.
public protocol StorageReader: Sendable {
    /// The table-relative path.
    var path: String { get }
    /// The file's size in bytes when it was opened.
    var size: Int64 { get }
    /// The bytes of `range`, clipped to the file as ``TableStorage/read(_:range:)`` clips.
    /// - Throws: `.invalidArgument` for a negative offset, `.io` otherwise.
    func read(_ range: Range<Int64>) throws(LakeError) -> [UInt8]
}
