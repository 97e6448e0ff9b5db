// ParquetThroughput: times LakeParquet writing and reading one table.
//
//   ParquetThroughput --input FILE.parquet --workdir DIR [--repeat 3] [--parallel]
//
// Single-threaded unless --parallel (LakeParquet's parallel column encoding/decoding), so the
// default run compares with pyarrow restricted to one CPU.
//
// Reads every row group of FILE into memory once, then for GZIP and UNCOMPRESSED (dictionary
// on): writes the batches to DIR/lake-<codec>.parquet `repeat` times, then reads that file back
// (all row groups, all columns) `repeat` times. Prints one JSON object per measurement:
//   {"op": "write", "codec": "GZIP", "median_seconds": …, "seconds": [...], "rows": N,
//    "file": "…", "file_bytes": N, "parallel": false}
// The driver (bench_parquet.py) turns seconds into MB/s against the same in-memory size it uses
// for pyarrow. Never asserts timings.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeParquet

struct Arguments {
    var input = ""
    var workdir = "."
    var repeatCount = 3
    var parallel = false

    init(_ argv: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < argv.count else { fail("missing value for \(argv[i - 1])") }
            return argv[i]
        }
        while i < argv.count {
            switch argv[i] {
            case "--input": input = value()
            case "--workdir": workdir = value()
            case "--repeat": repeatCount = Int(value()) ?? 3
            case "--parallel": parallel = true
            default: fail("unknown argument \(argv[i]) (usage: --input FILE --workdir DIR [--repeat N] [--parallel])")
            }
            i += 1
        }
        if input.isEmpty { fail("--input FILE is required") }
    }
}

func fail(_ message: String) -> Never {
    var text = "ParquetThroughput: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// Runs `body` `count` times; returns each run's wall time in seconds.
func time(_ count: Int, _ body: () throws(ParquetError) -> Void) throws(ParquetError) -> [Double] {
    let clock = ContinuousClock()
    var out: [Double] = []
    for _ in 0..<count {
        let start = clock.now
        try body()
        let d = start.duration(to: clock.now)
        out.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
    return out
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : -1
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where u.value < 0x20:
            out +=
                "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

func report(op: String, codec: CompressionCodec, seconds: [Double], rows: Int, file: String, parallel: Bool) {
    let runs = seconds.map { String($0) }.joined(separator: ", ")
    print(
        "{\"op\": \(jsonString(op)), \"codec\": \(jsonString(codec.name)), \"median_seconds\": \(median(seconds)), "
            + "\"seconds\": [\(runs)], \"rows\": \(rows), \"file\": \(jsonString(file)), \"file_bytes\": \(fileSize(file)), "
            + "\"parallel\": \(parallel)}")
}

func run(_ args: Arguments) throws(ParquetError) {
    let reader = try ParquetFileReader(path: args.input)
    reader.parallelDecoding = args.parallel
    let schema = reader.schema
    var batches: [RecordBatch] = []
    for i in 0..<reader.rowGroupCount {
        batches.append(try reader.readRowGroup(i))
    }
    let rows = batches.reduce(0) { $0 + $1.rowCount }

    for codec in [CompressionCodec.gzip, .uncompressed] {
        var options = ParquetWriterOptions()
        options.codec = codec
        options.dictionaryEnabled = true
        options.parallelEncoding = args.parallel
        let path = "\(args.workdir)/lake-\(codec.name.lowercased()).parquet"

        let writes = try time(args.repeatCount) { () throws(ParquetError) in
            let writer = try ParquetFileWriter(path: path, schema: schema, options: options)
            for batch in batches {
                try writer.write(batch)
            }
            try writer.close()
        }
        report(op: "write", codec: codec, seconds: writes, rows: rows, file: path, parallel: args.parallel)

        var readRows = 0
        let reads = try time(args.repeatCount) { () throws(ParquetError) in
            let r = try ParquetFileReader(path: path)
            r.parallelDecoding = args.parallel
            var n = 0
            for i in 0..<r.rowGroupCount {
                n += try r.readRowGroup(i).rowCount
            }
            readRows = n
        }
        if readRows != rows { fail("read \(readRows) rows back from \(path), wrote \(rows)") }
        report(op: "read", codec: codec, seconds: reads, rows: rows, file: path, parallel: args.parallel)
    }
}

do {
    try run(Arguments(CommandLine.arguments))
} catch {
    fail("\(error)")
}
