import LakeCore

/// A source of change records as JSON lines, read in chunks of whole lines.
///
/// Sources are pulled by the pipeline: ``read(maxBytes:maxLines:)`` never blocks for long — it
/// returns ``SourceRead/idle`` when no complete line is available yet (a file that is still
/// growing, a quiet pipe) and ``SourceRead/end`` when the input is finished.
public protocol ChangeSource: AnyObject {
    /// The checkpoint kind (`file`, `directory`, `stdin`).
    var kind: String { get }
    /// The checkpoint path (absolute, or `-`).
    var path: String { get }
    /// Moves to a committed position (the newest checkpoint of this source).
    /// - Throws: ``LakeError`` when the position no longer exists (a file truncated below it).
    func resume(from checkpoint: Checkpoint) throws(LakeError)
    /// Reads whole lines: at most `maxLines` lines and, unless a single line is longer,
    /// at most `maxBytes` bytes.
    func read(maxBytes: Int, maxLines: Int) throws(LakeError) -> SourceRead
    /// The checkpoint for a position this source produced (a chunk's end).
    func checkpoint(at position: SourcePosition) -> Checkpoint
}
