/// A change record that was refused: where it is, why, and its raw text.
///
/// With ``ErrorPolicy/fail`` it is the ``LakeError/cause`` of the error that stops the batch, so
/// a caller can tell a refused record (which ``ErrorPolicy/quarantine`` would have set aside)
/// from a failure of the batch, the source or the table.
public struct IngestIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the record is.
    public var position: SourcePosition
    /// Why it was refused (names the attribute or field and the types involved).
    public var reason: String
    /// The line as read (without its line terminator).
    public var line: [UInt8]

    public init(position: SourcePosition, reason: String, line: [UInt8]) {
        self.position = position
        self.reason = reason
        self.line = line
    }

    /// `file:line: reason`.
    public var description: String { "\(position): \(reason)" }
}
