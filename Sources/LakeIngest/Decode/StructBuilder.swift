import LakeCore

/// Structs from `M` values: each map key fills the member of that name. Keys without a member
/// are added as new members (inference) or skipped (mapping-typed structs); members a map lacks
/// are null.
final class StructBuilder: ValueBuilder {
    var names: [String]
    var nameBytes: [[UInt8]]
    var members: [ValueBuilder]
    let inferMembers: Bool

    init(members: [(String, ValueBuilder)], inferMembers: Bool, strict: Bool) {
        names = members.map(\.0)
        nameBytes = members.map { Array($0.0.utf8) }
        self.members = members.map(\.1)
        self.inferMembers = inferMembers
        super.init(strict: strict)
    }

    override var type: ColumnType? {
        var m: [ColumnType.StructMember] = []
        for (n, b) in zip(names, members) {
            if let t = b.type { m.append(.init(n, t)) }
        }
        return m.isEmpty ? nil : .structure(m)
    }

    private func member(named key: UnsafeRawBufferPointer) -> Int? {
        for i in nameBytes.indices where nameBytes[i].count == key.count {
            if nameBytes[i].withUnsafeBytes({ $0.elementsEqual(key) }) { return i }
        }
        return nil
    }

    override func appendValue(_ t: AttributeType, _ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        guard t == .m else { throw mismatch(t) }
        try ctx.enter()
        defer { ctx.leave() }
        let row = count
        do throws(LakeError) {
            try s.forEachMember { (s, key) throws(LakeError) in
                let found: Int? = try ctx.withContents(of: key, in: s) { (k) throws(LakeError) -> Int? in
                    if let i = member(named: k) { return i }
                    guard inferMembers else { return nil }
                    names.append(String(decoding: k, as: UTF8.self))
                    nameBytes.append(Array(k))
                    let b = PendingBuilder()
                    b.appendNulls(row)
                    members.append(b)
                    return members.count - 1
                }
                guard let i = found else {
                    try s.skipValue()
                    return
                }
                guard members[i].count == row else {
                    throw valueError("map key '\(names[i])' appears twice")
                }
                let et = try s.openAttribute()
                do throws(LakeError) {
                    try appendAttribute(&members[i], et, &s, ctx)
                } catch {
                    throw LakeError(error.code, "member '\(names[i])': \(error.message)")
                }
                try s.closeAttribute()
            }
        } catch {
            for m in members { m.truncate(to: row) }
            throw error
        }
        for m in members where m.count == row { m.appendNull() }
    }

    override func appendPlaceholder() {
        for m in members { m.appendNull() }
    }

    override func truncate(to n: Int) {
        guard n < count else { return }
        super.truncate(to: n)
        for m in members { m.truncate(to: n) }
    }

    override func finish() -> Column? {
        let v = takeValidity()
        var children: [Column] = []
        var keptNames: [String] = []
        var keptBytes: [[UInt8]] = []
        var keptMembers: [ValueBuilder] = []
        for (i, m) in members.enumerated() {
            // A member still untyped (only nulls) is left out; a later batch adds it once a
            // value carries a type.
            guard let c = m.finish() else { continue }
            children.append(c)
            keptNames.append(names[i])
            keptBytes.append(nameBytes[i])
            keptMembers.append(m)
        }
        names = keptNames
        nameBytes = keptBytes
        members = keptMembers
        guard !children.isEmpty else { return nil }
        return Column(.structure(children), validity: v)
    }

    override var estimatedByteCount: Int { members.reduce(count) { $0 + $1.estimatedByteCount } }
}
