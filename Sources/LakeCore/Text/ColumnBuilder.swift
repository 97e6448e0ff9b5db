#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Shared state of one decoding run: the failing field's path (collected while an error
/// unwinds, innermost component first) and a scratch buffer for unescaping strings.
final class DecodeContext {
    @exclusivity(unchecked) var path: [String] = []
    @exclusivity(unchecked) var scratch: [UInt8] = []
    let ignoreUnknownFields: Bool

    init(ignoreUnknownFields: Bool) {
        self.ignoreUnknownFields = ignoreUnknownFields
    }

    /// The unescaped contents of a string span: the raw bytes when there are no escapes, else
    /// the scratch buffer.
    @inline(__always)
    func withContents<R>(
        of span: JSONStringSpan, in s: JSONScanner, _ body: (UnsafeRawBufferPointer) throws(LakeError) -> R
    ) throws(LakeError) -> R {
        if !span.hasEscapes { return try body(s.slice(span.range)) }
        scratch.removeAll(keepingCapacity: true)
        s.appendContents(of: span, to: &scratch)
        return try scratch.withUnsafeBytes { b in Result { () throws(LakeError) in try body(b) } }.get()
    }
}

/// Appends decoded JSON values of one field to typed column storage (the inverse of
/// ``ValueFormatter``). Subclasses implement one storage kind each; nesting builders own their
/// children. Built by ``ColumnBuilder/make(_:nullable:)`` from a ``ValueShape``.
///
/// Invariant: ``count`` slots have been appended (``slots``), and the storage holds as many.
class ColumnBuilder {
    let nullable: Bool
    /// Absent or `null` appends the placeholder (an empty list) instead of failing: set for
    /// bare `repeated` fields, which have no null.
    @exclusivity(unchecked) final var emptyWhenAbsent = false
    @exclusivity(unchecked) final var slots = ColumnSlots()

    /// The number of slots appended.
    final var count: Int {
        @inline(__always) get { slots.count }
        set { slots.count = newValue }
    }

    init(nullable: Bool) {
        self.nullable = nullable
    }

    static func make(_ shape: ValueShape, nullable: Bool) -> ColumnBuilder {
        switch shape {
        case .leaf(let l): return makeLeaf(l, nullable: nullable)
        case .list(let e, let en): return ListBuilder(element: make(e, nullable: en), nullable: nullable)
        case .map(let k, let v, let vn):
            return MapBuilder(
                key: make(k, nullable: false), value: v.map { make($0, nullable: vn) },
                keyIsString: { if case .leaf(let l) = k { return l.type == .string } else { return false } }(),
                nullable: nullable)
        case .structure(let members): return StructBuilder(members: members, nullable: nullable)
        }
    }

    /// Decodes the value at the cursor (whitespace already skipped), `null` included.
    @inline(__always)
    final func decode(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        if s.current == UInt8(ascii: "n") {
            try s.parseNull()
            try appendMissing("null is not allowed for a required field")
            return
        }
        try appendValue(&s, ctx)
        slots.appendValue()
    }

    /// Appends a null slot.
    final func appendNull() {
        slots.appendNull()
        appendPlaceholder()
    }

    /// Appends the slot of a member absent from its object (or `null`): null, or an error
    /// saying `message` when required.
    @inline(__always)
    final func appendMissing(_ message: @autoclosure () -> String = "missing required field") throws(LakeError) {
        if nullable {
            appendNull()
        } else if emptyWhenAbsent {
            appendDefault()
        } else {
            throw LakeError(.invalidInput, message())
        }
    }

    /// Appends a slot under a null parent: null when nullable, else a placeholder value.
    final func appendDefault() {
        if nullable {
            appendNull()
        } else {
            appendPlaceholder()
            slots.appendValue()
        }
    }

    // MARK: Subclass hooks

    /// Decodes a non-null value into storage (does not touch `count` or `validity`).
    func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        preconditionFailure("abstract")
    }

    /// Appends the storage of a null or defaulted slot (zero, empty).
    func appendPlaceholder() { preconditionFailure("abstract") }

    /// Drops slots beyond `n` (rolls back a partly decoded row).
    func truncate(to n: Int) { slots.truncate(to: n) }

    /// Moves the storage out as a column and resets to empty.
    func finish() -> Column { preconditionFailure("abstract") }

    /// Approximate bytes held.
    var estimatedByteCount: Int { count }

    /// Takes the validity for ``finish()`` and resets the common state.
    final func takeValidity() -> [Bool]? { slots.take() }

    /// Decodes the elements of the JSON array at the cursor (`[` checked by the caller) with
    /// `element`; an element's error gets its index (`[k]`) on the path.
    @inline(__always)
    final func forEachElement(
        _ s: inout JSONScanner, _ ctx: DecodeContext, _ what: String,
        _ element: (inout JSONScanner) throws(LakeError) -> Void
    ) throws(LakeError) {
        s.position += 1
        guard !s.consume(UInt8(ascii: "]")) else { return }
        var k = 0
        repeat {
            s.skipWhitespace()
            do { try element(&s) } catch {
                ctx.path.append("[\(k)]")
                throw error
            }
            k += 1
        } while s.consume(UInt8(ascii: ","))
        try s.expect(UInt8(ascii: "]"), "',' or ']' after \(what)")
    }

    // MARK: Errors

    /// `expected <what>, found <token at cursor>`.
    final func typeError(_ expected: String, _ s: JSONScanner) -> LakeError {
        LakeError(.invalidInput, "expected \(expected), found \(s.describeToken(at: s.position))")
    }

    /// `invalid <what> <token>: <reason>`.
    final func valueError(_ what: String, _ s: JSONScanner, at start: Int, _ reason: String) -> LakeError {
        LakeError(.invalidInput, "invalid \(what) \(s.describeToken(at: start)): \(reason)")
    }
}

// MARK: Nested builders

/// A list: offsets into the element builder.
final class ListBuilder: ColumnBuilder {
    let element: ColumnBuilder
    @exclusivity(unchecked) var offsets = ColumnOffsets()

    init(element: ColumnBuilder, nullable: Bool) {
        self.element = element
        super.init(nullable: nullable)
    }

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        guard s.current == UInt8(ascii: "[") else { throw typeError("an array", s) }
        try forEachElement(&s, ctx, "an array element") { (s) throws(LakeError) in try element.decode(&s, ctx) }
        offsets.append(element.count)
    }

    override func appendPlaceholder() { offsets.append(element.count) }

    override func truncate(to n: Int) {
        super.truncate(to: n)
        element.truncate(to: offsets.truncate(to: n))
    }

    override func finish() -> Column {
        let o = offsets.take()
        let e = element.finish()
        return Column(.list(offsets: o, element: e), validity: takeValidity())
    }

    override var estimatedByteCount: Int { offsets.byteCount + element.estimatedByteCount + count }
}

/// A map: offsets into key and value builders. Input is an array of `{"key": k, "value": v}`
/// objects, or, when keys are strings, a JSON object `{"k": v, …}`.
final class MapBuilder: ColumnBuilder {
    let key: ColumnBuilder
    let value: ColumnBuilder?
    let keyIsString: Bool
    @exclusivity(unchecked) var offsets = ColumnOffsets()

    init(key: ColumnBuilder, value: ColumnBuilder?, keyIsString: Bool, nullable: Bool) {
        self.key = key
        self.value = value
        self.keyIsString = keyIsString
        super.init(nullable: nullable)
    }

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        if s.current == UInt8(ascii: "{") && keyIsString {
            try appendObjectForm(&s, ctx)
            return
        }
        guard s.current == UInt8(ascii: "[") else {
            throw typeError(
                keyIsString
                    ? "an array of {\"key\": …, \"value\": …} objects or an object"
                    : "an array of {\"key\": …, \"value\": …} objects", s)
        }
        try forEachElement(&s, ctx, "a map entry") { (s) throws(LakeError) in try appendEntry(&s, ctx) }
        offsets.append(key.count)
    }

    private func appendEntry(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        guard s.current == UInt8(ascii: "{") else { throw typeError("a {\"key\": …, \"value\": …} object", s) }
        s.position += 1
        var sawKey = false
        var sawValue = false
        if !s.consume(UInt8(ascii: "}")) {
            repeat {
                s.skipWhitespace()
                let nameStart = s.position
                let name = try s.parseString()
                try s.expect(UInt8(ascii: ":"), "':' after an object key")
                s.skipWhitespace()
                if name == "key" && !sawKey {
                    sawKey = true
                    do { try key.decode(&s, ctx) } catch { ctx.path.append(".key"); throw error }
                } else if name == "value" && !sawValue {
                    sawValue = true
                    if let value {
                        do { try value.decode(&s, ctx) } catch { ctx.path.append(".value"); throw error }
                    } else {
                        try s.skipValue(depth: 1)
                    }
                } else {
                    let what = name == "key" || name == "value" ? "duplicate" : "unexpected"
                    throw LakeError(
                        .invalidInput,
                        "\(what) member \(s.describeToken(at: nameStart)) in a map entry (expected \"key\" and \"value\")"
                    )
                }
            } while s.consume(UInt8(ascii: ","))
            try s.expect(UInt8(ascii: "}"), "',' or '}' after an object member")
        }
        guard sawKey else { throw LakeError(.invalidInput, "map entry has no \"key\"") }
        if !sawValue, let value {
            do { try value.appendMissing() } catch { ctx.path.append(".value"); throw error }
        }
    }

    private func appendObjectForm(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        s.position += 1
        if !s.consume(UInt8(ascii: "}")) {
            repeat {
                s.skipWhitespace()
                guard s.current == UInt8(ascii: "\"") else { throw s.error(expected: "a string key") }
                let keyStart = s.position
                do { try key.decode(&s, ctx) } catch {
                    ctx.path.append("[\(s.describeToken(at: keyStart))]"); throw error
                }
                try s.expect(UInt8(ascii: ":"), "':' after an object key")
                s.skipWhitespace()
                if let value {
                    do { try value.decode(&s, ctx) } catch {
                        ctx.path.append("[\(s.describeToken(at: keyStart))]"); throw error
                    }
                } else {
                    try s.skipValue(depth: 1)
                }
            } while s.consume(UInt8(ascii: ","))
            try s.expect(UInt8(ascii: "}"), "',' or '}' after an object member")
        }
        offsets.append(key.count)
    }

    override func appendPlaceholder() { offsets.append(key.count) }

    override func truncate(to n: Int) {
        super.truncate(to: n)
        let children = offsets.truncate(to: n)
        key.truncate(to: children)
        value?.truncate(to: children)
    }

    override func finish() -> Column {
        let o = offsets.take()
        let k = key.finish()
        let v =
            value?.finish()
            ?? Column(.int32(Array(repeating: 0, count: k.count)), validity: Array(repeating: false, count: k.count))
        return Column(.map(offsets: o, keys: k, values: v), validity: takeValidity())
    }

    override var estimatedByteCount: Int {
        offsets.byteCount + key.estimatedByteCount + (value?.estimatedByteCount ?? 0) + count
    }
}

/// A struct (also the row itself): matches object keys to member builders.
final class StructBuilder: ColumnBuilder {
    let members: [StructMember]
    let children: [ColumnBuilder]
    // Unsafe mirrors for the per-key hot loop: no reference counting and no exclusivity checks.
    // `children` keeps the builders alive; all are freed in deinit.
    private let childRefs: UnsafeMutableBufferPointer<Unmanaged<ColumnBuilder>>
    /// All member names' UTF-8, back to back; member `k` is `nameBytes[nameOffsets[k]..<nameOffsets[k+1]]`.
    private let nameBytes: UnsafeMutableRawBufferPointer
    private let nameOffsets: UnsafeMutableBufferPointer<Int>
    /// `seen[k] == generation` when member `k` occurred in the current object.
    private let seen: UnsafeMutableBufferPointer<UInt32>
    @exclusivity(unchecked) private var generation: UInt32 = 0

    init(members: [StructMember], nullable: Bool) {
        self.members = members
        let children = members.map {
            let b = ColumnBuilder.make($0.shape, nullable: $0.nullable)
            b.emptyWhenAbsent = $0.isRepeated
            return b
        }
        self.children = children
        childRefs = .allocate(capacity: children.count)
        for (k, c) in children.enumerated() { childRefs[k] = Unmanaged.passUnretained(c) }
        var names: [UInt8] = []
        var offsets = [0]
        for m in members {
            names.append(contentsOf: m.name.utf8)
            offsets.append(names.count)
        }
        let nameBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(names.count, 1), alignment: 1)
        names.withUnsafeBytes { nameBytes.copyMemory(from: $0) }
        self.nameBytes = nameBytes
        nameOffsets = .allocate(capacity: offsets.count)
        _ = nameOffsets.initialize(from: offsets)
        seen = .allocate(capacity: members.count)
        seen.initialize(repeating: 0)
        super.init(nullable: nullable)
    }

    deinit {
        childRefs.deallocate()
        nameBytes.deallocate()
        nameOffsets.deallocate()
        seen.deallocate()
    }

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        guard s.current == UInt8(ascii: "{") else { throw typeError("an object", s) }
        s.position += 1
        generation &+= 1
        if generation == 0 {
            seen.update(repeating: 0)
            generation = 1
        }
        let n = childRefs.count
        var lastMatch = -1
        if !s.consume(UInt8(ascii: "}")) {
            repeat {
                s.skipWhitespace()
                guard s.current == UInt8(ascii: "\"") else { throw s.error(expected: "a string key") }
                let keyStart = s.position
                let span = try s.scanString()
                // Keys usually come in schema order: try the member after the last match first.
                var k = -1
                let hint = lastMatch + 1
                if hint < n && nameEquals(hint, span, s) {
                    k = hint
                } else {
                    for j in 0..<n where j != hint && nameEquals(j, span, s) {
                        k = j
                        break
                    }
                }
                try s.expect(UInt8(ascii: ":"), "':' after an object key")
                s.skipWhitespace()
                if k < 0 {
                    guard ctx.ignoreUnknownFields else {
                        let list =
                            members.prefix(12).map(\.name).joined(separator: ", ") + (members.count > 12 ? ", …" : "")
                        throw LakeError(
                            .invalidInput, "unknown field \(s.describeToken(at: keyStart)) (fields: \(list))")
                    }
                    try s.skipValue(depth: 1)
                } else {
                    guard seen[k] != generation else {
                        throw LakeError(.invalidInput, "duplicate field \(s.describeToken(at: keyStart))")
                    }
                    seen[k] = generation
                    lastMatch = k
                    var failure: LakeError?
                    childRefs[k]._withUnsafeGuaranteedRef { child in
                        do throws(LakeError) { try child.decode(&s, ctx) } catch { failure = error }
                    }
                    if let failure {
                        ctx.path.append(members[k].name)
                        throw failure
                    }
                }
            } while s.consume(UInt8(ascii: ","))
            try s.expect(UInt8(ascii: "}"), "',' or '}' after an object member")
        }
        for k in 0..<n where seen[k] != generation {
            do { try children[k].appendMissing() } catch {
                ctx.path.append(members[k].name)
                throw error
            }
        }
    }

    @inline(__always)
    private func nameEquals(_ k: Int, _ span: JSONStringSpan, _ s: JSONScanner) -> Bool {
        let lo = nameOffsets[k]
        let len = nameOffsets[k + 1] - lo
        if span.hasEscapes {
            return s.contents(of: span, equal: UnsafeRawBufferPointer(rebasing: nameBytes[lo..<(lo + len)]))
        }
        guard span.range.count == len else { return false }
        if len == 0 { return true }
        return memcmp(s.bytes.baseAddress! + span.range.lowerBound, nameBytes.baseAddress! + lo, len) == 0
    }

    override func appendPlaceholder() {
        for c in children { c.appendDefault() }
    }

    override func truncate(to n: Int) {
        super.truncate(to: n)
        for c in children { c.truncate(to: n) }
    }

    override func finish() -> Column {
        let cols = children.map { $0.finish() }
        return Column(.structure(cols), validity: takeValidity())
    }

    /// The children's columns, for the row builder (which has no validity of its own).
    func finishChildren() -> [Column] {
        _ = slots.take()
        return children.map { $0.finish() }
    }

    override var estimatedByteCount: Int { children.reduce(count) { $0 + $1.estimatedByteCount } }
}
