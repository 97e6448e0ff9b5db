import LakeCore

/// Shared state of one decoding run: a scratch buffer for unescaping strings and the decoding
/// policy. One per ``ChangeRecordDecoder``; not shared between threads.
final class DecodeContext {
    /// Unescaped string contents (only used for strings that contain escapes).
    var scratch: [UInt8] = []
    /// How deep the builders are in nested lists and maps (bounded by `maxAttributeDepth`).
    var depth = 0

    init() {
        scratch.reserveCapacity(256)
    }

    /// Calls `body` with the decoded bytes of a string span: the raw input when it has no
    /// escapes, else the unescaped copy in ``scratch``.
    @inline(__always)
    func withContents<R>(of span: JSONStringSpan, in s: JSONScanner,
                         _ body: (UnsafeRawBufferPointer) throws(LakeError) -> R) throws(LakeError) -> R {
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
        guard depth < maxAttributeDepth else { throw valueError("lists and maps nested deeper than \(maxAttributeDepth) levels") }
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
