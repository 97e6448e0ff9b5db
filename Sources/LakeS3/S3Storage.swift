#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LakeAWS
import LakeCore

/// ``TableStorage`` on S3 or an S3-compatible store (SeaweedFS, MinIO…): a table is the objects
/// under one key prefix of a bucket (`s3://bucket/prefix`), and every table-relative path is a key
/// below it (`prefix/.hoodie/hoodie.properties`).
///
/// How the contract is kept:
/// * **Atomic visibility**: ``write(_:_:)`` is one PUT (a multipart upload above
///   ``S3Client/Options/multipartThreshold``), and S3 shows an object only whole; a streaming
///   writer (``makeWriter(_:)``) publishes by one PUT or by completing a multipart upload.
/// * **Put-if-absent**: ``createExclusive(_:_:)`` is a PUT with `If-None-Match: *`; the server
///   answers 412 to every writer but one (`.alreadyExists`). A 409 (`ConditionalRequestConflict`:
///   a concurrent conditional write still in flight) is retried, then reported as `.conflict`.
/// * **Listing is per directory**: ``list(_:)`` is `ListObjectsV2` with the prefix `dir/` and the
///   delimiter `/`, every page; common prefixes are the directories.
/// * **Ranged reads**: ``read(_:range:)`` is a ranged GET; ``makeReader(_:)`` reads the tail (a
///   Parquet footer) first, then only the ranges asked for.
/// * **Directories are implicit**: ``makeDirectories(_:)`` does nothing;
///   ``deleteDirectoryIfEmpty(_:)`` only checks that nothing is stored below.
/// * **Incomplete writes**: ``discardIncompleteWrites(in:startedBefore:)`` aborts multipart
///   uploads of keys directly in the directory.
///
/// Errors are ``LakeError`` naming the path, with the AWS message (bucket, key, endpoint, HTTP
/// status and S3 error code) and the ``AWSError`` as cause: `.notFound` for a missing object,
/// `.accessDenied` for a rejected signature, unknown key or missing credentials, `.io` for
/// failures that outlasted the client's retries.
public final class S3Storage: TableStorage {
    /// `s3://bucket/prefix`.
    public let root: String
    public let bucket: String
    /// The key prefix of the table, without leading or trailing `/` (empty: the bucket's root).
    public let prefix: String
    /// The client every request goes through (its ``AWSClient`` counts them).
    public let client: S3Client

    /// The storage of the table at `bucket`/`prefix`.
    public init(bucket: String, prefix: String, client: S3Client) {
        var prefix = prefix
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.bucket = bucket
        self.prefix = prefix
        self.client = client
        self.root = prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
    }

    /// The storage of the table at `url` (`s3://bucket/prefix`).
    /// - Throws: `.invalidArgument` for a URL that is not an S3 location.
    public convenience init(url: String, client: S3Client) throws(LakeError) {
        guard case .s3(let bucket, let prefix) = try TableLocation(parsing: url) else {
            throw LakeError(.invalidArgument, "'\(url)' is not an S3 location (expected s3://bucket/prefix)")
        }
        self.init(bucket: bucket, prefix: prefix, client: client)
    }

    /// Eight: a write's file groups and a read's partitions are worked on by eight threads, so the
    /// waits of their GETs, PUTs and LISTs overlap with encoding on the cores (the client allows
    /// more requests in flight than that, ``AWSTransport/Options/maxConcurrentRequests``).
    public var requestConcurrency: Int { 8 }

    /// Requests made and bytes moved by this storage's client (shared with every storage and
    /// service call on the same ``AWSClient``), in the shape ``MemoryStorage`` counts: multipart
    /// starts and completions (POST) count as PUT, every retry counts.
    public var requestCounts: StorageRequestCounts { Self.counts(client.aws.metrics) }

    /// AWS metrics as storage request counts.
    public static func counts(_ m: AWSRequestMetrics) -> StorageRequestCounts {
        var c = StorageRequestCounts()
        c.list = m.requests[.list] ?? 0
        c.get = m.requests[.get] ?? 0
        c.head = m.requests[.head] ?? 0
        c.put = (m.requests[.put] ?? 0) + (m.requests[.post] ?? 0)
        c.delete = m.requests[.delete] ?? 0
        c.bytesRead = m.bytesReceived
        c.bytesWritten = m.bytesSent
        return c
    }

    /// The object key of a table-relative path.
    func key(_ path: String) -> String {
        prefix.isEmpty ? path : path.isEmpty ? prefix : prefix + "/" + path
    }

    /// The key prefix of everything below directory `dir` (ends in `/`, or is empty for the root
    /// of a bucket-root table).
    private func dirPrefix(_ dir: String) -> String {
        let k = key(dir)
        return k.isEmpty ? "" : k + "/"
    }

    /// The table-relative path of a key below the table.
    private func path(ofKey key: String) -> String {
        prefix.isEmpty ? key : String(key.dropFirst(prefix.count + 1))
    }

    // MARK: Reading

    public func read(_ path: String) throws(LakeError) -> [UInt8] {
        try Self.validateFile(path, "read")
        do {
            return try client.getObject(bucket: bucket, key: key(path))
        } catch {
            throw LakeError(s3: error, "read", path)
        }
    }

    public func read(_ path: String, range: Range<Int64>) throws(LakeError) -> [UInt8] {
        try Self.validateFile(path, "read")
        guard range.lowerBound >= 0 else {
            throw LakeError(.invalidArgument, "read \(path): negative offset \(range.lowerBound)")
        }
        if range.isEmpty {
            _ = try size(path)  // still .notFound for a missing file
            return []
        }
        do {
            return try client.getObject(
                bucket: bucket, key: key(path), range: .closed(first: range.lowerBound, last: range.upperBound - 1))
        } catch  where error.status == 416 {
            return []  // the range starts past the end of an existing object
        } catch {
            throw LakeError(s3: error, "read", path)
        }
    }

    public func makeReader(_ path: String) throws(LakeError) -> any StorageReader {
        try Self.validateFile(path, "read")
        let key = key(path)
        do {
            let tail = try client.fetchObject(bucket: bucket, key: key, range: .suffix(S3StorageReader.tailSize))
            return S3StorageReader(
                storage: self, path: path, key: key, size: tail.objectSize, etag: tail.etag, tail: tail.body)
        } catch  where error.status == 416 {
            // An empty object has no suffix to read.
            return S3StorageReader(storage: self, path: path, key: key, size: 0, etag: nil, tail: [])
        } catch {
            throw LakeError(s3: error, "read", path)
        }
    }

    // MARK: Writing

    public func write(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        try Self.validateFile(path, "write")
        do {
            _ = try client.putObject(bucket: bucket, key: key(path), body: bytes)
        } catch {
            throw LakeError(s3: error, "write", path)
        }
    }

    public func createExclusive(_ path: String, _ bytes: [UInt8]) throws(LakeError) {
        try Self.validateFile(path, "create")
        var attempt = 0
        while true {
            attempt += 1
            let result: S3PutResult
            do {
                result = try client.putObject(bucket: bucket, key: key(path), body: bytes, ifNoneMatch: true)
            } catch  where error.status == 409 && attempt < 5 {
                // ConditionalRequestConflict: another conditional write of this key is in flight;
                // once it settles, ours either wins or gets 412.
                Self.pause(millis: 20 * attempt)
                continue
            } catch  where error.status == 409 {
                throw LakeError(
                    .conflict, "create \(path) (\(root)): concurrent conditional writes kept conflicting: \(error)",
                    cause: error)
            } catch {
                throw LakeError(s3: error, "create", path)
            }
            if result == .alreadyExists {
                throw LakeError(.alreadyExists, "create \(path) (\(root)): already exists")
            }
            return
        }
    }

    public func makeWriter(_ path: String) throws(LakeError) -> any StorageWriter {
        try Self.validateFile(path, "write")
        return S3StorageWriter(storage: self, path: path, key: key(path))
    }

    // MARK: Listing

    public func list(_ dir: String) throws(LakeError) -> [StorageEntry] {
        try StoragePath.validate(dir)
        let listPrefix = dirPrefix(dir)
        let page: S3ListPage
        do {
            page = try client.listAllObjects(bucket: bucket, prefix: listPrefix, delimiter: "/")
        } catch {
            throw LakeError(s3: error, "list", dir)
        }
        var entries: [StorageEntry] = []
        entries.reserveCapacity(page.objects.count + page.commonPrefixes.count)
        for object in page.objects where object.key.count > listPrefix.count {
            let modified = object.lastModified.flatMap { AWSTimestamp.epochMillis(iso8601: $0) } ?? 0
            entries.append(
                StorageEntry(
                    path: path(ofKey: object.key), isDirectory: false, size: object.size,
                    modifiedMillis: modified))
        }
        for common in page.commonPrefixes where common.hasSuffix("/") && common.count > listPrefix.count + 1 {
            entries.append(
                StorageEntry(
                    path: path(ofKey: String(common.dropLast())), isDirectory: true, size: 0,
                    modifiedMillis: 0))
        }
        if entries.isEmpty && !dir.isEmpty {
            throw LakeError(.notFound, "list \(dir) (\(root)): nothing is stored below it")
        }
        return entries
    }

    public func exists(_ path: String) throws(LakeError) -> Bool {
        try StoragePath.validate(path)
        if path.isEmpty { return true }
        do {
            if try client.headObject(bucket: bucket, key: key(path)) != nil { return true }
            return try !isEmptyDirectory(path)
        } catch {
            throw LakeError(s3: error, "exists", path)
        }
    }

    /// Whether nothing is stored below `dir` (one listing of at most one key).
    private func isEmptyDirectory(_ dir: String) throws(AWSError) -> Bool {
        let page = try client.listObjects(bucket: bucket, prefix: dirPrefix(dir), maxKeys: 1)
        return page.objects.isEmpty && page.commonPrefixes.isEmpty
    }

    // MARK: Removal and metadata

    @discardableResult
    public func delete(_ path: String) throws(LakeError) -> Bool {
        try Self.validateFile(path, "delete")
        do {
            // S3 deletes a missing key without saying so: ask first, so a retry reports false.
            guard try client.headObject(bucket: bucket, key: key(path)) != nil else { return false }
            try client.deleteObject(bucket: bucket, key: key(path))
            return true
        } catch {
            throw LakeError(s3: error, "delete", path)
        }
    }

    @discardableResult
    public func deleteDirectoryIfEmpty(_ dir: String) throws(LakeError) -> Bool {
        try StoragePath.validate(dir)
        guard !dir.isEmpty else {
            throw LakeError(.invalidArgument, "delete directory: refusing to delete the table root")
        }
        do {
            guard try isEmptyDirectory(dir) else { return false }
            // Stores backed by a file system (SeaweedFS's filer, MinIO) keep an emptied folder and
            // list it as a common prefix; deleting the folder's key removes it. On S3 the key does
            // not exist and the DELETE changes nothing.
            try client.deleteObject(bucket: bucket, key: key(dir) + "/")
            return true
        } catch {
            throw LakeError(s3: error, "delete directory", dir)
        }
    }

    public func size(_ path: String) throws(LakeError) -> Int64 {
        try Self.validateFile(path, "size")
        let info: S3ObjectInfo?
        do {
            info = try client.headObject(bucket: bucket, key: key(path))
        } catch {
            throw LakeError(s3: error, "size", path)
        }
        guard let info else { throw LakeError(.notFound, "size \(path) (\(root)): no such object") }
        return info.size
    }

    public func makeDirectories(_ dir: String) throws(LakeError) {
        try StoragePath.validate(dir)
    }

    @discardableResult
    public func discardIncompleteWrites(in dir: String, startedBefore: Int64?) throws(LakeError) -> Int {
        try StoragePath.validate(dir)
        let listPrefix = dirPrefix(dir)
        do {
            var removed = 0
            for info in try client.listMultipartUploads(bucket: bucket, prefix: listPrefix) {
                // Directly in `dir` only (not in its subdirectories).
                guard !info.upload.key.dropFirst(listPrefix.count).contains("/") else { continue }
                if let cutoff = startedBefore {
                    guard let started = info.initiatedMillis, started < cutoff else { continue }
                }
                try client.abortMultipartUpload(info.upload)
                removed += 1
            }
            return removed
        } catch {
            throw LakeError(s3: error, "discard incomplete writes in", dir)
        }
    }

    // MARK: Helpers

    private static func validateFile(_ path: String, _ op: String) throws(LakeError) {
        try StoragePath.validate(path)
        guard !path.isEmpty else { throw LakeError(.invalidArgument, "\(op): empty path") }
    }

    private static func pause(millis: Int) {
        var request = timespec(tv_sec: millis / 1000, tv_nsec: (millis % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 { request = remaining }
    }
}
