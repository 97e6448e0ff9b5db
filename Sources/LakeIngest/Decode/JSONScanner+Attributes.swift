import LakeCore

/// The deepest nesting of maps and lists lake decodes (DynamoDB allows 32 levels).
let maxAttributeDepth = 64

extension JSONScanner {
    /// Reads the opening of an attribute value object, `{"T":`, and returns its type. The cursor
    /// ends at the value; ``closeAttribute()`` consumes the closing `}`.
    @inline(__always)
    mutating func openAttribute() throws(LakeError) -> AttributeType {
        try expect(UInt8(ascii: "{"), "an attribute value object such as {\"S\": …}")
        skipWhitespace()
        let key = try scanString()
        guard !key.hasEscapes, let t = AttributeType.match(slice(key.range)) else {
            throw LakeError(
                .invalidInput,
                "'\(text(key.range))' is not a DynamoDB attribute type (S, N, B, BOOL, NULL, SS, NS, BS, L, M)")
        }
        try expect(UInt8(ascii: ":"), "':' after an attribute type")
        skipWhitespace()
        return t
    }

    /// Consumes the `}` that closes an attribute value object.
    @inline(__always)
    mutating func closeAttribute() throws(LakeError) {
        if consume(UInt8(ascii: "}")) { return }
        if peek() == UInt8(ascii: ",") {
            throw LakeError(.invalidInput, "an attribute value object has more than one type key")
        }
        throw error(expected: "'}' closing an attribute value")
    }

    /// Iterates the members of an object at the cursor: calls `body` with each key span, with
    /// the cursor at the member's value (whitespace skipped); `body` must consume the value.
    @inline(__always)
    mutating func forEachMember(_ body: (inout JSONScanner, JSONStringSpan) throws(LakeError) -> Void) throws(LakeError)
    {
        try expect(UInt8(ascii: "{"), "an object")
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error(expected: "a string key") }
            let key = try scanString()
            try expect(UInt8(ascii: ":"), "':' after an object key")
            skipWhitespace()
            try body(&self, key)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}' after an object member")
    }

    /// Iterates the elements of an array at the cursor: calls `body` with the element index and
    /// the cursor at the element (whitespace skipped); `body` must consume it.
    @inline(__always)
    mutating func forEachElement(_ body: (inout JSONScanner, Int) throws(LakeError) -> Void) throws(LakeError) {
        try expect(UInt8(ascii: "["), "an array")
        if consume(UInt8(ascii: "]")) { return }
        var i = 0
        repeat {
            skipWhitespace()
            try body(&self, i)
            i += 1
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']' after an array element")
    }
}
