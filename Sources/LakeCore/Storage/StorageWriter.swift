import LakeBase

/// A file being written as a stream (``TableStorage/makeWriter(_:)``): bytes are appended in
/// order and the file becomes visible, whole, when ``finish()`` returns — local storage renames a
/// durable temporary file into place, an object store completes one PUT or multipart upload.
///
/// Nothing is visible at ``path`` before `finish`. ``abandon()`` discards what was written; a
/// writer released without `finish` abandons itself, and one whose `write` or `finish` failed is
/// abandoned. A writer is used from one thread at a time.
public protocol StorageWriter: AnyObject {
    /// The table-relative path the file is published at.
    var path: String { get }
    /// Bytes appended so far (the file's size once finished).
    var bytesWritten: Int64 { get }
    /// Appends `bytes`.
    /// - Throws: `.io` naming the path; the writer is abandoned then.
    func write(_ bytes: UnsafeRawBufferPointer) throws(LakeError)
    /// Publishes the file atomically and durably under ``path``.
    /// - Throws: `.io` naming the path; nothing is published then.
    func finish() throws(LakeError)
    /// Discards the unfinished file. Harmless after `finish` (the published file stays) and when
    /// called twice.
    func abandon()
}

extension StorageWriter {
    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws(LakeError) {
        try bytes.withRawBytes { raw throws(LakeError) in try write(raw) }
    }
}
