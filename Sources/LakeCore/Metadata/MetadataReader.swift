/// Typed access to the keys of a JSON object with error messages that name the location.
struct MetadataReader {
    let json: MetadataJSON
    let loc: String

    init(_ json: MetadataJSON, _ loc: String) {
        self.json = json
        self.loc = loc
    }

    private func mismatch(_ key: String, _ expected: String, _ v: MetadataJSON) -> LakeError {
        LakeError(.corruptTable, "\(loc).\(key): expected \(expected), found \(v.typeName)")
    }

    /// A string, `nil` if absent or null.
    func string(_ key: String) throws(LakeError) -> String? {
        guard let v = json[key], !v.isNull else { return nil }
        guard case .string(let s) = v else { throw mismatch(key, "a string", v) }
        return s
    }

    /// An integer, `nil` if absent or null. Numbers with a fraction are rejected.
    func int(_ key: String) throws(LakeError) -> Int64? {
        guard let v = json[key], !v.isNull else { return nil }
        switch v {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: return Int64(d)
        default: throw mismatch(key, "an integer", v)
        }
    }

    func bool(_ key: String) throws(LakeError) -> Bool? {
        guard let v = json[key], !v.isNull else { return nil }
        guard case .bool(let b) = v else { throw mismatch(key, "a boolean", v) }
        return b
    }

    func object(_ key: String) throws(LakeError) -> [(String, MetadataJSON)]? {
        guard let v = json[key], !v.isNull else { return nil }
        guard case .object(let o) = v else { throw mismatch(key, "an object", v) }
        return o
    }
}
