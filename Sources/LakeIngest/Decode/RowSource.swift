/// Where a decoded row came from: the chunk of input it was read in, its byte range there and
/// its line number. Resolved to a ``SourcePosition`` and the raw line when a row is reported.
struct RowSource: Sendable, Hashable {
    var chunk: Int
    var range: Range<Int>
    var line: Int
}
