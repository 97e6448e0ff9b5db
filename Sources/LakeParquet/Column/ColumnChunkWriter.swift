import LakeBase
/// Encodes one leaf's ``LeafData`` into a column chunk: an optional dictionary page followed by
/// data pages (v1), each compressed with the chosen codec, plus the chunk's metadata.
///
/// Dictionary encoding is used when enabled and the dictionary stays under
/// `dictionaryPageSizeLimit`; otherwise the whole chunk is PLAIN. Pages are cut at row
/// boundaries once their values reach `dataPageSize` bytes or `maxEntriesPerPage` entries.
struct ColumnChunkWriter {
    let descriptor: ColumnDescriptor
    let options: ParquetWriterOptions

    static let maxEntriesPerPage = 20_000

    struct Output {
        var bytes: [UInt8]
        /// Offsets inside `bytes`; the file writer adds the chunk's file offset.
        var metadata: ColumnMetaData
    }

    func write(_ leaf: LeafData) throws(ParquetError) -> Output {
        var out = ByteWriter(capacity: PlainEncoding.encodedSize(leaf.values, range: 0..<leaf.values.count) / 2 + 64)
        var totalUncompressed: Int64 = 0
        var dictionaryPageOffset: Int64?
        var encodingStats: [PageEncodingStats] = []
        let d = descriptor
        let codec = options.codec

        // Dictionary.
        var dictionary: (dictionary: ColumnData, indices: [UInt32])?
        if options.dictionaryEnabled && d.physicalType != .boolean && leaf.values.count > 0
            && (options.plainColumns.isEmpty || !options.plainColumns.contains(d.dottedPath))
        {
            dictionary = DictionaryBuilder.build(leaf.values, limitBytes: options.dictionaryPageSizeLimit)
        }
        if let dict = dictionary {
            var plain = ByteWriter()
            PlainEncoding.encode(dict.dictionary, range: 0..<dict.dictionary.count, into: &plain)
            let compressed = try compress(plain.bytes)
            let header = PageHeader(
                type: .dictionaryPage, uncompressedPageSize: Int32(plain.count),
                compressedPageSize: Int32(compressed.count),
                dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(dict.dictionary.count), encoding: .plain))
            dictionaryPageOffset = Int64(out.count)
            let before = out.count
            header.encode(into: &out)
            totalUncompressed += Int64(out.count - before + plain.count)
            out.append(contentsOf: compressed)
            encodingStats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
        }
        let valueEncoding: Encoding = dictionary == nil ? .plain : .rleDictionary
        let dictBitWidth = dictionary.map { max(1, bitWidth(UInt64(max($0.dictionary.count - 1, 0)))) } ?? 0

        // Data pages, cut at row starts.
        let dataPageOffset = Int64(out.count)
        let defWidth = bitWidth(UInt64(d.maxDefinitionLevel))
        let repWidth = bitWidth(UInt64(d.maxRepetitionLevel))
        let maxDef = UInt32(d.maxDefinitionLevel)
        let bytesPerValue: Double =
            dictionary != nil
            ? Double(dictBitWidth) / 8
            : Double(PlainEncoding.encodedSize(leaf.values, range: 0..<leaf.values.count))
                / Double(max(leaf.values.count, 1))
        let targetEntries = max(
            1, min(Self.maxEntriesPerPage, Int(Double(options.dataPageSize) / max(bytesPerValue, 0.125))))
        var pages = 0
        var entry = 0
        var valueIndex = 0
        var page = ByteWriter()
        while entry < leaf.entryCount || (pages == 0 && leaf.entryCount == 0) {
            // Find the end of this page: at least one entry, then the next row start past the target.
            var end = min(entry + targetEntries, leaf.entryCount)
            if let reps = leaf.repetitionLevels {
                while end < leaf.entryCount && reps[end] != 0 { end += 1 }
            }
            var defined = end - entry
            if let defs = leaf.definitionLevels {
                defined = 0
                defs.withUnsafeBufferPointer { p in
                    for i in entry..<end where p[i] == maxDef { defined += 1 }
                }
            }
            page.bytes.removeAll(keepingCapacity: true)
            if let reps = leaf.repetitionLevels {
                appendLevels(reps, entry..<end, width: repWidth, into: &page)
            }
            if let defs = leaf.definitionLevels {
                appendLevels(defs, entry..<end, width: defWidth, into: &page)
            }
            let valueRange = valueIndex..<(valueIndex + defined)
            if let dict = dictionary {
                page.append(UInt8(dictBitWidth))
                dict.indices.withUnsafeBufferPointer { p in
                    RLEHybrid.encode(UnsafeBufferPointer(rebasing: p[valueRange]), bitWidth: dictBitWidth, into: &page)
                }
            } else {
                PlainEncoding.encode(leaf.values, range: valueRange, into: &page)
            }
            let compressed = try compress(page.bytes)
            let header = PageHeader(
                type: .dataPage, uncompressedPageSize: Int32(page.count),
                compressedPageSize: Int32(compressed.count),
                dataPageHeader: DataPageHeader(
                    numValues: Int32(end - entry), encoding: valueEncoding,
                    definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
            let before = out.count
            header.encode(into: &out)
            totalUncompressed += Int64(out.count - before + page.count)
            out.append(contentsOf: compressed)
            pages += 1
            valueIndex += defined
            entry = end
            if leaf.entryCount == 0 { break }
        }
        encodingStats.append(PageEncodingStats(pageType: .dataPage, encoding: valueEncoding, count: Int32(pages)))

        var encodings: [Encoding] = dictionary == nil ? [.plain] : [.plain, .rleDictionary]
        if d.maxDefinitionLevel > 0 || d.maxRepetitionLevel > 0 { encodings.insert(.rle, at: 1) }
        // The dictionary holds exactly the distinct non-null values, so its bounds are the chunk's.
        let stats =
            options.writeStatistics
            ? StatisticsBuilder.statistics(
                values: dictionary?.dictionary ?? leaf.values, nullCount: leaf.nullCount, descriptor: d) : nil
        let meta = ColumnMetaData(
            type: d.physicalType, encodings: encodings, pathInSchema: d.path, codec: codec,
            numValues: Int64(leaf.entryCount), totalUncompressedSize: totalUncompressed,
            totalCompressedSize: Int64(out.count), dataPageOffset: dataPageOffset,
            dictionaryPageOffset: dictionaryPageOffset, statistics: stats,
            encodingStats: encodingStats)
        return Output(bytes: out.bytes, metadata: meta)
    }

    private func compress(_ bytes: [UInt8]) throws(ParquetError) -> [UInt8] {
        if options.codec == .uncompressed { return bytes }
        do throws(ParquetError) {
            return try bytes.withRawBytes { raw throws(ParquetError) in
                try PageCompression.compress(raw, codec: options.codec, level: options.compressionLevel)
            }
        } catch {
            throw error.located("column '\(descriptor.dottedPath)'")
        }
    }

    /// Appends levels `range` as a 4-byte length followed by the RLE/bit-packed hybrid.
    private func appendLevels(_ levels: [UInt32], _ range: Range<Int>, width: Int, into page: inout ByteWriter) {
        let lengthAt = page.count
        page.appendLittleEndian(UInt32(0))
        levels.withUnsafeBufferPointer { p in
            RLEHybrid.encode(UnsafeBufferPointer(rebasing: p[range]), bitWidth: width, into: &page)
        }
        let length = UInt32(page.count - lengthAt - 4)
        withUnsafeBytes(of: length.littleEndian) { b in
            for i in 0..<4 { page.bytes[lengthAt + i] = b[i] }
        }
    }
}

/// The number of bits needed to store `maxValue`.
@inline(__always)
func bitWidth(_ maxValue: UInt64) -> Int { maxValue == 0 ? 0 : 64 - maxValue.leadingZeroBitCount }
