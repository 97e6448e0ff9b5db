/// Decodes JSON lines in lake's canonical row form into a columnar ``RecordBatch`` for a
/// ``ParquetSchema`` (the inverse of ``ValueFormatter``/``RowFormatter``).
///
/// Each line is one JSON object whose keys are the schema's top-level field names. The decoder
/// walks each object once with a ``JSONScanner``, matching keys to fields and appending straight
/// into typed column storage, so no per-row dictionaries or ``JSONValue`` trees are built.
///
/// Accepted values per type are the canonical forms (see ``ValueFormatter``), plus:
/// - DATE, TIME and TIMESTAMP also accept a JSON integer: the stored value (days, or units);
///   timestamp strings may use a space for `T` and a `±HH:MM` offset (adjusted ones only);
/// - DECIMAL also accepts a JSON number (its exact text is used) and an exponent;
///   extra fraction digits are accepted only when they are zeros;
/// - MAP also accepts a JSON object when its keys are strings;
/// - UUID-sized FIXED_LEN_BYTE_ARRAY(16) also accepts `8-4-4-4-12` hex text.
///
/// A missing key or `null` makes a nullable field null; for a required field either is an
/// error. Unknown keys are errors unless ``Options/ignoreUnknownFields``. Errors are
/// ``LakeError`` `.invalidInput` naming the line and the field path:
/// `line 17, field 'amount': expected a number, found "abc"`; syntax errors add the byte column.
/// A row that fails is rolled back, so the decoder stays usable.
///
/// Not thread-safe; use one decoder per input stream.
public final class RowJSONDecoder {
    /// Decoding options.
    public struct Options: Sendable {
        /// Skip object members that name no field instead of failing.
        public var ignoreUnknownFields = false
        /// The deepest nesting of arrays and objects accepted in skipped values.
        public var maxDepth = JSONScanner.defaultMaxDepth

        /// Options; the defaults reject unknown fields and nest at most 512 deep.
        public init(ignoreUnknownFields: Bool = false, maxDepth: Int = JSONScanner.defaultMaxDepth) {
            self.ignoreUnknownFields = ignoreUnknownFields
            self.maxDepth = maxDepth
        }
    }

    /// The schema rows are decoded for.
    public let schema: ParquetSchema
    /// The options in effect.
    public let options: Options
    private let root: StructBuilder
    private let context: DecodeContext

    /// Rows decoded since the last ``makeBatch()``.
    public private(set) var rowCount = 0

    /// A decoder producing batches of `schema`.
    public init(schema: ParquetSchema, options: Options = Options()) {
        self.schema = schema
        self.options = options
        let members = schema.fields.map(StructMember.init(field:))
        root = StructBuilder(members: members, nullable: false)
        context = DecodeContext(ignoreUnknownFields: options.ignoreUnknownFields)
    }

    /// Decodes one line holding one JSON object and appends it as a row.
    ///
    /// - Parameters:
    ///   - line: the line's bytes (no line terminator needed; surrounding whitespace is fine).
    ///   - lineNumber: the 1-based line number used in error messages.
    /// - Throws: ``LakeError`` `.invalidInput`; the row is not appended.
    public func appendRow(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(LakeError) {
        var s = JSONScanner(line, maxDepth: options.maxDepth)
        do throws(LakeError) {
            guard s.peek() == UInt8(ascii: "{") else {
                throw LakeError(
                    .invalidInput, "expected a JSON object for the row, found \(s.describeToken(at: s.position))")
            }
            try root.appendValue(&s, context)
            try s.expectEnd()
        } catch {
            root.truncate(to: rowCount)
            throw locate(error, line: lineNumber)
        }
        rowCount += 1
        root.count = rowCount
    }

    /// Decodes every non-blank line of `text` (see ``JSONLines``).
    ///
    /// - Parameter firstLineNumber: the number of the first line in `text`, for messages.
    /// - Throws: on the first bad line; rows before it stay appended.
    public func appendLines(_ text: UnsafeRawBufferPointer, firstLineNumber: Int = 1) throws(LakeError) {
        for line in JSONLines(text, firstLineNumber: firstLineNumber) {
            try appendRow(UnsafeRawBufferPointer(rebasing: text[line.range]), lineNumber: line.number)
        }
    }

    /// Decodes every non-blank line of `text`.
    public func appendLines(_ text: String, firstLineNumber: Int = 1) throws(LakeError) {
        var t = text
        try t.withUTF8 { b in
            Result { () throws(LakeError) in
                try appendLines(UnsafeRawBufferPointer(b), firstLineNumber: firstLineNumber)
            }
        }.get()
    }

    /// Approximate bytes held by the decoded rows (to bound batch sizes).
    public var estimatedByteCount: Int { root.estimatedByteCount }

    /// Returns the rows decoded so far as a batch and starts a new one.
    public func makeBatch() -> RecordBatch {
        let n = rowCount
        let columns = root.finishChildren()
        rowCount = 0
        return RecordBatch(schema: schema, columns: columns, rowCount: n)
    }

    /// Decodes JSON lines into one batch.
    public static func decode(
        _ text: String, schema: ParquetSchema, options: Options = Options()
    ) throws(LakeError) -> RecordBatch {
        let d = RowJSONDecoder(schema: schema, options: options)
        try d.appendLines(text)
        return d.makeBatch()
    }

    /// Prefixes an error with the line and the field path collected while it unwound.
    private func locate(_ error: LakeError, line: Int) -> LakeError {
        let path = context.path.reversed().reduce(into: "") { p, c in
            if !p.isEmpty && !c.hasPrefix("[") && !c.hasPrefix(".") { p += "." }
            p += c
        }
        context.path.removeAll()
        var message = error.message
        var location = "line \(line)"
        // Syntax errors from the scanner start with "column N: "; keep the column next to the line.
        if message.hasPrefix("column "), let colon = message.firstIndex(of: ":") {
            location += ", " + message[..<colon]
            let rest = message.index(colon, offsetBy: 2, limitedBy: message.endIndex) ?? message.endIndex
            message = String(message[rest...])
        }
        if !path.isEmpty { location += ", field '\(path)'" }
        return LakeError(error.code, "\(location): \(message)", cause: error.cause)
    }
}
