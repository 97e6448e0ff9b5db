import LakeCore

/// Shared state of one decoding run: a scratch buffer for unescaping strings and the decoding
/// policy. One per ``ChangeRecordDecoder``; not shared between threads.
final class DecodeContext {
    /// Unescaped string contents (only used for strings that contain escapes).
    var scratch: [UInt8] = []
    /// How deep the builders are in nested lists and maps (bounded by `maxAttributeDepth`).
    var depth = 0
    /// Which attribute names own the columns and members renames can produce (claimed as names
    /// are first seen).
    var owners: ColumnOwners
    /// Why the record being decoded is refused, found while its attributes are still being read
    /// (two names for one column): decoding goes on so that every name of the record is seen,
    /// and the record is refused when it is complete.
    var refusal: String?

    init(owners: ColumnOwners = ColumnOwners()) {
        self.owners = owners
        scratch.reserveCapacity(256)
    }

    /// Notes why the current record is refused (the first reason wins).
    func refuse(_ reason: String) {
        if refusal == nil { refusal = reason }
    }

    /// The reason two attribute names cannot share `column` (a column or a struct member).
    static func collision(_ attribute: String, _ column: String, owner: String?, what: String) -> String {
        let by = owner.map { "attribute '\($0)'" } ?? "a column of the mapping or of lake"
        return "attribute '\(attribute)' would be \(what) '\(column)', which \(by) already fills; "
            + "lake does not merge two attributes into one column (names that are not valid column names "
            + "are renamed, see docs/ingest.md); map one of them to a column of its own"
    }

    /// Calls `body` with the decoded bytes of a string span: the raw input when it has no
    /// escapes, else the unescaped copy in ``scratch``.
    @inline(__always)
    func withContents<R>(
        of span: JSONStringSpan, in s: JSONScanner,
        _ body: (UnsafeRawBufferPointer) throws(LakeError) -> R
    ) throws(LakeError) -> R {
        if !span.hasEscapes { return try body(s.slice(span.range)) }
        scratch.removeAll(keepingCapacity: true)
        s.appendContents(of: span, to: &scratch)
        return try scratch.withUnsafeBytes { b in Result { () throws(LakeError) in try body(b) } }.get()
    }
}

extension DecodeContext {
    /// Enters a nested list or map, refusing nesting deeper than `maxAttributeDepth`.
    @inline(__always)
    func enter() throws(LakeError) {
        guard depth < maxAttributeDepth else {
            throw valueError("lists and maps nested deeper than \(maxAttributeDepth) levels")
        }
        depth += 1
    }

    @inline(__always)
    func leave() { depth -= 1 }
}

/// A value that does not fit its column, raised by builders; the decoder adds the attribute and
/// the record position.
@inline(never)
func valueError(_ message: String) -> LakeError {
    LakeError(.invalidInput, message)
}

/// Text for messages: the value cut at 60 bytes, quoted.
func quoted(_ b: UnsafeRawBufferPointer) -> String {
    let cut = b.count > 60
    let s = String(decoding: cut ? UnsafeRawBufferPointer(rebasing: b[0..<60]) : b, as: UTF8.self)
    return "'" + s + (cut ? "…'" : "'")
}

/// `Array.withUnsafeBytes` for a body with typed throws.
@inline(__always)
func withBytes<R, E: Error>(of a: [UInt8], _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    try a.withUnsafeBytes { b in Result { () throws(E) in try body(b) } }.get()
}
