/// Thrift encoding of `Statistics`: max=1, min=2, null_count=3, distinct_count=4, max_value=5,
/// min_value=6, is_max_value_exact=7, is_min_value_exact=8. Other fields (nan_count=9, …) are
/// skipped on decode.
extension Statistics {
    /// Decodes a `Statistics` struct at the reader's position.
    ///
    /// - Throws: `.corrupt`/`.truncated` for malformed Thrift.
    public init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        let token = try r.enterStruct()
        while let f = try r.readFieldHeader() {
            switch f.id {
            case 1: max = try r.readBinaryArray(f, "Statistics.max")
            case 2: min = try r.readBinaryArray(f, "Statistics.min")
            case 3: nullCount = try r.readI64(f, "Statistics.null_count")
            case 4: distinctCount = try r.readI64(f, "Statistics.distinct_count")
            case 5: maxValue = try r.readBinaryArray(f, "Statistics.max_value")
            case 6: minValue = try r.readBinaryArray(f, "Statistics.min_value")
            case 7: isMaxValueExact = try r.readBool(f, "Statistics.is_max_value_exact")
            case 8: isMinValueExact = try r.readBool(f, "Statistics.is_min_value_exact")
            default: try r.skip(f.type)
            }
        }
        r.exitStruct(token)
    }

    /// Encodes the present fields in ascending id order.
    public func writeThrift(to w: inout ThriftCompactWriter) {
        let token = w.beginStruct()
        if let max { w.writeBinaryField(1, max) }
        if let min { w.writeBinaryField(2, min) }
        if let nullCount { w.writeI64Field(3, nullCount) }
        if let distinctCount { w.writeI64Field(4, distinctCount) }
        if let maxValue { w.writeBinaryField(5, maxValue) }
        if let minValue { w.writeBinaryField(6, minValue) }
        if let isMaxValueExact { w.writeBoolField(7, isMaxValueExact) }
        if let isMinValueExact { w.writeBoolField(8, isMinValueExact) }
        w.endStruct(token)
    }
}
