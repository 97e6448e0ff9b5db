import Testing
@testable import LakeParquet
import LakeBase
import LakeTestSupport

/// Mutates valid files — bit flips, byte overwrites, truncation, corrupted length fields — and
/// checks that every outcome of opening and reading them is a value or a ``ParquetError``:
/// never a crash, a hang or a runaway allocation. Fixed seeds keep CI deterministic.
@Suite struct ParquetFuzzTests {
    /// Valid seed files covering flat and nested columns, dictionary and PLAIN, several codecs.
    static func seedFiles() throws -> [[UInt8]] {
        var files: [[UInt8]] = []
        for (k, codec) in [CompressionCodec.uncompressed, .zstd, .gzip, .snappy].enumerated() {
            var rng = TestRandom(seed: UInt64(9000 + k))
            let fields = (0..<4).map { rng.field("c\($0)", depth: 2) }
            let schema = ParquetSchema(fields)
            let rows = (0..<50).map { _ in fields.map { rng.value($0, nullRate: 0.2) } }
            let batch = try RecordBatch(
                schema: schema, columns: fields.enumerated().map { (i, f) in RowCodec.column(rows.map { $0[i] }, f) })
            var options = ParquetWriterOptions()
            options.codec = codec
            options.dictionaryEnabled = k % 2 == 0
            options.maxRowsPerRowGroup = 20
            options.dataPageSize = 128
            let sink = MemorySink()
            _ = try ParquetFileWriter.writeToSink(sink, batch, options)
            files.append(sink.bytes)
        }
        return files
    }

    /// Opens and fully reads `bytes`; returns normally on success or ParquetError.
    static func exercise(_ bytes: [UInt8]) {
        do throws(ParquetError) {
            let r = try ParquetFileReader(bytes: bytes)
            r.parallelDecoding = false
            for g in 0..<r.rowGroupCount { _ = try r.readRowGroup(g) }
        } catch {
            #expect(!error.message.isEmpty)
        }
    }

    @Test func mutatedFilesNeverCrash() throws {
        var rng = TestRandom(seed: 0xF022)
        let seeds = try Self.seedFiles()
        var mutants = 0
        for file in seeds {
            for _ in 0..<400 {
                var m = file
                switch rng.int(0...4) {
                case 0:  // flip a few bits anywhere
                    for _ in 0..<rng.int(1...4) {
                        let i = rng.int(0...(m.count - 1))
                        m[i] ^= UInt8(1 << rng.int(0...7))
                    }
                case 1:  // truncate
                    m = Array(m[0..<rng.int(0...(m.count - 1))])
                case 2:  // overwrite bytes in the footer, where the lengths live
                    let footerStart = max(4, m.count - 8 - Int(UInt32(m[m.count - 8]) | UInt32(m[m.count - 7]) << 8))
                    for _ in 0..<rng.int(1...3) {
                        m[rng.int(footerStart...(m.count - 9))] = UInt8(truncatingIfNeeded: rng.next())
                    }
                case 3:  // corrupt the footer length field
                    let v = UInt32(truncatingIfNeeded: rng.next())
                    withUnsafeBytes(of: v.littleEndian) { for k in 0..<4 { m[m.count - 8 + k] = $0[k] } }
                default:  // huge varint-ish bytes in the data section (page headers, lengths)
                    let i = rng.int(4...max(4, m.count - 20))
                    for k in 0..<rng.int(1...6) where i + k < m.count - 8 { m[i + k] = 0xFF }
                }
                Self.exercise(m)
                mutants += 1
            }
        }
        #expect(mutants == seeds.count * 400)
    }

    @Test func obviousDamageIsNamed() throws {
        let file = try Self.seedFiles()[0]
        let e1 = #expect(throws: ParquetError.self) { try ParquetFileReader(bytes: Array(file[0..<5])) }
        #expect(e1?.code == .truncated)
        var bad = file
        bad[0] = UInt8(ascii: "X")
        let e2 = #expect(throws: ParquetError.self) { try ParquetFileReader(bytes: bad) }
        #expect(e2?.message.contains("PAR1") == true)
        var longFooter = file
        withUnsafeBytes(of: UInt32(0x7FFF_FFF0).littleEndian) {
            for k in 0..<4 { longFooter[file.count - 8 + k] = $0[k] }
        }
        let e3 = #expect(throws: ParquetError.self) { try ParquetFileReader(bytes: longFooter) }
        #expect(e3?.message.contains("footer length") == true)
    }

    /// Footer numbers that cannot form a byte range (found by the release-build fuzz test, where a
    /// range `start..<Int.min` trapped): a clear error, never a trap.
    @Test(arguments: [(Int64(40), Int64(-5)), (Int64.max - 3, Int64(10)), (Int64(-100), Int64(50))])
    func columnChunkRangesThatDoNotFitAreRefused(offset: Int64, size: Int64) throws {
        let file = try Self.seedFiles()[0]
        let footerLength = Int(
            UInt32(file[file.count - 8]) | UInt32(file[file.count - 7]) << 8
                | UInt32(file[file.count - 6]) << 16 | UInt32(file[file.count - 5]) << 24)
        let footerStart = file.count - 8 - footerLength
        var meta = try Array(file[footerStart..<(file.count - 8)]).withRawBytes { raw throws(ParquetError) in
            try FileMetaData(thriftBytes: raw)
        }
        meta.rowGroups[0].columns[0].metaData!.dataPageOffset = offset
        meta.rowGroups[0].columns[0].metaData!.dictionaryPageOffset = nil
        meta.rowGroups[0].columns[0].metaData!.totalCompressedSize = size
        let footer = meta.thriftEncoded()
        var bad = Array(file[0..<footerStart]) + footer
        withUnsafeBytes(of: UInt32(footer.count).littleEndian) { bad.append(contentsOf: $0) }
        bad.append(contentsOf: "PAR1".utf8)
        let e = #expect(throws: ParquetError.self) { try ParquetFileReader(bytes: bad) }
        #expect(e?.code == .corrupt)
        #expect(e?.message.contains("row group 0, column chunk") == true)
    }
}
