extension ColumnDescriptor {
    /// Decodes one PLAIN-encoded value of this leaf's physical type, as column statistics store
    /// min and max (little-endian numbers, raw bytes for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY,
    /// INT96 as nanoseconds of day + Julian day), into a one-slot ``Column``.
    ///
    /// Returns `nil` when the byte count does not fit the type.
    public func plainValueColumn(_ bytes: [UInt8]) -> Column? {
        func le<T: FixedWidthInteger>(_: T.Type, at offset: Int = 0) -> T {
            var v: T = 0
            for k in 0..<MemoryLayout<T>.size { v |= T(truncatingIfNeeded: bytes[offset + k]) << (8 * k) }
            return v
        }
        switch physicalType {
        case .boolean:
            guard bytes.count >= 1 else { return nil }
            return Column(.boolean([bytes[0] & 1 == 1]))
        case .int32:
            guard bytes.count == 4 else { return nil }
            return Column(.int32([le(Int32.self)]))
        case .int64:
            guard bytes.count == 8 else { return nil }
            return Column(.int64([le(Int64.self)]))
        case .int96:
            guard bytes.count == 12 else { return nil }
            let nanosOfDay = le(Int64.self)
            let julianDay = Int64(le(UInt32.self, at: 8))
            let (a, o1) = (julianDay - 2_440_588).multipliedReportingOverflow(by: 86_400_000_000_000)
            let (v, o2) = a.addingReportingOverflow(nanosOfDay)
            guard !o1 && !o2 else { return nil }
            return Column(.int64([v]))
        case .float:
            guard bytes.count == 4 else { return nil }
            return Column(.float([Float(bitPattern: le(UInt32.self))]))
        case .double:
            guard bytes.count == 8 else { return nil }
            return Column(.double([Double(bitPattern: le(UInt64.self))]))
        case .byteArray:
            return Column(.byteArray(ByteArrayValues(offsets: [0, bytes.count], bytes: bytes)))
        case .fixedLenByteArray:
            guard typeLength > 0, bytes.count == typeLength else { return nil }
            return Column(.fixedByteArray(FixedByteArrayValues(width: typeLength, bytes: bytes)))
        }
    }

    /// The canonical JSON (or, with `plainText`, the plain-text rendering) of a PLAIN-encoded
    /// statistics value of this leaf; `nil` when the bytes do not decode.
    public func formatPlainValue(_ bytes: [UInt8], plainText: Bool = false) -> String? {
        guard let column = plainValueColumn(bytes) else { return nil }
        let f = ValueFormatter(leaf: self)
        var out: [UInt8] = []
        do {
            if plainText {
                try f.appendText(column, at: 0, to: &out)
            } else {
                try f.appendJSON(column, at: 0, to: &out)
            }
        } catch {
            return nil
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Statistics {
    /// The min and max bytes to show for a column with the given sort order: `minValue` and
    /// `maxValue` when present, else the deprecated `min`/`max`, which are only trustworthy for
    /// signed-order types (`nil` otherwise).
    public func displayBounds(sortOrder: SortOrder) -> (min: [UInt8]?, max: [UInt8]?) {
        let legacyOK = sortOrder == .signed
        return (minValue ?? (legacyOK ? min : nil), maxValue ?? (legacyOK ? max : nil))
    }
}
