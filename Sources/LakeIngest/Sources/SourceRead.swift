/// The result of one read.
public enum SourceRead: Sendable {
    case chunk(SourceChunk)
    /// Nothing complete to read right now; try again later.
    case idle
    /// The input is finished.
    case end
}
