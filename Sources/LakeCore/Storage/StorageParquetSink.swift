import LakeParquet

/// A ``ParquetSink`` that streams a Parquet writer's output into a ``StorageWriter``, so a base
/// file goes to the storage as it is encoded, never whole in memory (local storage: through a
/// 1 MiB buffer into a temporary file).
///
/// The sink's `finish` does not publish: the caller publishes with the storage writer's
/// ``StorageWriter/finish()`` once the Parquet writer is closed, and abandons it on failure.
/// A storage error is kept (``failure``) so the caller can rethrow it with its own code rather
/// than as a Parquet I/O error.
final class StorageParquetSink: ParquetSink {
    let writer: any StorageWriter
    /// The storage error that failed a write, if any.
    private(set) var failure: LakeError?

    init(_ writer: any StorageWriter) {
        self.writer = writer
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        do {
            try writer.write(bytes)
        } catch {
            failure = error
            throw ParquetError(.io, error.message)
        }
    }

    func finish() throws(ParquetError) {}
}
