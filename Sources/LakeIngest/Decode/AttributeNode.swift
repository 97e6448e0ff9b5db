/// The attribute paths a mapping reads from one image (`NewImage`, `OldImage` or `Keys`), as a
/// trie: each attribute name leads to the columns that take its value (terminals) and, for
/// paths into maps, to a child node for the map's members.
final class AttributeNode {
    struct Terminal {
        var column: Int
        /// The attribute type the mapping's path names (`id.S`), if any.
        var requiredType: AttributeType?
    }

    struct Entry {
        var name: String
        var terminals: [Terminal] = []
        var child: AttributeNode?
        /// Why a record carrying this attribute is refused (its column belongs to another
        /// attribute name); such an entry has no terminals.
        var refusal: String?
    }

    /// The `fastColumn` of an entry whose attribute refuses the record.
    static let refused = -2

    var index = NameIndex()
    var entries: [Entry] = []
    /// Per entry: the column when the entry is exactly one terminal without a child (the
    /// common case, decoded without touching `entries`), else -1.
    var fastColumn: [Int] = []
    /// Per entry: the required type of that single terminal.
    var fastType: [AttributeType?] = []

    var isEmpty: Bool { entries.isEmpty }

    /// The entry for `name`, adding an empty one when missing.
    func entry(named name: String) -> Int {
        let bytes = Array(name.utf8)
        if let i = bytes.withUnsafeBytes({ index.find($0) }) { return i }
        entries.append(Entry(name: name))
        fastColumn.append(-1)
        fastType.append(nil)
        return index.insert(bytes)
    }

    /// Marks the attribute `name` as refusing every record that carries it, for `reason`.
    /// Returns its entry.
    func refuse(_ name: String, reason: String) -> Int {
        let e = entry(named: name)
        entries[e].refusal = reason
        fastColumn[e] = Self.refused
        fastType[e] = nil
        return e
    }

    /// Binds `column` to the attribute path `steps` (every step but the last is a map).
    func bind(_ steps: ArraySlice<SourcePath.AttributeStep>, column: Int, requiredType: AttributeType?) {
        let first = steps.first!
        let e = entry(named: first.name)
        if steps.count == 1 {
            entries[e].terminals.append(Terminal(column: column, requiredType: requiredType ?? first.type))
        } else {
            let child = entries[e].child ?? AttributeNode()
            entries[e].child = child
            child.bind(steps.dropFirst(), column: column, requiredType: requiredType)
        }
        let single = entries[e].terminals.count == 1 && entries[e].child == nil
        fastColumn[e] = single ? entries[e].terminals[0].column : -1
        fastType[e] = single ? entries[e].terminals[0].requiredType : nil
    }
}
