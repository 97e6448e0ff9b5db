/// A record: a named list of fields.
public struct AvroRecord: Sendable, Hashable {
    /// The record name (without namespace).
    public var name: String
    /// The namespace (`nil` for the null namespace).
    public var namespace: String?
    /// The `doc` attribute.
    public var doc: String?
    /// The fields, in order.
    public var fields: [AvroField]

    /// A record schema.
    public init(name: String, namespace: String? = nil, doc: String? = nil, fields: [AvroField]) {
        self.name = name
        self.namespace = namespace
        self.doc = doc
        self.fields = fields
    }

    /// `namespace.name`, or `name` in the null namespace.
    public var fullName: String { AvroNames.fullName(name, namespace) }

    /// The field with this name.
    public func field(_ name: String) -> AvroField? { fields.first { $0.name == name } }
}

/// A field of a record.
public struct AvroField: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The field's type.
    public var type: AvroSchema
    /// The `doc` attribute.
    public var doc: String?
    /// The `default` attribute; `nil` when absent.
    public var defaultValue: AvroDefault?

    /// A field; no default unless given.
    public init(name: String, type: AvroSchema, doc: String? = nil, defaultValue: AvroDefault? = nil) {
        self.name = name
        self.type = type
        self.doc = doc
        self.defaultValue = defaultValue
    }

    /// A nullable field as Hudi writes it: `{"name": n, "type": ["null", T], "default": null}`.
    public static func nullable(_ name: String, _ type: AvroSchema, doc: String? = nil) -> AvroField {
        AvroField(name: name, type: .nullable(type), doc: doc, defaultValue: .null)
    }
}

/// A field's default value.
public enum AvroDefault: Sendable, Hashable {
    /// `"default": null`.
    case null
    /// Any other default, as compact JSON text (`0`, `"abc"`, `[]`).
    case json(String)
}
