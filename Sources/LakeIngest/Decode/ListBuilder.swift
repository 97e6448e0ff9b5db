import LakeCore

/// Lists from `SS`, `NS`, `BS` (elements of the set's type) and `L` (elements with their own
/// attribute types). The element builder converts or, in an inferred column, checks each
/// element; an inferred list's element type is taken from its first typed element.
final class ListBuilder: ValueBuilder {
    var element: ValueBuilder
    var offsets = ColumnOffsets()

    init(element: ValueBuilder, strict: Bool) {
        self.element = element
        super.init(strict: strict)
    }

    override var type: ColumnType? { element.type.map { .list($0) } }

    override func appendValue(_ t: AttributeType, _ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        try ctx.enter()
        defer { ctx.leave() }
        let before = element.count
        do throws(LakeError) {
            switch t {
            case .ss, .ns, .bs:
                let et = t.setElement!
                try s.forEachElement { (s, _) throws(LakeError) in
                    try appendAttribute(&element, et, &s, ctx)
                }
            case .l:
                try s.forEachElement { (s, i) throws(LakeError) in
                    let et = try s.openAttribute()
                    do throws(LakeError) {
                        try appendAttribute(&element, et, &s, ctx)
                    } catch {
                        throw LakeError(error.code, "element \(i): \(error.message)")
                    }
                    try s.closeAttribute()
                }
            default:
                throw mismatch(t)
            }
        } catch {
            element = ValueBuilder.truncated(element, to: before)
            throw error
        }
        offsets.append(element.count)
    }

    override func appendPlaceholder() { offsets.append(element.count) }

    override func truncate(to n: Int) {
        guard n < count else { return }
        super.truncate(to: n)
        element = ValueBuilder.truncated(element, to: offsets.truncate(to: n))
    }

    override func finish() -> Column? {
        let o = offsets.take()
        let v = takeValidity()
        guard let e = element.finish() else { return nil }
        return Column(.list(offsets: o, element: e), validity: v)
    }

    override var estimatedByteCount: Int { offsets.byteCount + element.estimatedByteCount }
}
