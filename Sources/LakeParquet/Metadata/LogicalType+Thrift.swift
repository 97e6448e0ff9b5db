/// Thrift encoding of the `LogicalType` union (parquet.thrift field ids):
/// STRING=1, MAP=2, LIST=3, ENUM=4, DECIMAL=5 {scale=1, precision=2}, DATE=6,
/// TIME=7 {isAdjustedToUTC=1, unit=2}, TIMESTAMP=8 {isAdjustedToUTC=1, unit=2},
/// INTEGER=10 {bitWidth=1 (i8), isSigned=2}, UNKNOWN=11, JSON=12, BSON=13, UUID=14, FLOAT16=15.
extension LogicalType {
    /// Decodes a `LogicalType` union at the reader's position.
    ///
    /// - Returns: the logical type, or `nil` when the union holds a member this library does not
    ///   know (VARIANT, GEOMETRY, a future addition) or a TIME/TIMESTAMP with an unknown unit:
    ///   readers then fall back to the converted type or the bare physical type.
    /// - Throws: `.corrupt` for malformed Thrift or a known member missing a required field.
    public static func readThrift(from r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType? {
        let token = try r.enterStruct()
        var result: LogicalType?
        while let f = try r.readFieldHeader() {
            guard (1...15).contains(f.id) && f.id != 9 else {
                try r.skip(f.type)
                continue
            }
            try r.expectStruct(f, "LogicalType member")
            switch f.id {
            case 1: try r.skip(.struct); result = .string
            case 2: try r.skip(.struct); result = .map
            case 3: try r.skip(.struct); result = .list
            case 4: try r.skip(.struct); result = .enum
            case 5: result = try readDecimal(&r)
            case 6: try r.skip(.struct); result = .date
            case 7: result = try readTemporal(&r, timestamp: false)
            case 8: result = try readTemporal(&r, timestamp: true)
            case 10: result = try readInteger(&r)
            case 11: try r.skip(.struct); result = .unknown
            case 12: try r.skip(.struct); result = .json
            case 13: try r.skip(.struct); result = .bson
            case 14: try r.skip(.struct); result = .uuid
            default: try r.skip(.struct); result = .float16
            }
        }
        r.exitStruct(token)
        return result
    }

    private static func readDecimal(_ r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType {
        let token = try r.enterStruct()
        var scale: Int32?
        var precision: Int32?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: scale = try r.readI32(f, "DecimalType.scale")
            case 2: precision = try r.readI32(f, "DecimalType.precision")
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let scale else { throw thriftMissing("DecimalType", "scale", 1, at: r.offset) }
        guard let precision else { throw thriftMissing("DecimalType", "precision", 2, at: r.offset) }
        return .decimal(precision: precision, scale: scale)
    }

    private static func readTemporal(
        _ r: inout ThriftCompactReader, timestamp: Bool
    ) throws(ParquetError) -> LogicalType? {
        let token = try r.enterStruct()
        var utc: Bool?
        var unit: TimeUnit?
        var sawUnit = false
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: utc = try r.readBool(f, "TimeType.isAdjustedToUTC")
            case 2:
                try r.expectStruct(f, "TimeType.unit")
                unit = try TimeUnit.readThrift(from: &r)
                sawUnit = true
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        let name: StaticString = timestamp ? "TimestampType" : "TimeType"
        guard let utc else { throw thriftMissing(name, "isAdjustedToUTC", 1, at: r.offset) }
        guard sawUnit else { throw thriftMissing(name, "unit", 2, at: r.offset) }
        guard let unit else { return nil }
        return timestamp ? .timestamp(isAdjustedToUTC: utc, unit: unit) : .time(isAdjustedToUTC: utc, unit: unit)
    }

    private static func readInteger(_ r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType {
        let token = try r.enterStruct()
        var bitWidth: Int8?
        var signed: Bool?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: bitWidth = try r.readI8(f, "IntType.bitWidth")
            case 2: signed = try r.readBool(f, "IntType.isSigned")
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        guard let bitWidth else { throw thriftMissing("IntType", "bitWidth", 1, at: r.offset) }
        guard let signed else { throw thriftMissing("IntType", "isSigned", 2, at: r.offset) }
        return .integer(bitWidth: bitWidth, isSigned: signed)
    }

    /// Encodes this logical type as the Thrift `LogicalType` union (one member set).
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        switch self {
        case .string: w.writeEmptyStructField(1)
        case .map: w.writeEmptyStructField(2)
        case .list: w.writeEmptyStructField(3)
        case .enum: w.writeEmptyStructField(4)
        case .decimal(let precision, let scale):
            w.writeFieldHeader(5, .struct)
            let t = w.beginStruct()
            w.writeI32Field(1, scale)
            w.writeI32Field(2, precision)
            w.endStruct(t)
        case .date: w.writeEmptyStructField(6)
        case .time(let utc, let unit): Self.writeTemporal(&w, id: 7, utc: utc, unit: unit)
        case .timestamp(let utc, let unit): Self.writeTemporal(&w, id: 8, utc: utc, unit: unit)
        case .integer(let bitWidth, let signed):
            w.writeFieldHeader(10, .struct)
            let t = w.beginStruct()
            w.writeI8Field(1, bitWidth)
            w.writeBoolField(2, signed)
            w.endStruct(t)
        case .unknown: w.writeEmptyStructField(11)
        case .json: w.writeEmptyStructField(12)
        case .bson: w.writeEmptyStructField(13)
        case .uuid: w.writeEmptyStructField(14)
        case .float16: w.writeEmptyStructField(15)
        }
        w.endStruct(token)
    }

    private static func writeTemporal(_ w: inout ThriftCompactWriter, id: Int16, utc: Bool, unit: TimeUnit) {
        w.writeFieldHeader(id, .struct)
        let t = w.beginStruct()
        w.writeBoolField(1, utc)
        w.writeFieldHeader(2, .struct)
        unit.writeThrift(to: &w)
        w.endStruct(t)
    }
}

/// Thrift encoding of the `TimeUnit` union: MILLIS=1, MICROS=2, NANOS=3 (each an empty struct).
extension TimeUnit {
    /// Decodes a `TimeUnit` union; `nil` when it holds a unit this library does not know.
    public static func readThrift(from r: inout ThriftCompactReader) throws(ParquetError) -> TimeUnit? {
        let token = try r.enterStruct()
        var unit: TimeUnit?
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: try r.expectStruct(f, "TimeUnit.MILLIS"); try r.skip(.struct); unit = .millis
            case 2: try r.expectStruct(f, "TimeUnit.MICROS"); try r.skip(.struct); unit = .micros
            case 3: try r.expectStruct(f, "TimeUnit.NANOS"); try r.skip(.struct); unit = .nanos
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
        return unit
    }

    /// Encodes this unit as the Thrift `TimeUnit` union.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        switch self {
        case .millis: w.writeEmptyStructField(1)
        case .micros: w.writeEmptyStructField(2)
        case .nanos: w.writeEmptyStructField(3)
        }
        w.endStruct(token)
    }
}
