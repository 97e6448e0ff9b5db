/// Parses a complete JSON document (RFC 8259) into a ``JSONValue``.
///
/// Strict: one value surrounded only by whitespace (trailing garbage is an error), strings must
/// be valid UTF-8 without raw control characters, `\u` escapes must pair surrogates, numbers
/// follow the RFC grammar (no leading zeros, no `NaN`), and arrays and objects nest at most
/// ``maxDepth`` deep. Errors are ``LakeError`` `.invalidInput` with the byte column:
/// `column 12: expected ',' or '}' after an object member, found 'x'`.
///
/// For bulk row input use ``JSONScanner`` directly (as ``RowJSONDecoder`` does): building a
/// ``JSONValue`` allocates per node.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int

    /// A parser accepting arrays and objects nested at most `maxDepth` deep.
    public init(maxDepth: Int = JSONScanner.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Parses the document in `bytes`.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(LakeError) -> JSONValue {
        var s = JSONScanner(bytes, maxDepth: maxDepth)
        let v = try s.parseValue()
        try s.expectEnd()
        return v
    }

    /// Parses the document in `bytes`.
    public func parse(_ bytes: [UInt8]) throws(LakeError) -> JSONValue {
        try bytes.withUnsafeBytes { b in Result { () throws(LakeError) in try parse(b) } }.get()
    }

    /// Parses the document in `text`.
    public func parse(_ text: String) throws(LakeError) -> JSONValue {
        var t = text
        return try t.withUTF8 { b in Result { () throws(LakeError) in try parse(UnsafeRawBufferPointer(b)) } }.get()
    }
}

extension JSONScanner {
    /// Parses the value at the cursor (after whitespace) into a ``JSONValue``.
    ///
    /// - Parameter depth: the nesting depth of the value's container (0 at the top level).
    public mutating func parseValue(depth: Int = 0) throws(LakeError) -> JSONValue {
        switch peekKind() {
        case .object:
            try enterContainer(depth: depth)
            position += 1
            var members: [JSONMember] = []
            if consume(UInt8(ascii: "}")) { return .object(members) }
            repeat {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error(expected: "a string key") }
                let key = try parseString()
                try expect(UInt8(ascii: ":"), "':' after an object key")
                let value = try parseValue(depth: depth + 1)
                members.append(JSONMember(key, value))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "',' or '}' after an object member")
            return .object(members)
        case .array:
            try enterContainer(depth: depth)
            position += 1
            var elements: [JSONValue] = []
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            repeat {
                elements.append(try parseValue(depth: depth + 1))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), "',' or ']' after an array element")
            return .array(elements)
        case .string:
            return .string(try parseString())
        case .number:
            let span = try scanNumber()
            return .number(JSONNumber(validText: text(span.range)))
        case .bool:
            return .bool(try parseBool())
        case .null:
            try parseNull()
            return .null
        case nil:
            throw error(expected: "a value")
        }
    }
}
