/// A fixed-size byte string type.
public struct AvroFixed: Sendable, Hashable {
    /// The type name (without namespace).
    public var name: String
    /// The namespace (`nil` for the null namespace).
    public var namespace: String?
    /// The size in bytes.
    public var size: Int
    /// `decimal` or `nil`.
    public var logical: AvroLogicalType?

    /// A fixed type.
    public init(name: String, namespace: String? = nil, size: Int, logical: AvroLogicalType? = nil) {
        self.name = name
        self.namespace = namespace
        self.size = size
        self.logical = logical
    }

    /// `namespace.name`, or `name` in the null namespace.
    public var fullName: String { AvroNames.fullName(name, namespace) }
}

/// An enumeration of symbols.
public struct AvroEnum: Sendable, Hashable {
    /// The type name (without namespace).
    public var name: String
    /// The namespace (`nil` for the null namespace).
    public var namespace: String?
    /// The `doc` attribute.
    public var doc: String?
    /// The symbols, in order.
    public var symbols: [String]
    /// The `default` symbol, if any.
    public var defaultSymbol: String?

    /// An enum type.
    public init(
        name: String, namespace: String? = nil, doc: String? = nil, symbols: [String], defaultSymbol: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.doc = doc
        self.symbols = symbols
        self.defaultSymbol = defaultSymbol
    }

    /// `namespace.name`, or `name` in the null namespace.
    public var fullName: String { AvroNames.fullName(name, namespace) }
}

/// Avro name rules.
public enum AvroNames {
    /// `namespace.name`, or `name` when the namespace is nil or empty.
    public static func fullName(_ name: String, _ namespace: String?) -> String {
        guard let ns = namespace, !ns.isEmpty else { return name }
        return ns + "." + name
    }

    /// Whether `s` is a valid Avro name: `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isValid(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F }
        return letter(first) && s.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// `s` with every character outside `[A-Za-z0-9_]` replaced by `_`, and a `_` prepended if it
    /// would start with a digit (or is empty).
    public static func sanitized(_ s: String) -> String {
        var out = String(
            s.unicodeScalars.map { u -> Character in
                let v = u.value
                let ok = (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
                return ok ? Character(u) : "_"
            })
        if out.isEmpty || out.first!.isNumber { out = "_" + out }
        return out
    }
}
