// LakeRead: times one read of a lake table through the library (no output formatting), the
// counterpart of hudi-rs reading the same table into Arrow batches.
//
//   LakeRead --table PATH [--as-of T | --since T1 [--until T2]] [--where EXPR] [--columns a,b]
//            [--sample k1,k2,…]
//
// Opens the table, reads it (`Table.read`, or `Table.readIncremental` for a window) into record
// batches, and prints one JSON object:
//   {"seconds": …, "cpu_seconds": …, "rows": N, "sample": {"id": [custName, amount, active], …}}
// `seconds` (wall) and `cpu_seconds` (user + system, all threads) cover opening the table and
// reading; `sample` (keys given by --sample) is taken
// after the clock stops, for the benchmark's correctness check. Never asserts timings.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lake

func fail(_ message: String) -> Never {
    var text = "LakeRead: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

var table = ""
var options = ReadOptions()
var sample: [String] = []
var window: ReadWindow?
do {
    let argv = CommandLine.arguments
    var i = 1
    func value() -> String {
        i += 1
        guard i < argv.count else { fail("missing value for \(argv[i - 1])") }
        return argv[i]
    }
    while i < argv.count {
        switch argv[i] {
        case "--table": table = value()
        case "--as-of": options.asOf = value()
        case "--since": window = ReadWindow(since: value(), until: window?.until)
        case "--until": window = ReadWindow(since: window?.since, until: value())
        case "--where":
            let text = value()
            do throws(LakeError) { options.predicate = try Predicate(parsing: text) } catch {
                fail("--where: \(error.message)")
            }
        case "--columns": options.columns = value().split(separator: ",").map(String.init)
        case "--sample": sample = value().split(separator: ",").map(String.init)
        default:
            fail(
                "unknown argument \(argv[i]) (usage: --table PATH [--as-of T] [--where EXPR] [--columns a,b] [--sample k1,k2])"
            )
        }
        i += 1
    }
    if table.isEmpty { fail("--table PATH is required") }
}

/// User + system CPU seconds of this process so far (all threads).
func cpuSeconds() -> Double {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(
        u.ru_stime.tv_usec) / 1e6
}

let clock = ContinuousClock()
let cpuStart = cpuSeconds()
let start = clock.now
let batches: [RecordBatch]
do throws(LakeError) {
    let t = try Table.open(table)
    if let w = window {
        batches = try t.readIncremental(w, options: options)
    } else {
        batches = try t.read(options)
    }
} catch {
    fail(error.message)
}
let elapsed = start.duration(to: clock.now)
let cpu = cpuSeconds() - cpuStart
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let rows = batches.reduce(0) { $0 + $1.rowCount }

/// Row `r` of column `name` as JSON text; the sample reads only strings, doubles and booleans.
func text(_ batch: RecordBatch, _ name: String, _ r: Int) -> String {
    guard let column = batch.column(named: name), !column.isNull(r) else { return "null" }
    switch column.data {
    case .byteArray(let values): return "\"" + values.string(at: r) + "\""
    case .double(let values): return "\(values[r])"
    case .boolean(let values): return values[r] ? "true" : "false"
    default: return "null"
    }
}

var found: [String] = []
if !sample.isEmpty {
    let wanted = Set(sample)
    for b in batches {
        guard case .byteArray(let ids)? = b.column(named: "id")?.data else { continue }
        for r in 0..<b.rowCount {
            let id = ids.string(at: r)
            if wanted.contains(id) {
                found.append("\"\(id)\": [\(text(b, "custName", r)), \(text(b, "amount", r)), \(text(b, "active", r))]")
            }
        }
    }
}
print(
    "{\"seconds\": \(seconds), \"cpu_seconds\": \(cpu), \"rows\": \(rows), \"sample\": {\(found.joined(separator: ", "))}}"
)
