import LakeCore

/// Structs from `M` values: each map key fills one member.
///
/// A struct with a `path` infers its members: a key seen for the first time becomes the member
/// ``AttributeNaming/memberName(forKey:)`` names, owned by that key (``ColumnOwners``); a key
/// whose member another key already fills refuses the record. A struct without a path (a type
/// the mapping states) matches keys to members by exact name and skips the others. Members a
/// map lacks are null.
final class StructBuilder: ValueBuilder {
    var names: [String]
    var members: [ValueBuilder]
    /// Where members are named and owned (inference), or `nil` for a mapping's struct type.
    let path: String?
    /// Map keys seen (raw bytes) → `keySlots` index.
    private var keys = NameIndex()
    /// Per key: the member it fills (≥ 0), or `-1 - i` for `refusals[i]`.
    private var keySlots: [Int] = []
    private var refusals: [String] = []

    init(members: [(String, ValueBuilder)], path: String?, strict: Bool) {
        names = members.map(\.0)
        self.members = members.map(\.1)
        self.path = path
        super.init(strict: strict)
        if path == nil {
            for n in names { bind(Array(n.utf8), to: keySlots.count) }
        }
    }

    private func bind(_ key: [UInt8], to slot: Int) {
        keys.insert(key)
        keySlots.append(slot)
    }

    override var type: ColumnType? {
        var m: [ColumnType.StructMember] = []
        for (n, b) in zip(names, members) {
            if let t = b.type { m.append(.init(n, t)) }
        }
        return m.isEmpty ? nil : .structure(m)
    }

    /// The slot of a key seen for the first time (inferring structs name, claim or refuse it);
    /// `nil` to skip the key.
    private func resolve(_ key: UnsafeRawBufferPointer, row: Int, _ ctx: DecodeContext) -> Int? {
        guard let path else { return nil }
        let raw = String(decoding: key, as: UTF8.self)
        let name = AttributeNaming.memberName(forKey: raw)
        let memberPath = ColumnOwners.path(path, name)
        let recorded = ctx.owners.owner(of: memberPath)
        if let i = names.firstIndex(of: name) {
            // A member of the table's schema (or claimed in an earlier batch): its owner is the
            // recorded attribute, or the key of its own name.
            let owner = recorded ?? name
            if owner == raw {
                bind(Array(key), to: i)
                return i
            }
            return refusal(DecodeContext.collision(raw, memberPath, owner: owner, what: "member"), key)
        }
        if let owner = recorded, owner != raw {
            return refusal(DecodeContext.collision(raw, memberPath, owner: owner, what: "member"), key)
        }
        if memberPath.utf8.reduce(0, { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }) > Self.maxInferredDepth {
            return refusal(
                "the value nests maps deeper than \(Self.maxInferredDepth) levels (member "
                    + "'\(memberPath.prefix(80))…'), which Hudi readers cannot read (the table's Avro schema "
                    + "would be too deep for them); flatten it, or map the attribute as json", key)
        }
        ctx.owners.claim(memberPath, by: raw)
        names.append(name)
        let b = PendingBuilder(path: memberPath)
        b.appendNulls(row)
        members.append(b)
        bind(Array(key), to: members.count - 1)
        return members.count - 1
    }

    /// The deepest struct nesting inference creates: a member `depth` maps below its column
    /// (`deep.a.…`, one `.` per level) is refused beyond it. 30 levels of nullable structs is
    /// the most whose Avro schema hudi-rs parses (``AvroSchema/maxReadableDepth``; measured: 30
    /// nested `M` values commit, 31 are refused by the schema check, which fails the whole batch).
    static let maxInferredDepth = 30

    private func refusal(_ reason: String, _ key: UnsafeRawBufferPointer) -> Int {
        refusals.append(reason)
        let slot = -refusals.count
        bind(Array(key), to: slot)
        return slot
    }

    override func appendValue(_ t: AttributeType, _ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        guard t == .m else { throw mismatch(t) }
        try ctx.enter()
        defer { ctx.leave() }
        let row = count
        do throws(LakeError) {
            try s.forEachMember { (s, key) throws(LakeError) in
                let found: Int? = try ctx.withContents(of: key, in: s) { (k) throws(LakeError) -> Int? in
                    if let e = keys.find(k) { return keySlots[e] }
                    return resolve(k, row: row, ctx)
                }
                guard let i = found else {
                    try s.skipValue()
                    return
                }
                guard i >= 0 else {
                    ctx.refuse(refusals[-1 - i])
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
            for i in members.indices { members[i] = ValueBuilder.truncated(members[i], to: row) }
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
        for i in members.indices { members[i] = ValueBuilder.truncated(members[i], to: n) }
    }

    override func finish() -> Column? {
        let v = takeValidity()
        var children: [Column] = []
        var keptNames: [String] = []
        var keptMembers: [ValueBuilder] = []
        for (i, m) in members.enumerated() {
            // A member still untyped (only nulls) is left out; a later batch adds it once a
            // value carries a type.
            guard let c = m.finish() else { continue }
            children.append(c)
            keptNames.append(names[i])
            keptMembers.append(m)
        }
        names = keptNames
        members = keptMembers
        // Key bindings refer to the old member order; they are resolved again if the builder is
        // used once more.
        keys = NameIndex()
        keySlots = []
        refusals = []
        if path == nil {
            for n in names { bind(Array(n.utf8), to: keySlots.count) }
        }
        guard !children.isEmpty else { return nil }
        return Column(.structure(children), validity: v)
    }

    override var estimatedByteCount: Int { members.reduce(count) { $0 + $1.estimatedByteCount } }
}
