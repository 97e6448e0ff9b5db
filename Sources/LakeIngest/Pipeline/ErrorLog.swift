import LakeCore

/// The quarantine: refused change records written as JSON lines, one file per batch, beside the
/// table in `<table>/.hoodie/lake/errors/` (inside `.hoodie` so table readers never take it for
/// a partition).
///
/// Each line is `{"file":…,"line":…,"offset":…,"reason":…,"record":…}` where `record` is the
/// raw line as a JSON string. A batch's file is named after the position of the batch's first
/// record (`<file>@<offset>.jsonl`), so a batch that is re-run after a crash overwrites the
/// file of its failed attempt instead of adding a duplicate.
public enum ErrorLog {
    /// The folder under a table's root.
    public static let folder = ".hoodie/lake/errors"

    /// The JSON line of one issue.
    public static func line(_ issue: IngestIssue) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "{\"file\":".utf8)
        JSONWriter.appendString(issue.position.file, to: &out)
        out.append(contentsOf: ",\"line\":\(issue.position.line),\"offset\":\(issue.position.offset),\"reason\":".utf8)
        JSONWriter.appendString(issue.reason, to: &out)
        out.append(contentsOf: ",\"record\":".utf8)
        issue.line.withUnsafeBytes { JSONWriter.appendString(utf8: $0, to: &out) }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// The file name for a batch starting at `start`.
    public static func fileName(startingAt start: SourcePosition) -> String {
        let base = start.file.split(separator: "/").last.map(String.init) ?? "input"
        let safe = String(base.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
        return "\(safe == "-" ? "stdin" : safe)@\(start.offset).jsonl"
    }

    /// Writes the issues of one batch to `directory/<fileName>` (atomically, replacing a file of
    /// the same name) through the storage serving `directory` (a local directory, or
    /// `s3://bucket/prefix/.hoodie/lake/errors` for a table on S3: ``TableStorageResolver``).
    /// Returns the path written.
    @discardableResult
    public static func write(_ issues: [IngestIssue], directory: String, fileName: String) throws(LakeError) -> String {
        var bytes: [UInt8] = []
        for i in issues { bytes.append(contentsOf: line(i)) }
        let storage = try TableStorageResolver.storage(for: TableLocation(parsing: directory))
        try storage.write(fileName, bytes)
        return directory + "/" + fileName
    }
}
