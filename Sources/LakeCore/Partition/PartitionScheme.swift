/// How a table turns partition values into a partition path and back: its partition fields,
/// hive-style or plain segments, and whether values are percent-encoded.
///
/// A path has one segment per field, in field order, joined with `/`: `field=value` when
/// hive-style, `value` otherwise (`byteField=10/shortField=300`, `10`). A null or empty value is
/// written as ``PartitionPath/defaultPartition``. A non-partitioned table has the path `""`.
///
/// ## Encoding decision (`hoodie.datasource.write.partitionpath.urlencode`)
///
/// lake creates tables with `urlencode=true` and percent-encodes every value with Java's
/// `escapePathName` character set (``PartitionPath/escape(_:)``). Reasons (format page §12):
/// * Values are arbitrary (CDC data): without encoding, a `/` in a value nests directories and a
///   `..` could leave the table root. Encoding keeps every value inside one segment.
/// * With `urlencode=true` hudi-rs percent-decodes paths before partition pruning, so filters
///   on encoded values (`a%2Fb`, `50%25`) match; with `false` they would be pruned away (0 rows).
///   Values holding `/` are merely not pruned (still correct). Java decodes per segment.
/// * A Java writer of the same table with `urlencode=true` escapes the same characters, so both
///   writers put a value in the same directory.
/// * Non-ASCII is left raw (UTF-8), because Java's decoder would garble `%C3%BC`.
///
/// Beyond Java's set, lake escapes what would make a *plain* (non-hive) first-level segment
/// unsafe or invisible: a leading `.` becomes `%2E` (so `.`, `..` and `.hoodie` cannot occur),
/// and the names hudi-rs skips at the top level (`metadata`, `_delta_log`) get their first
/// character encoded. Hive-style segments start with the field name, so they need none of this.
///
/// Tables whose properties say `urlencode=false` (the Java default, e.g. the reference tables)
/// get values written raw, exactly as Java writes them; a value that cannot be written raw
/// safely (`/`, NUL, or a plain segment starting with `.` or equal to a skipped name) fails
/// with `.invalidInput` instead of corrupting the layout.
public struct PartitionScheme: Sendable, Hashable {
    /// The partition fields, in path order (`hoodie.table.partition.fields`).
    public var fields: [String]
    /// Whether segments are `field=value`.
    public var hiveStyle: Bool
    /// Whether values are percent-encoded.
    public var urlEncode: Bool

    /// A scheme; see ``TableConfig/partitionScheme`` for a table's.
    public init(fields: [String], hiveStyle: Bool, urlEncode: Bool) {
        self.fields = fields
        self.hiveStyle = hiveStyle
        self.urlEncode = urlEncode
    }

    /// Top-level directory names hudi-rs never treats as partitions.
    static let reservedTopLevel: Set<String> = [".hoodie", "_delta_log", "metadata"]

    /// The partition path for one value per field (string renderings; `nil` for null).
    /// - Throws: `.invalidArgument` if the value count differs from the field count or a field
    ///   name cannot appear in a path; `.invalidInput` if a value cannot be written raw in a
    ///   table without URL encoding.
    public func path(for values: [String?]) throws(LakeError) -> String {
        guard values.count == fields.count else {
            throw LakeError(
                .invalidArgument,
                "\(values.count) partition values for \(fields.count) partition fields (\(fields.joined(separator: ",")))"
            )
        }
        var segments: [String] = []
        segments.reserveCapacity(fields.count)
        for (i, field) in fields.enumerated() {
            let value = try encode(values[i], field: field, level: i)
            let segment: String
            if hiveStyle {
                try Self.checkFieldName(field)
                segment = field + "=" + value
            } else {
                segment = value
            }
            if segment.utf8.count > Self.maxSegmentBytes {
                throw Self.tooLong(field: field, value: values[i] ?? "", segment: segment)
            }
            segments.append(segment)
        }
        return segments.joined(separator: "/")
    }

    /// The longest directory name a partition segment may have: 255 bytes, the limit of
    /// Linux, macOS and Windows file systems (`NAME_MAX`).
    public static let maxSegmentBytes = 255

    /// The error for a value whose directory name exceeds ``maxSegmentBytes``: bad data, with a
    /// short message that names the field and the value's first characters.
    static func tooLong(field: String, value: String, segment: String) -> LakeError {
        let shown = String(value.prefix(40))
        return LakeError(
            .invalidInput,
            "partition field \(field): the value '\(StoragePath.printable(shown))…' "
                + "(\(value.utf8.count) bytes) makes a directory name of \(segment.utf8.count) bytes; "
                + "file systems allow at most \(maxSegmentBytes)")
    }

    /// The directory name part of one value (without `field=`).
    func encode(_ raw: String?, field: String, level: Int) throws(LakeError) -> String {
        guard let raw, !raw.isEmpty else { return PartitionPath.defaultPartition }
        let plainTop = !hiveStyle && level == 0
        if urlEncode {
            var v = PartitionPath.escape(raw)
            if !hiveStyle && v.hasPrefix(".") {
                v = PartitionPath.escapedDot + v.dropFirst()
            }
            if plainTop && Self.reservedTopLevel.contains(v), let first = v.unicodeScalars.first {
                v = "%" + String(first.value, radix: 16, uppercase: true) + String(v.unicodeScalars.dropFirst())
            }
            return v
        }
        if raw.contains("/") || raw.utf8.contains(0) {
            throw LakeError(
                .invalidInput,
                "partition value '\(StoragePath.printable(raw))' of field \(field) contains '/' or NUL; the table does not URL-encode partition paths (\(TableConfig.Key.urlEncodePartitioning)=false), so it cannot be stored"
            )
        }
        if !hiveStyle && (raw.hasPrefix(".") || (plainTop && Self.reservedTopLevel.contains(raw))) {
            throw LakeError(
                .invalidInput,
                "partition value '\(raw)' of field \(field) would be a hidden or reserved directory; the table does not URL-encode partition paths (\(TableConfig.Key.urlEncodePartitioning)=false), so it cannot be stored"
            )
        }
        return raw
    }

    /// The field values of a partition path (inverse of ``path(for:)``): decoded if the table
    /// URL-encodes, ``PartitionPath/defaultPartition`` → `nil`. `""` gives `[]` for a
    /// non-partitioned scheme.
    /// - Throws: `.corruptTable` if the segment count differs from the field count or a
    ///   hive-style segment is not `<expected field>=<value>`.
    public func values(of path: String) throws(LakeError) -> [String?] {
        if fields.isEmpty {
            guard path.isEmpty else {
                throw LakeError(.corruptTable, "partition path '\(path)' in a non-partitioned table")
            }
            return []
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == fields.count else {
            throw LakeError(
                .corruptTable,
                "partition path '\(path)' has \(segments.count) segments; the table has \(fields.count) partition fields (\(fields.joined(separator: ",")))"
            )
        }
        var out: [String?] = []
        out.reserveCapacity(fields.count)
        for (i, seg) in segments.enumerated() {
            var value = Substring(seg)
            if hiveStyle {
                let prefix = fields[i] + "="
                guard seg.hasPrefix(prefix) else {
                    throw LakeError(.corruptTable, "partition path '\(path)': segment '\(seg)' is not \(prefix)<value>")
                }
                value = seg.dropFirst(prefix.count)
            }
            if value == Substring(PartitionPath.defaultPartition) {
                out.append(nil)
            } else {
                out.append(urlEncode ? PartitionPath.unescape(String(value)) : String(value))
            }
        }
        return out
    }

    /// A field name must be usable in `field=value`: non-empty, no `/`, `=`, NUL or control
    /// characters, not starting with `.`.
    static func checkFieldName(_ field: String) throws(LakeError) {
        let bad =
            field.isEmpty || field.hasPrefix(".") || field.contains("/") || field.contains("=")
            || field.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        if bad {
            throw LakeError(
                .invalidArgument,
                "partition field name '\(StoragePath.printable(field))' cannot be used in a hive-style partition path")
        }
    }
}
