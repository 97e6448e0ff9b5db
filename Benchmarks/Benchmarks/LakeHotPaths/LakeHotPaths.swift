// Micro-benchmarks of lake's hot paths, with ordo-one/benchmark:
//
//   swift package --package-path Benchmarks benchmark --target LakeHotPaths
//
// - Parquet encode / decode of a CDC-shaped batch (100,000 rows: string key, three strings,
//   a date string, a double, a bool, an int64 event time), per codec, on one thread;
// - record-key index lookups (`RecordIndex`) against a 1,000,000-key base file;
// - the copy-on-write merge of a 1,000,000-row column with 100,000 new rows (`Column.merge`).
// - CDC parsing: LakeIngest's change-record decoder (`LakeHotPaths+Ingest.swift`).
//
// Every input is built with a fixed seed before the measured loop. Nothing asserts timings.

import Benchmark
import Lake

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .microseconds,
        maxDuration: .seconds(5),
        maxIterations: 50
    )

    // Parquet encode / decode per codec.
    let batch = HotPathData.cdcBatch(rows: 100_000)
    for codec in [CompressionCodec.uncompressed, .snappy, .zstd, .lz4Raw, .gzip, .brotli] {
        var options = ParquetWriterOptions()
        options.codec = codec
        options.parallelEncoding = false
        Benchmark("Parquet encode \(codec.name) 100k rows") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try HotPathData.encode(batch, options))
            }
        }
        let bytes = try! HotPathData.encode(batch, options)
        Benchmark("Parquet decode \(codec.name) 100k rows") { benchmark in
            for _ in benchmark.scaledIterations {
                let reader = try ParquetFileReader(source: MemorySource(bytes))
                reader.parallelDecoding = false
                blackHole(try reader.readAll())
            }
        }
    }

    // Record index: 100,000 lookups (90% hits) in a 1,000,000-key base file.
    let index = HotPathData.recordIndex(keys: 1_000_000)
    let probes = HotPathData.probeKeys(count: 100_000, existing: 1_000_000)
    Benchmark("RecordIndex lookup 100k keys in 1M base") { benchmark in
        for _ in benchmark.scaledIterations {
            var idx = index
            var hits = 0
            for k in probes where idx.lookup(k) != nil { hits += 1 }
            blackHole(hits)
        }
    }

    // Column.merge: a 1,000,000-row file rewritten with 100,000 changed or new rows.
    let (stored, incoming, picks) = HotPathData.mergeInput(rows: 1_000_000, changes: 100_000)
    Benchmark("Column.merge string 1M + 100k") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Column.merge(stored.strings, incoming.strings, picks: picks))
        }
    }
    Benchmark("Column.merge double 1M + 100k") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Column.merge(stored.doubles, incoming.doubles, picks: picks))
        }
    }

    ingestBenchmarks()
}
