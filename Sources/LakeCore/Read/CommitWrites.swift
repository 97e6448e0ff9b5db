/// The base files one completed commit wrote and the file groups it replaced, as its commit
/// metadata names them: the part of `partitionToWriteStats` (and `partitionToReplaceFileIds`)
/// a reader needs to know which files a snapshot must consist of.
///
/// Decoded straight from the JSON bytes — by ``CommitWritesSkimmer`` when the file is as Java and
/// lake write it, else with the validating ``JSONScanner``: the write stats' `fileId`, `path`,
/// `fileSizeInBytes` and `numWrites` are read, every other value is skipped. That is several times
/// cheaper than building a ``HoodieCommitMetadata``, which matters because a snapshot read decodes
/// every completed commit on the active timeline.
struct CommitWrites: Sendable, Hashable {
    /// One write stat.
    struct Write: Sendable, Hashable {
        /// The partition path: the `partitionToWriteStats` key the stat is listed under.
        var partitionPath: String
        /// The file group id.
        var fileId: String
        /// The base file's name: the last segment of the stat's `path` (`nil` if the path is absent
        /// or empty). The directory part is not what readers use (format page §5).
        var fileName: String?
        /// `fileSizeInBytes` (0 if absent).
        var fileSize: Int64
        /// `numWrites`: the rows of the new file (0 if absent).
        var records: Int64

        /// Where the file is: the partition directory and the file name, or `nil` without a path.
        var location: String? {
            fileName.map { StoragePath.join(partitionPath, $0) }
        }

        var fileGroupID: FileGroupID { FileGroupID(partitionPath: partitionPath, fileId: fileId) }
    }

    /// The commit's instant time, widened to 17 digits.
    var instant: String
    /// Its write stats, in file order.
    var writes: [Write]
    /// File groups replaced (`partitionToReplaceFileIds`; empty for plain commits).
    var replaced: [FileGroupID]

    /// Decodes the commit file of `instant`.
    /// - Throws: `.corruptTable` naming `source` if the bytes are not commit metadata JSON (or the
    ///   document is empty); the message gives the byte position.
    init(instant: String, json bytes: [UInt8], source: String) throws(LakeError) {
        self.instant = Instant.normalize(instant)
        if let fast = bytes.withUnsafeBytes({ CommitWritesSkimmer.skim($0) }) {
            (writes, replaced) = fast
            return
        }
        do throws(LakeError) {
            (writes, replaced) = try bytes.withUnsafeBytes { raw in
                Result { () throws(LakeError) in try Self.decode(raw) }
            }.get()
        } catch {
            throw LakeError(.corruptTable, "\(source): not valid commit metadata: \(error.message)")
        }
    }

    /// The validating decode (``JSONScanner``), also the fallback of the fast path.
    static func decode(_ raw: UnsafeRawBufferPointer) throws(LakeError) -> ([Write], [FileGroupID]) {
        var writes: [Write] = [], replaced: [FileGroupID] = []
        var s = JSONScanner(raw)
        try s.expect(UInt8(ascii: "{"), "a JSON object")
        var members = 0
        if !s.consume(UInt8(ascii: "}")) {
            repeat {
                members += 1
                let key = try s.scanString()
                try s.expect(UInt8(ascii: ":"), "':' after an object key")
                if Self.is(key, "partitionToWriteStats", in: s) {
                    try readWriteStats(&s, into: &writes)
                } else if Self.is(key, "partitionToReplaceFileIds", in: s) {
                    try readReplaced(&s, into: &replaced)
                } else {
                    try s.skipValue(depth: 1)
                }
            } while s.consume(UInt8(ascii: ","))
            try s.expect(UInt8(ascii: "}"), "',' or '}' after an object member")
        }
        try s.expectEnd()
        if members == 0 { throw LakeError(.corruptTable, "commit metadata is empty ({})") }
        return (writes, replaced)
    }

    private static func `is`(_ span: JSONStringSpan, _ name: StaticString, in s: JSONScanner) -> Bool {
        !span.hasEscapes && span.range.count == name.utf8CodeUnitCount
            && s.contents(of: span, equal: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// `{ "<partition>": [ {stat}, … ], … }` (or null).
    private static func readWriteStats(_ s: inout JSONScanner, into out: inout [Write]) throws(LakeError) {
        if s.peekKind() == .null { try s.parseNull(); return }
        try s.expect(UInt8(ascii: "{"), "an object of write stats per partition")
        if s.consume(UInt8(ascii: "}")) { return }
        repeat {
            let partition = try s.parseString()
            try s.expect(UInt8(ascii: ":"), "':' after an object key")
            if s.peekKind() == .null { try s.parseNull(); continue }
            try s.expect(UInt8(ascii: "["), "an array of write stats")
            if !s.consume(UInt8(ascii: "]")) {
                repeat {
                    out.append(try readStat(&s, partition: partition))
                } while s.consume(UInt8(ascii: ","))
                try s.expect(UInt8(ascii: "]"), "',' or ']' after a write stat")
            }
        } while s.consume(UInt8(ascii: ","))
        try s.expect(UInt8(ascii: "}"), "',' or '}' after a partition's write stats")
    }

    private static func readStat(_ s: inout JSONScanner, partition: String) throws(LakeError) -> Write {
        var w = Write(partitionPath: partition, fileId: "", fileName: nil, fileSize: 0, records: 0)
        var sawFileId = false
        try s.expect(UInt8(ascii: "{"), "a write stat object")
        if !s.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try s.scanString()
                try s.expect(UInt8(ascii: ":"), "':' after an object key")
                if Self.is(key, "fileId", in: s) {
                    w.fileId = try s.parseString()
                    sawFileId = true
                } else if Self.is(key, "path", in: s) {
                    if s.peekKind() == .null { try s.parseNull() } else { w.fileName = try lastSegment(&s) }
                } else if Self.is(key, "fileSizeInBytes", in: s) {
                    w.fileSize = try integer(&s, "fileSizeInBytes")
                } else if Self.is(key, "numWrites", in: s) {
                    w.records = try integer(&s, "numWrites")
                } else {
                    try s.skipValue(depth: 4)
                }
            } while s.consume(UInt8(ascii: ","))
            try s.expect(UInt8(ascii: "}"), "',' or '}' after a write stat member")
        }
        guard sawFileId else {
            throw LakeError(.corruptTable, "a write stat of partition '\(partition)' has no fileId")
        }
        return w
    }

    /// The last `/`-separated segment of the string at the cursor (`nil` if empty), without
    /// materialising the whole path.
    private static func lastSegment(_ s: inout JSONScanner) throws(LakeError) -> String? {
        let span = try s.scanString()
        if span.hasEscapes {
            var utf8: [UInt8] = []
            s.appendContents(of: span, to: &utf8)
            let name = StoragePath.fileName(String(decoding: utf8, as: UTF8.self))
            return name.isEmpty ? nil : name
        }
        var start = span.range.lowerBound
        for i in span.range.reversed() where s.bytes[i] == UInt8(ascii: "/") {
            start = i + 1
            break
        }
        guard start < span.range.upperBound else { return nil }
        return String(decoding: s.slice(start..<span.range.upperBound), as: UTF8.self)
    }

    private static func integer(_ s: inout JSONScanner, _ name: String) throws(LakeError) -> Int64 {
        if s.peekKind() == .null { try s.parseNull(); return 0 }
        let at = s.position
        let span = try s.scanNumber()
        guard span.isInteger, let v = Int64(s.text(span.range)) else {
            throw LakeError(.corruptTable, "\(name) at byte \(at + 1) is not an integer: \(s.text(span.range))")
        }
        return v
    }

    /// `{ "<partition>": ["fileId", …], … }` (or null).
    private static func readReplaced(_ s: inout JSONScanner, into out: inout [FileGroupID]) throws(LakeError) {
        if s.peekKind() == .null { try s.parseNull(); return }
        try s.expect(UInt8(ascii: "{"), "an object of replaced file ids per partition")
        if s.consume(UInt8(ascii: "}")) { return }
        repeat {
            let partition = try s.parseString()
            try s.expect(UInt8(ascii: ":"), "':' after an object key")
            try s.expect(UInt8(ascii: "["), "an array of file ids")
            if !s.consume(UInt8(ascii: "]")) {
                repeat {
                    out.append(FileGroupID(partitionPath: partition, fileId: try s.parseString()))
                } while s.consume(UInt8(ascii: ","))
                try s.expect(UInt8(ascii: "]"), "',' or ']' after a file id")
            }
        } while s.consume(UInt8(ascii: ","))
        try s.expect(UInt8(ascii: "}"), "',' or '}' after a partition's replaced file ids")
    }
}
