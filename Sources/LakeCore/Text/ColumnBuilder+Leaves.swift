extension ColumnBuilder {
    static func makeLeaf(_ l: LeafShape, nullable: Bool) -> ColumnBuilder {
        switch l.physical {
        case .boolean:
            return BooleanBuilder(nullable: nullable)
        case .int32:
            return Int32Builder(type: l.type, nullable: nullable)
        case .int64, .int96:
            return Int64Builder(type: l.type, nullable: nullable)
        case .float:
            return FloatBuilder(nullable: nullable)
        case .double:
            return DoubleBuilder(nullable: nullable)
        case .byteArray:
            return ByteArrayBuilder(type: l.type, nullable: nullable)
        case .fixedLenByteArray:
            return FixedBuilder(type: l.type, width: max(l.width, 1), nullable: nullable)
        }
    }

    /// Scans an integer token, or throws `expected <what>` when the value is not an integer.
    @inline(__always)
    final func scanInteger(
        _ s: inout JSONScanner, _ what: @autoclosure () -> String
    ) throws(LakeError) -> (JSONNumberSpan, Int64?) {
        guard s.peekKind() == .number else { throw typeError(what(), s) }
        let span = try s.scanNumber()
        guard span.isInteger else {
            throw LakeError(.invalidInput, "expected \(what()), found \(s.describeToken(at: span.range.lowerBound))")
        }
        return (span, JSONNumber.int64(fromText: s.slice(span.range)))
    }

    /// `N out of range for <type> (lo…hi)`.
    final func rangeError(
        _ s: JSONScanner, _ span: JSONNumberSpan, _ type: String, _ lo: String, _ hi: String
    ) -> LakeError {
        LakeError(.invalidInput, "\(s.text(span.range)) is out of range for \(type) (\(lo)…\(hi))")
    }
}

final class BooleanBuilder: ColumnBuilder {
    @exclusivity(unchecked) var values: [Bool] = []

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        if s.matchLiteral("true") {
            values.append(true)
        } else if s.matchLiteral("false") {
            values.append(false)
        } else {
            throw typeError("true or false", s)
        }
    }

    override func appendPlaceholder() { values.append(false) }
    override func truncate(to n: Int) { super.truncate(to: n); values.removeLast(values.count - n) }
    override func finish() -> Column {
        defer { values = [] }
        return Column(.boolean(values), validity: takeValidity())
    }
    override var estimatedByteCount: Int { values.count }
}

/// Shared parsing of date, time and timestamp values: a string in the canonical form, or an
/// integer taken as the stored value (days, or units of the time unit).
extension ColumnBuilder {
    final func scanTemporal(
        _ s: inout JSONScanner, _ ctx: DecodeContext, _ what: String,
        _ parse: (UnsafeRawBufferPointer) throws(TextValueError) -> Int64
    ) throws(LakeError) -> Int64? {
        switch s.peekKind() {
        case .string:
            let start = s.position
            let span = try s.scanString()
            let scanner = s
            return try ctx.withContents(of: span, in: s) { (b) throws(LakeError) -> Int64 in
                do throws(TextValueError) { return try parse(b) } catch {
                    throw valueError(what, scanner, at: start, error.reason)
                }
            }
        case .number:
            return nil
        default:
            throw typeError("a \(what) string", s)
        }
    }
}

final class Int32Builder: ColumnBuilder {
    let type: CanonicalType
    @exclusivity(unchecked) var values: [Int32] = []

    init(type: CanonicalType, nullable: Bool) {
        self.type = type
        super.init(nullable: nullable)
    }

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        switch type {
        case .integer(let bits, let signed):
            let (span, v) = try scanInteger(&s, "an integer")
            let lo: Int64 = signed ? -(1 << (bits - 1)) : 0
            let hi: Int64 = signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1
            guard let v, v >= lo && v <= hi else {
                throw rangeError(s, span, signed ? "INT(\(bits))" : "UINT(\(bits))", String(lo), String(hi))
            }
            values.append(Int32(truncatingIfNeeded: v))
        case .date:
            let v = try scanTemporal(&s, ctx, "date", TemporalText.parseDate)
            try append(v, &s, "a date string \"YYYY-MM-DD\" or a day number")
        case .time(let unit):
            let v = try scanTemporal(&s, ctx, "time") { (b) throws(TextValueError) -> Int64 in
                try TemporalText.parseTime(b, unit: unit)
            }
            try append(v, &s, "a time string \"HH:MM:SS.fff\" or an integer")
        case .decimal(let precision, let scale):
            let v = try scanDecimal(&s, ctx, precision: precision, scale: scale)
            guard v >= Int64(Int32.min) && v <= Int64(Int32.max) else {
                throw LakeError(
                    .invalidInput, "decimal does not fit the INT32 storage of DECIMAL(\(precision),\(scale))")
            }
            values.append(Int32(v))
        default:
            let (span, v) = try scanInteger(&s, "an integer")
            guard let v, let x = Int32(exactly: v) else {
                throw rangeError(s, span, "INT32", String(Int32.min), String(Int32.max))
            }
            values.append(x)
        }
    }

    /// Appends a parsed temporal value, or reads an integer in its place.
    private func append(_ parsed: Int64?, _ s: inout JSONScanner, _ what: @autoclosure () -> String) throws(LakeError) {
        if let parsed {
            guard let x = Int32(exactly: parsed) else {
                throw LakeError(.invalidInput, "value \(parsed) is out of range for INT32 storage")
            }
            values.append(x)
            return
        }
        let (span, v) = try scanInteger(&s, what())
        guard let v, let x = Int32(exactly: v) else {
            throw rangeError(s, span, "INT32", String(Int32.min), String(Int32.max))
        }
        values.append(x)
    }

    override func appendPlaceholder() { values.append(0) }
    override func truncate(to n: Int) { super.truncate(to: n); values.removeLast(values.count - n) }
    override func finish() -> Column {
        defer { values = [] }
        return Column(.int32(values), validity: takeValidity())
    }
    override var estimatedByteCount: Int { values.count * 4 }
}

final class Int64Builder: ColumnBuilder {
    let type: CanonicalType
    @exclusivity(unchecked) var values: [Int64] = []

    init(type: CanonicalType, nullable: Bool) {
        self.type = type
        super.init(nullable: nullable)
    }

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        switch type {
        case .integer(_, false):
            guard s.peekKind() == .number else { throw typeError("an integer", s) }
            let span = try s.scanNumber()
            guard span.isInteger else {
                throw LakeError(
                    .invalidInput, "expected an integer, found \(s.describeToken(at: span.range.lowerBound))")
            }
            guard let v = JSONNumber.uint64(fromText: s.slice(span.range)) else {
                throw rangeError(s, span, "UINT(64)", "0", String(UInt64.max))
            }
            values.append(Int64(bitPattern: v))
        case .timestamp(let unit, let utc):
            let v = try scanTemporal(&s, ctx, "timestamp") { (b) throws(TextValueError) -> Int64 in
                try TemporalText.parseTimestamp(b, unit: unit, utc: utc)
            }
            try append(v, &s, "a timestamp string \"YYYY-MM-DDTHH:MM:SS.fff\(utc ? "Z" : "")\" or an integer")
        case .time(let unit):
            let v = try scanTemporal(&s, ctx, "time") { (b) throws(TextValueError) -> Int64 in
                try TemporalText.parseTime(b, unit: unit)
            }
            try append(v, &s, "a time string \"HH:MM:SS.fff\" or an integer")
        case .decimal(let precision, let scale):
            values.append(try scanDecimal(&s, ctx, precision: precision, scale: scale))
        default:
            let (span, v) = try scanInteger(&s, "an integer")
            guard let v else { throw rangeError(s, span, "INT64", String(Int64.min), String(Int64.max)) }
            values.append(v)
        }
    }

    private func append(_ parsed: Int64?, _ s: inout JSONScanner, _ what: @autoclosure () -> String) throws(LakeError) {
        if let parsed {
            values.append(parsed)
            return
        }
        let (span, v) = try scanInteger(&s, what())
        guard let v else { throw rangeError(s, span, "INT64", String(Int64.min), String(Int64.max)) }
        values.append(v)
    }

    override func appendPlaceholder() { values.append(0) }
    override func truncate(to n: Int) { super.truncate(to: n); values.removeLast(values.count - n) }
    override func finish() -> Column {
        defer { values = [] }
        return Column(.int64(values), validity: takeValidity())
    }
    override var estimatedByteCount: Int { values.count * 8 }
}

extension ColumnBuilder {
    /// Reads a decimal (JSON string or number) as an unscaled `Int64`.
    final func scanDecimal(
        _ s: inout JSONScanner, _ ctx: DecodeContext, precision: Int, scale: Int
    ) throws(LakeError) -> Int64 {
        // Fast path: plain `-?digits[.digits]` text, no escapes, fitting 18 digits.
        let start = s.position
        if let b = s.current, b == UInt8(ascii: "\"") {
            if let span = try? s.scanString(), !span.hasEscapes,
                let v = DecimalText.parseUnscaledInt64(s.slice(span.range), precision: precision, scale: scale)
            {
                return v
            }
            s.position = start
        } else if let span = try? s.scanNumber(),
            let v = DecimalText.parseUnscaledInt64(s.slice(span.range), precision: precision, scale: scale)
        {
            return v
        } else {
            s.position = start
        }
        let d = try scanUnscaledDecimal(&s, ctx, precision: precision, scale: scale)
        guard let v = d.int64 else {
            throw LakeError(.invalidInput, "decimal does not fit the INT64 storage of DECIMAL(\(precision),\(scale))")
        }
        return v
    }

    /// Reads a decimal (JSON string or number) as sign and magnitude.
    final func scanUnscaledDecimal(
        _ s: inout JSONScanner, _ ctx: DecodeContext, precision: Int, scale: Int
    ) throws(LakeError) -> UnscaledDecimal {
        let start = s.position
        let what = "DECIMAL(\(precision),\(scale))"
        switch s.peekKind() {
        case .string:
            let span = try s.scanString()
            let scanner = s
            return try ctx.withContents(of: span, in: s) { (b) throws(LakeError) -> UnscaledDecimal in
                do throws(TextValueError) {
                    return try UnscaledDecimal(parsing: b, precision: precision, scale: scale)
                } catch {
                    throw valueError(what, scanner, at: start, error.reason)
                }
            }
        case .number:
            let span = try s.scanNumber()
            do throws(TextValueError) {
                return try UnscaledDecimal(parsing: s.slice(span.range), precision: precision, scale: scale)
            } catch {
                throw valueError(what, s, at: start, error.reason)
            }
        default:
            throw typeError("a decimal string like \"-12.30\"", s)
        }
    }
}

/// Shared parsing of FLOAT/DOUBLE/FLOAT16 values: numbers, or the strings NaN, Infinity, -Infinity.
extension ColumnBuilder {
    /// Returns the number's text span, or the non-finite value named by a string.
    final func scanFloating(_ s: inout JSONScanner, _ type: String) throws(LakeError) -> (JSONNumberSpan?, Double) {
        switch s.peekKind() {
        case .number:
            return (try s.scanNumber(), 0)
        case .string:
            let start = s.position
            let span = try s.scanString()
            let b = s.slice(span.range)
            if b.elementsEqual("NaN".utf8) { return (nil, .nan) }
            if b.elementsEqual("Infinity".utf8) { return (nil, .infinity) }
            if b.elementsEqual("-Infinity".utf8) { return (nil, -.infinity) }
            throw LakeError(
                .invalidInput,
                "expected a number, found \(s.describeToken(at: start)) (the only strings allowed are \"NaN\", \"Infinity\", \"-Infinity\")"
            )
        default:
            throw typeError("a number", s)
        }
    }
}

final class FloatBuilder: ColumnBuilder {
    @exclusivity(unchecked) var values: [Float] = []

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        let (span, special) = try scanFloating(&s, "FLOAT")
        guard let span else { values.append(Float(special)); return }
        guard let v = JSONNumber.float(fromText: s.slice(span.range)) else {
            throw LakeError(.invalidInput, "\(s.text(span.range)) is out of range for FLOAT")
        }
        values.append(v)
    }

    override func appendPlaceholder() { values.append(0) }
    override func truncate(to n: Int) { super.truncate(to: n); values.removeLast(values.count - n) }
    override func finish() -> Column {
        defer { values = [] }
        return Column(.float(values), validity: takeValidity())
    }
    override var estimatedByteCount: Int { values.count * 4 }
}

final class DoubleBuilder: ColumnBuilder {
    @exclusivity(unchecked) var values: [Double] = []

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        let (span, special) = try scanFloating(&s, "DOUBLE")
        guard let span else { values.append(special); return }
        guard let v = JSONNumber.double(fromText: s.slice(span.range)) else {
            throw LakeError(.invalidInput, "\(s.text(span.range)) is out of range for DOUBLE")
        }
        values.append(v)
    }

    override func appendPlaceholder() { values.append(0) }
    override func truncate(to n: Int) { super.truncate(to: n); values.removeLast(values.count - n) }
    override func finish() -> Column {
        defer { values = [] }
        return Column(.double(values), validity: takeValidity())
    }
    override var estimatedByteCount: Int { values.count * 8 }
}

final class ByteArrayBuilder: ColumnBuilder {
    let type: CanonicalType
    @exclusivity(unchecked) var values = ByteArrayValues()

    init(type: CanonicalType, nullable: Bool) {
        self.type = type
        super.init(nullable: nullable)
    }

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        switch type {
        case .string:
            guard s.current == UInt8(ascii: "\"") else { throw typeError("a string", s) }
            let span = try s.scanString()
            s.appendContents(of: span, to: &values.bytes)
            values.offsets.append(values.bytes.count)
        case .decimal(let precision, let scale):
            let d = try scanUnscaledDecimal(&s, ctx, precision: precision, scale: scale)
            _ = d.appendBigEndian(width: nil, to: &values.bytes)
            values.offsets.append(values.bytes.count)
        default:
            guard s.current == UInt8(ascii: "\"") else { throw typeError("a base64 string", s) }
            let start = s.position
            let span = try s.scanString()
            let scanner = s
            let mark = values.bytes.count
            try ctx.withContents(of: span, in: s) { (b) throws(LakeError) in
                do throws(TextValueError) { try Base64.decode(b, appendingTo: &values.bytes) } catch {
                    values.bytes.removeLast(values.bytes.count - mark)
                    throw valueError("base64", scanner, at: start, error.reason)
                }
            }
            values.offsets.append(values.bytes.count)
        }
    }

    override func appendPlaceholder() { values.appendEmpty() }
    override func truncate(to n: Int) {
        super.truncate(to: n)
        values.truncate(to: n)
    }
    override func finish() -> Column {
        defer { values = ByteArrayValues() }
        return Column(.byteArray(values), validity: takeValidity())
    }
    override var estimatedByteCount: Int { values.offsets.count * 8 + values.bytes.count }
}

final class FixedBuilder: ColumnBuilder {
    let type: CanonicalType
    let width: Int
    @exclusivity(unchecked) var bytes: [UInt8] = []

    init(type: CanonicalType, width: Int, nullable: Bool) {
        self.type = type
        self.width = width
        super.init(nullable: nullable)
    }

    override func appendValue(_ s: inout JSONScanner, _ ctx: DecodeContext) throws(LakeError) {
        switch type {
        case .decimal(let precision, let scale):
            let d = try scanUnscaledDecimal(&s, ctx, precision: precision, scale: scale)
            guard d.appendBigEndian(width: width, to: &bytes) else {
                throw LakeError(
                    .invalidInput, "decimal does not fit the \(width)-byte storage of DECIMAL(\(precision),\(scale))")
            }
        case .float16:
            let (span, special) = try scanFloating(&s, "FLOAT16")
            let bits: UInt16
            if let span {
                guard let b = HalfFloat.bits(parsing: s.slice(span.range)) else {
                    throw LakeError(.invalidInput, "\(s.text(span.range)) is out of range for FLOAT16")
                }
                bits = b
            } else {
                bits = HalfFloat.bits(rounding: Float(special)) ?? 0x7E00
            }
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        default:
            guard s.current == UInt8(ascii: "\"") else { throw typeError("a base64 string", s) }
            let start = s.position
            let span = try s.scanString()
            let scanner = s
            let mark = bytes.count
            let w = width
            try ctx.withContents(of: span, in: s) { (b) throws(LakeError) in
                if w == 16 && b.count == 36, Self.appendUUID(b, to: &bytes) { return }
                do throws(TextValueError) { try Base64.decode(b, appendingTo: &bytes) } catch {
                    bytes.removeLast(bytes.count - mark)
                    throw valueError("base64", scanner, at: start, error.reason)
                }
                guard bytes.count - mark == w else {
                    let got = bytes.count - mark
                    bytes.removeLast(got)
                    throw LakeError(
                        .invalidInput,
                        "expected \(w) bytes for FIXED_LEN_BYTE_ARRAY(\(w)), \(scanner.describeToken(at: start)) decodes to \(got)"
                    )
                }
            }
        }
    }

    /// Appends the 16 bytes of a UUID in `8-4-4-4-12` hex form; false (appending nothing) if `b` is not one.
    private static func appendUUID(_ b: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        var result: [UInt8] = []
        result.reserveCapacity(16)
        var i = 0
        while i < 36 {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard b[i] == UInt8(ascii: "-") else { return false }
                i += 1
                continue
            }
            guard let hi = JSONScanner.hexDigit(b[i]), let lo = JSONScanner.hexDigit(b[i + 1]) else { return false }
            result.append(hi << 4 | lo)
            i += 2
        }
        out.append(contentsOf: result)
        return true
    }

    override func appendPlaceholder() { bytes.append(contentsOf: repeatElement(0, count: width)) }
    override func truncate(to n: Int) { super.truncate(to: n); bytes.removeLast(bytes.count - n * width) }
    override func finish() -> Column {
        defer { bytes = [] }
        return Column(.fixedByteArray(FixedByteArrayValues(width: width, bytes: bytes)), validity: takeValidity())
    }
    override var estimatedByteCount: Int { bytes.count }
}
