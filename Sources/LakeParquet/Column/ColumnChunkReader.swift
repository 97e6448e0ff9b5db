import LakeBase
/// Decodes one column chunk — dictionary page, data pages v1 and v2, any supported encoding
/// and codec — into ``LeafData``.
///
/// Every length, count and index is checked against the bytes actually present and the
/// chunk's declared value count before it is used, so a corrupt or hostile chunk yields a
/// ``ParquetError`` naming the page and offset instead of a crash or a huge allocation.
struct ColumnChunkReader {
    let descriptor: ColumnDescriptor
    let metadata: ColumnMetaData
    /// File offset of `bytes[0]`, for messages.
    let fileOffset: Int

    /// The most level entries one page may declare (a guard against hostile headers).
    static let maxEntriesPerPage = 1 << 26

    func read(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> LeafData {
        let d = descriptor
        let maxDef = UInt32(d.maxDefinitionLevel)
        let defWidth = bitWidth(UInt64(d.maxDefinitionLevel))
        let repWidth = bitWidth(UInt64(d.maxRepetitionLevel))
        let declared = metadata.numValues
        guard declared >= 0 else { throw ParquetError(.corrupt, "negative value count \(declared)") }
        var defs: [UInt32] = []
        var reps: [UInt32] = []
        var values = ColumnData.emptyLeaf(for: d.physicalType, typeLength: d.typeLength)
        var dictionary: ColumnData?
        var entries = 0
        var reader = ByteReader<ParquetError>(bytes, origin: fileOffset)
        var pageIndex = 0
        while entries < declared && !reader.isAtEnd {
            let headerOffset = fileOffset + reader.position
            do throws(ParquetError) {
                let header = try PageHeader.decode(from: &reader)
                guard header.compressedPageSize >= 0, header.uncompressedPageSize >= 0 else {
                    throw ParquetError(.corrupt, "negative page size")
                }
                let body = try reader.readBytes(Int(header.compressedPageSize))
                switch header.type {
                case .dictionaryPage:
                    guard let dh = header.dictionaryPageHeader else {
                        throw ParquetError(.corrupt, "dictionary page without its header")
                    }
                    guard dh.encoding == .plain || dh.encoding == .plainDictionary else {
                        throw ParquetError(.unsupported, "dictionary page encoding \(dh.encoding.name)")
                    }
                    guard dh.numValues >= 0 else {
                        throw ParquetError(.corrupt, "dictionary with \(dh.numValues) values")
                    }
                    let page = try decompress(body, size: Int(header.uncompressedPageSize))
                    var dict = ColumnData.emptyLeaf(for: d.physicalType, typeLength: d.typeLength)
                    try page.withRawBytes { raw throws(ParquetError) in
                        try checkCount(Int(dh.numValues), fitsIn: raw.count)
                        try PlainEncoding.decode(
                            raw, type: d.physicalType, typeLength: d.typeLength, count: Int(dh.numValues), into: &dict)
                    }
                    dictionary = dict
                case .dataPage:
                    guard let dh = header.dataPageHeader else {
                        throw ParquetError(.corrupt, "data page without its header")
                    }
                    let n = try entryCount(dh.numValues, declared: declared, read: entries)
                    let page = try decompress(body, size: Int(header.uncompressedPageSize))
                    try page.withRawBytes { raw throws(ParquetError) in
                        var pos = 0
                        if d.maxRepetitionLevel > 0 {
                            guard dh.repetitionLevelEncoding == .rle else {
                                throw ParquetError(
                                    .unsupported, "repetition level encoding \(dh.repetitionLevelEncoding.name)")
                            }
                            pos += try readLevels(
                                raw, at: pos, prefixed: nil, count: n, width: repWidth,
                                maxLevel: UInt32(d.maxRepetitionLevel), into: &reps)
                        }
                        var defined = n
                        if d.maxDefinitionLevel > 0 {
                            guard dh.definitionLevelEncoding == .rle else {
                                throw ParquetError(
                                    .unsupported, "definition level encoding \(dh.definitionLevelEncoding.name)")
                            }
                            let start = defs.count
                            pos += try readLevels(
                                raw, at: pos, prefixed: nil, count: n, width: defWidth, maxLevel: maxDef, into: &defs)
                            defined = Self.countDefined(defs, from: start, maxDef: maxDef)
                        }
                        try decodeValues(
                            UnsafeRawBufferPointer(rebasing: raw[pos...]), encoding: dh.encoding, count: defined,
                            dictionary: dictionary, into: &values)
                    }
                    entries += n
                case .dataPageV2:
                    guard let dh = header.dataPageHeaderV2 else {
                        throw ParquetError(.corrupt, "data page v2 without its header")
                    }
                    let n = try entryCount(dh.numValues, declared: declared, read: entries)
                    let repLen = Int(dh.repetitionLevelsByteLength), defLen = Int(dh.definitionLevelsByteLength)
                    guard repLen >= 0, defLen >= 0, repLen + defLen <= body.count else {
                        throw ParquetError(
                            .corrupt, "level lengths \(repLen)+\(defLen) exceed the page's \(body.count) bytes")
                    }
                    if d.maxRepetitionLevel > 0 {
                        _ = try readLevels(
                            body, at: 0, prefixed: repLen, count: n, width: repWidth,
                            maxLevel: UInt32(d.maxRepetitionLevel), into: &reps)
                    }
                    var defined = n
                    if d.maxDefinitionLevel > 0 {
                        let start = defs.count
                        _ = try readLevels(
                            body, at: repLen, prefixed: defLen, count: n, width: defWidth, maxLevel: maxDef, into: &defs
                        )
                        defined = Self.countDefined(defs, from: start, maxDef: maxDef)
                    }
                    let valueBytes = UnsafeRawBufferPointer(rebasing: body[(repLen + defLen)...])
                    let uncompressedValues = Int(header.uncompressedPageSize) - repLen - defLen
                    guard uncompressedValues >= 0 else {
                        throw ParquetError(.corrupt, "page size \(header.uncompressedPageSize) smaller than its levels")
                    }
                    if dh.isCompressed ?? true, metadata.codec != .uncompressed {
                        let page = try decompress(valueBytes, size: uncompressedValues)
                        try page.withRawBytes { raw throws(ParquetError) in
                            try decodeValues(
                                raw, encoding: dh.encoding, count: defined, dictionary: dictionary, into: &values)
                        }
                    } else {
                        try decodeValues(
                            valueBytes, encoding: dh.encoding, count: defined, dictionary: dictionary, into: &values)
                    }
                    entries += n
                case .indexPage:
                    break
                }
            } catch {
                throw error.located("page \(pageIndex) at offset \(headerOffset)")
            }
            pageIndex += 1
        }
        guard entries == declared else {
            throw ParquetError(.truncated, "chunk declares \(declared) values but its pages hold \(entries)")
        }
        var rows = entries
        if d.maxRepetitionLevel > 0 {
            rows = 0
            for r in reps where r == 0 { rows += 1 }
        }
        return LeafData(
            definitionLevels: d.maxDefinitionLevel > 0 ? defs : nil,
            repetitionLevels: d.maxRepetitionLevel > 0 ? reps : nil,
            values: values, entryCount: entries, rowCount: rows)
    }

    private func entryCount(_ n: Int32, declared: Int64, read: Int) throws(ParquetError) -> Int {
        guard n >= 0, Int(n) <= Self.maxEntriesPerPage else {
            throw ParquetError(.corrupt, "page declares \(n) values")
        }
        guard Int64(read) + Int64(n) <= declared else {
            throw ParquetError(
                .corrupt, "page declares \(n) values, more than the \(declared - Int64(read)) left in the chunk")
        }
        return Int(n)
    }

    private func checkCount(_ n: Int, fitsIn bytes: Int) throws(ParquetError) {
        // Every PLAIN value takes at least one bit; a count beyond that is hostile.
        guard n <= bytes * 8 + 8 else { throw ParquetError(.corrupt, "\(n) values cannot fit in \(bytes) bytes") }
    }

    private func decompress(_ body: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        if metadata.codec == .uncompressed {
            guard size == body.count else {
                throw ParquetError(.corrupt, "uncompressed page is \(body.count) bytes but its header says \(size)")
            }
            return Array(body)
        }
        return try PageCompression.decompress(body, codec: metadata.codec, uncompressedSize: size)
    }

    /// Decodes `count` RLE/bit-packed levels. v1 pages prefix them with a 4-byte length
    /// (`prefixed == nil`); v2 pages give the length in the header. Returns bytes consumed.
    private func readLevels(
        _ raw: UnsafeRawBufferPointer, at pos: Int, prefixed: Int?, count: Int, width: Int,
        maxLevel: UInt32, into levels: inout [UInt32]
    ) throws(ParquetError) -> Int {
        var start = pos, length: Int
        if let l = prefixed {
            length = l
        } else {
            guard pos + 4 <= raw.count else {
                throw ParquetError(.truncated, "level length prefix past the end of the page")
            }
            length = Int(raw.loadUnaligned(fromByteOffset: pos, as: UInt32.self).littleEndian)
            start += 4
        }
        guard length >= 0, length <= raw.count - start else {
            throw ParquetError(.corrupt, "levels of \(length) bytes exceed the \(raw.count - start) left in the page")
        }
        let old = levels.count
        levels.append(contentsOf: repeatElement(0, count: count))
        let src = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
        try levels.withMutableBuffer { buf throws(ParquetError) in
            try RLEHybrid.decode(
                src, bitWidth: width, count: count, into: UnsafeMutableBufferPointer(rebasing: buf[old...]))
        }
        var over: UInt32?
        levels.withUnsafeBufferPointer { p in
            for i in old..<p.count where p[i] > maxLevel { over = p[i]; return }
        }
        if let over { throw ParquetError(.corrupt, "level \(over) exceeds the column's maximum \(maxLevel)") }
        return start - pos + length
    }

    private static func countDefined(_ defs: [UInt32], from start: Int, maxDef: UInt32) -> Int {
        var n = 0
        defs.withUnsafeBufferPointer { p in
            for i in start..<p.count where p[i] == maxDef { n += 1 }
        }
        return n
    }

    private func decodeValues(
        _ raw: UnsafeRawBufferPointer, encoding: Encoding, count: Int, dictionary: ColumnData?,
        into values: inout ColumnData
    ) throws(ParquetError) {
        let d = descriptor
        let type = d.physicalType
        do throws(ParquetError) {
            switch encoding {
            case .plain:
                try checkCount(count, fitsIn: raw.count)
                try PlainEncoding.decode(raw, type: type, typeLength: d.typeLength, count: count, into: &values)
            case .plainDictionary, .rleDictionary:
                guard let dict = dictionary else {
                    throw ParquetError(.corrupt, "dictionary-encoded page before any dictionary page")
                }
                guard raw.count >= 1 || count == 0 else {
                    throw ParquetError(.truncated, "dictionary page data is empty")
                }
                if count == 0 { return }
                let width = Int(raw[0])
                guard width <= 32 else { throw ParquetError(.corrupt, "dictionary index bit width \(width)") }
                var indices = [UInt32](repeating: 0, count: count)
                try indices.withMutableBuffer { buf throws(ParquetError) in
                    try RLEHybrid.decode(
                        UnsafeRawBufferPointer(rebasing: raw[1...]), bitWidth: width, count: count, into: buf)
                }
                try DictionaryGather.gather(dict, indices: indices, into: &values)
            case .rle:
                guard type == .boolean else { throw ParquetError(.unsupported, "RLE encoding for \(type.name) values") }
                guard raw.count >= 4 else { throw ParquetError(.truncated, "RLE boolean length prefix missing") }
                let length = Int(raw.loadUnaligned(as: UInt32.self).littleEndian)
                guard length <= raw.count - 4 else {
                    throw ParquetError(.corrupt, "RLE boolean run length \(length) exceeds the page")
                }
                var bits = [UInt32](repeating: 0, count: count)
                try bits.withMutableBuffer { buf throws(ParquetError) in
                    try RLEHybrid.decode(
                        UnsafeRawBufferPointer(rebasing: raw[4..<(4 + length)]), bitWidth: 1, count: count, into: buf)
                }
                guard case .boolean(var a) = values else { throw ParquetError(.corrupt, "boolean values expected") }
                values = .int32([])
                a.append(contentsOf: bits.lazy.map { $0 != 0 })
                values = .boolean(a)
            case .deltaBinaryPacked:
                switch values {
                case .int32(var a):
                    values = .int32([]); defer { values = .int32(a) }
                    try DeltaBinaryPacked.decode(raw, count: count, into: &a)
                case .int64(var a):
                    values = .int32([]); defer { values = .int64(a) }
                    try DeltaBinaryPacked.decode(raw, count: count, into: &a)
                default: throw ParquetError(.unsupported, "DELTA_BINARY_PACKED for \(type.name)")
                }
            case .deltaLengthByteArray:
                guard case .byteArray(var a) = values else {
                    throw ParquetError(.unsupported, "DELTA_LENGTH_BYTE_ARRAY for \(type.name)")
                }
                values = .int32([]); defer { values = .byteArray(a) }
                try DeltaLengthByteArray.decode(raw, count: count, into: &a)
            case .deltaByteArray:
                switch values {
                case .byteArray(var a):
                    values = .int32([]); defer { values = .byteArray(a) }
                    try DeltaByteArray.decode(raw, count: count, into: &a)
                case .fixedByteArray(var a):
                    values = .int32([]); defer { values = .fixedByteArray(a) }
                    try DeltaByteArray.decode(raw, count: count, width: a.width, into: &a)
                default: throw ParquetError(.unsupported, "DELTA_BYTE_ARRAY for \(type.name)")
                }
            case .byteStreamSplit:
                let width: Int
                switch type {
                case .int32, .float: width = 4
                case .int64, .double: width = 8
                case .fixedLenByteArray: width = d.typeLength
                default: throw ParquetError(.unsupported, "BYTE_STREAM_SPLIT for \(type.name)")
                }
                guard width > 0, count <= raw.count / width else {
                    throw ParquetError(
                        .truncated,
                        "BYTE_STREAM_SPLIT: \(count) values of \(width) bytes need more than \(raw.count) bytes")
                }
                let plain = try ByteStreamSplit.decode(
                    UnsafeRawBufferPointer(rebasing: raw[0..<(count * width)]), count: count, width: width)
                try plain.withRawBytes { p throws(ParquetError) in
                    try PlainEncoding.decode(p, type: type, typeLength: d.typeLength, count: count, into: &values)
                }
            case .bitPacked:
                throw ParquetError(.unsupported, "BIT_PACKED value encoding")
            }
        } catch {
            throw error.located("\(encoding.name) values")
        }
    }
}
