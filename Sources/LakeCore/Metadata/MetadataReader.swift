/// Typed access to the keys of a JSON object with error messages that name the location.
struct MetadataReader {
    let json: JSONValue
    let loc: String

    init(_ json: JSONValue, _ loc: String) {
        self.json = json
        self.loc = loc
    }

    private func mismatch(_ key: String, _ expected: String, _ v: JSONValue) -> LakeError {
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
        if let i = v.int64Value { return i }
        // A whole number written with a fraction or exponent (`5.0`, `5e0`) is accepted too.
        if case .number(let n) = v, let d = n.double, d == d.rounded(), abs(d) < 9.2e18 { return Int64(d) }
        throw mismatch(key, "an integer", v)
    }

    func bool(_ key: String) throws(LakeError) -> Bool? {
        guard let v = json[key], !v.isNull else { return nil }
        guard case .bool(let b) = v else { throw mismatch(key, "a boolean", v) }
        return b
    }

    func object(_ key: String) throws(LakeError) -> [(String, JSONValue)]? {
        guard let v = json[key], !v.isNull else { return nil }
        guard case .object(let o) = v else { throw mismatch(key, "an object", v) }
        return o.map { ($0.key, $0.value) }
    }
}
