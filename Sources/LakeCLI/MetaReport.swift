import Lake

/// The content of `lake parquet meta`: a readable report or the contract's JSON object.
struct MetaReport {
    let file: String
    let metadata: FileMetaData
    let schema: ParquetSchema

    /// Longest key-value metadata value shown in the text report.
    static let maxValueLength = 100
    /// Longest statistics value shown in the text report.
    static let maxStatisticLength = 40

    // MARK: JSON

    func appendJSON(to out: inout [UInt8]) {
        func key(_ k: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        func optionalString(_ s: String?) {
            if let s { JSONWriter.appendString(s, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "{"))
        key("num_rows", first: true)
        JSONWriter.appendInteger(metadata.numRows, to: &out)
        key("created_by")
        optionalString(metadata.createdBy)
        key("key_value_metadata")
        out.append(UInt8(ascii: "{"))
        for (i, kv) in (metadata.keyValueMetadata ?? []).enumerated() {
            key(kv.key, first: i == 0)
            optionalString(kv.value)
        }
        out.append(UInt8(ascii: "}"))
        key("schema")
        JSONWriter.appendString(schema.messageType(), to: &out)
        key("row_groups")
        out.append(UInt8(ascii: "["))
        for (g, group) in metadata.rowGroups.enumerated() {
            if g > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            key("num_rows", first: true)
            JSONWriter.appendInteger(group.numRows, to: &out)
            key("total_byte_size")
            JSONWriter.appendInteger(group.totalByteSize, to: &out)
            key("columns")
            out.append(UInt8(ascii: "["))
            for (c, chunk) in group.columns.enumerated() {
                if c > 0 { out.append(UInt8(ascii: ",")) }
                appendChunkJSON(chunk, leaf: c < schema.leaves.count ? schema.leaves[c] : nil, to: &out)
            }
            out.append(UInt8(ascii: "]"))
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
    }

    private func appendChunkJSON(_ chunk: ColumnChunk, leaf: ColumnDescriptor?, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        func key(_ k: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        guard let m = chunk.metaData else {
            key("path", first: true)
            JSONWriter.appendString(leaf?.dottedPath ?? "", to: &out)
            out.append(UInt8(ascii: "}"))
            return
        }
        key("path", first: true)
        JSONWriter.appendString(m.pathInSchema.joined(separator: "."), to: &out)
        key("physical_type")
        JSONWriter.appendString(m.type.name, to: &out)
        key("encodings")
        out.append(UInt8(ascii: "["))
        for (i, e) in m.encodings.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(e.name, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        key("codec")
        JSONWriter.appendString(m.codec.name, to: &out)
        key("num_values")
        JSONWriter.appendInteger(m.numValues, to: &out)
        key("total_compressed_size")
        JSONWriter.appendInteger(m.totalCompressedSize, to: &out)
        key("total_uncompressed_size")
        JSONWriter.appendInteger(m.totalUncompressedSize, to: &out)
        key("statistics")
        if let stats = m.statistics {
            let (min, max) = bounds(stats, leaf: leaf, plainText: false)
            out.append(UInt8(ascii: "{"))
            key("min", first: true)
            out.append(contentsOf: (min ?? "null").utf8)
            key("max")
            out.append(contentsOf: (max ?? "null").utf8)
            key("null_count")
            if let n = stats.nullCount {
                JSONWriter.appendInteger(n, to: &out)
            } else {
                out.append(contentsOf: "null".utf8)
            }
            out.append(UInt8(ascii: "}"))
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Min and max rendered in canonical JSON (or plain text), `nil` when absent or undecodable.
    private func bounds(_ stats: Statistics, leaf: ColumnDescriptor?, plainText: Bool) -> (String?, String?) {
        guard let leaf else { return (nil, nil) }
        let (min, max) = stats.displayBounds(sortOrder: leaf.sortOrder)
        return (
            min.flatMap { leaf.formatPlainValue($0, plainText: plainText) },
            max.flatMap { leaf.formatPlainValue($0, plainText: plainText) }
        )
    }

    // MARK: Text

    func text() -> String {
        var s = ""
        let groups = metadata.rowGroups
        s += "file:        \(file)\n"
        s += "created by:  \(metadata.createdBy ?? "(not recorded)")\n"
        s += "rows:        \(metadata.numRows) in \(groups.count) row group\(groups.count == 1 ? "" : "s")\n"
        let compressed = groups.reduce(Int64(0)) {
            $0 + $1.columns.reduce(Int64(0)) { $0 + ($1.metaData?.totalCompressedSize ?? 0) }
        }
        let uncompressed = groups.reduce(Int64(0)) {
            $0 + $1.columns.reduce(Int64(0)) { $0 + ($1.metaData?.totalUncompressedSize ?? 0) }
        }
        s += "data size:   \(Self.size(compressed)) compressed, \(Self.size(uncompressed)) uncompressed\n"
        let kvs = metadata.keyValueMetadata ?? []
        s += "key-value metadata:\(kvs.isEmpty ? " (none)" : "")\n"
        for kv in kvs {
            s += "  \(kv.key) = \(kv.value.map { Self.truncated($0, to: Self.maxValueLength) } ?? "(no value)")\n"
        }
        s += "schema:\n"
        for line in schema.messageType().split(separator: "\n") { s += "  \(line)\n" }
        for (g, group) in groups.enumerated() {
            let groupCompressed =
                group.totalCompressedSize
                ?? group.columns.reduce(Int64(0)) { $0 + ($1.metaData?.totalCompressedSize ?? 0) }
            s +=
                "\nrow group \(g): \(group.numRows) rows, \(Self.size(group.totalByteSize)) uncompressed, \(Self.size(groupCompressed)) compressed\n"
            for (c, chunk) in group.columns.enumerated() {
                let leaf = c < schema.leaves.count ? schema.leaves[c] : nil
                guard let m = chunk.metaData else {
                    s += "  \(leaf?.dottedPath ?? "column \(c)"): no metadata\n"
                    continue
                }
                s += "  \(m.pathInSchema.joined(separator: "."))\n"
                var type = m.type.name
                if m.type == .fixedLenByteArray, let leaf { type += "(\(leaf.typeLength))" }
                if let logical = leaf?.logicalType {
                    type += " \(logical.description)"
                } else if let converted = leaf?.convertedType {
                    type += " \(converted.name)"
                }
                if let leaf { type += ", \(leaf.field.repetition.name)" }
                s += "    type:        \(type)\n"
                s += "    encodings:   \(m.encodings.map(\.name).joined(separator: ", "))\n"
                s += "    codec:       \(m.codec.name)\n"
                s += "    values:      \(m.numValues)\n"
                s +=
                    "    size:        \(Self.size(m.totalCompressedSize)) compressed, \(Self.size(m.totalUncompressedSize)) uncompressed\n"
                if let stats = m.statistics {
                    let (min, max) = bounds(stats, leaf: leaf, plainText: true)
                    var parts: [String] = []
                    parts.append("min \(min.map { Self.truncated($0, to: Self.maxStatisticLength) } ?? "-")")
                    parts.append("max \(max.map { Self.truncated($0, to: Self.maxStatisticLength) } ?? "-")")
                    parts.append("nulls \(stats.nullCount.map(String.init) ?? "-")")
                    if let d = stats.distinctCount { parts.append("distinct \(d)") }
                    s += "    statistics:  \(parts.joined(separator: ", "))\n"
                } else {
                    s += "    statistics:  none\n"
                }
            }
        }
        return s
    }

    /// `text` cut to `limit` characters with `… (N bytes)`, control characters escaped.
    static func truncated(_ text: String, to limit: Int) -> String {
        var visible = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": visible += "\\n"
            case "\r": visible += "\\r"
            case "\t": visible += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    visible += "?"
                } else {
                    visible.unicodeScalars.append(scalar)
                }
            }
        }
        guard visible.count > limit else { return visible }
        return String(visible.prefix(limit)) + "… (\(text.utf8.count) bytes)"
    }

    /// A byte count with a binary unit: `512 B`, `12.3 KiB`, `4.0 MiB`.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var u = 0
        while value >= 1024 && u < units.count - 1 {
            value /= 1024
            u += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[u])"
    }
}
