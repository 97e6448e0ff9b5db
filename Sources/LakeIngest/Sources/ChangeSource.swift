import LakeCore

/// A source of change records, read in chunks of whole records (JSON lines): a file, a directory,
/// standard input, or a stream (Kinesis, DynamoDB Streams) implemented as a new type.
///
/// Sources are pulled by the pipeline: ``read(maxBytes:maxLines:)`` never blocks for long — it
/// returns ``SourceRead/idle`` when no complete record is available yet (a file that is still
/// growing, a quiet pipe or shard) and ``SourceRead/end`` when the input is finished. A source
/// may read ahead concurrently (one reader per shard) as long as `read` hands out records in the
/// order their ``SourceChunk/end`` positions describe.
///
/// Positions are the source's own: every chunk carries ``SourceChunk/end``, a ``Checkpoint`` of
/// this source (``kind``, ``path``) whose position members only the source interprets — a file's
/// offset and line (``FilePosition``), a sequence number per shard. The pipeline stores the end
/// of a window's last chunk with the window's commit and, after a restart, hands the newest one
/// back to ``resume(from:)``.
public protocol ChangeSource: AnyObject {
    /// The checkpoint kind (`file`, `directory`, `stdin`, `kinesis`, …).
    var kind: String { get }
    /// The source's identity within its kind (an absolute path, `-`, a stream's name or ARN):
    /// checkpoints of another kind or path are not this source's.
    var path: String { get }
    /// Moves to a committed position: the newest checkpoint of this source (its kind and path),
    /// one this source's chunks carried as ``SourceChunk/end``.
    /// - Throws: ``LakeError`` when the position no longer exists (a file truncated below it, a
    ///   shard trimmed past it) or the checkpoint is damaged.
    func resume(from checkpoint: Checkpoint) throws(LakeError)
    /// Reads whole records: at most `maxLines` records and, unless a single record is longer,
    /// at most `maxBytes` bytes.
    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead
}
