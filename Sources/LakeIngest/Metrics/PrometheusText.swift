/// A writer of the Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` once
/// per family, then one `name{label="value"} number` line per sample. Label values are escaped
/// (`\\`, `\"`, `\n`); numbers are written as Prometheus parses them (`+Inf`, `NaN`).
///
/// ```swift
/// var text = PrometheusText()
/// text.family("lake_stream_records_total", type: .counter, help: "Records read.")
/// text.sample("lake_stream_records_total", value: 1200)
/// print(text.output)
/// ```
public struct PrometheusText: Sendable {
    /// A metric family's type.
    public enum MetricType: String, Sendable {
        case counter, gauge, histogram, summary, untyped
    }

    /// The `Content-Type` of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The document so far.
    public private(set) var output = ""

    public init() {}

    /// Starts a family: its help text (escaped) and type.
    public mutating func family(_ name: String, type: MetricType, help: String) {
        var h = ""
        for c in help.unicodeScalars {
            switch c {
            case "\\": h += "\\\\"
            case "\n": h += "\\n"
            default: h.unicodeScalars.append(c)
            }
        }
        output += "# HELP \(name) \(h)\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample of the current family.
    public mutating func sample(_ name: String, labels: [(String, String)] = [], value: Double) {
        output += name
        if !labels.isEmpty {
            output += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        output += " " + Self.format(value) + "\n"
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escape(_ v: String) -> String {
        var out = ""
        for c in v.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A sample value: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
