import Foundation

/// The S3 REST API lake needs — get (whole or ranged), head, put (optionally put-if-absent,
/// multipart above a threshold), delete, list — over the shared ``AWSClient``.
///
/// Addressing is path-style (`http://endpoint/bucket/key`) when the endpoint is configured (an
/// S3-compatible store) or the bucket name is not DNS-safe, virtual-hosted
/// (`https://bucket.s3.region.amazonaws.com/key`) otherwise. Every error names the operation, the
/// `s3://bucket/key` and the endpoint.
public struct S3Client: Sendable {
    /// How objects are addressed.
    public enum AddressingStyle: Sendable {
        /// Path-style for configured endpoints and dotted bucket names, virtual-hosted otherwise.
        case automatic
        case path
        case virtualHosted
    }

    /// Client settings.
    public struct Options: Sendable {
        public var addressingStyle: AddressingStyle
        /// Bodies at least this large are uploaded in parts (S3 needs parts of ≥ 5 MiB but the last).
        public var multipartThreshold: Int
        /// The size of each part of a multipart upload.
        public var partSize: Int
        /// Whether bodies are hashed into the signature; false sends `UNSIGNED-PAYLOAD` (saves a
        /// SHA-256 pass over each body — use over TLS only).
        public var signsPayload: Bool

        public init(
            addressingStyle: AddressingStyle = .automatic, multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20,
            signsPayload: Bool = true
        ) {
            self.addressingStyle = addressingStyle
            self.multipartThreshold = max(multipartThreshold, 5 << 20)
            self.partSize = max(partSize, 5 << 20)
            self.signsPayload = signsPayload
        }
    }

    public let aws: AWSClient
    public var options: Options

    public init(_ aws: AWSClient, options: Options = Options()) {
        self.aws = aws
        self.options = options
    }

    // MARK: Objects

    /// Reads an object, or the part of it `range` names.
    /// - Throws: `AWSError(.notFound)` naming `s3://bucket/key` when it does not exist;
    ///   `AWSError(.invalidRequest)` for a range outside the object (HTTP 416); see ``S3Client``.
    public func getObject(bucket: String, key: String, range: S3ByteRange? = nil) throws(AWSError) -> [UInt8] {
        var request = try objectRequest("GET", bucket: bucket, key: key)
        if let range { request.headers.append(("Range", range.description)) }
        let response = try aws.send(request, service: .s3, kind: .get, safety: .idempotent)
        guard response.isSuccess else { throw error(response, "GET", bucket: bucket, key: key) }
        return response.body
    }

    /// The size and entity tag of an object, or nil when it does not exist.
    public func headObject(bucket: String, key: String) throws(AWSError) -> S3ObjectInfo? {
        let request = try objectRequest("HEAD", bucket: bucket, key: key)
        let response = try aws.send(request, service: .s3, kind: .head, safety: .idempotent)
        if response.status == 404 { return nil }
        guard response.isSuccess else { throw error(response, "HEAD", bucket: bucket, key: key) }
        return S3ObjectInfo(
            key: key, size: Int64(response.header("content-length") ?? "") ?? 0,
            etag: response.header("etag").map(Self.unquote), lastModified: response.header("last-modified"),
            contentType: response.header("content-type"))
    }

    /// Writes an object (in parts when `body` reaches ``Options/multipartThreshold``).
    ///
    /// With `ifNoneMatch`, the write is put-if-absent (`If-None-Match: *`): exactly one of several
    /// concurrent writers of a key gets ``S3PutResult/created(etag:)``, the others
    /// ``S3PutResult/alreadyExists``. When an attempt failed ambiguously (reset after sending) and
    /// the retry is refused with 412, the earlier attempt may have been the one that wrote: the
    /// object is read back and compared byte for byte with `body` — equal means ours (`created`),
    /// different means another writer's (`alreadyExists`).
    /// - Parameter contentType: always sent (`application/octet-stream` by default).
    public func putObject(
        bucket: String, key: String, body: [UInt8], contentType: String = "application/octet-stream",
        ifNoneMatch: Bool = false
    ) throws(AWSError) -> S3PutResult {
        if body.count >= options.multipartThreshold {
            return try putObjectInParts(
                bucket: bucket, key: key, body: body, contentType: contentType, ifNoneMatch: ifNoneMatch)
        }
        var request = try objectRequest("PUT", bucket: bucket, key: key)
        request.body = body
        request.headers.append(("Content-Type", contentType))
        if ifNoneMatch { request.headers.append(("If-None-Match", "*")) }
        let response = try aws.send(request, service: .s3, kind: .put, safety: ifNoneMatch ? .conditional : .idempotent)
        if response.isSuccess { return .created(etag: response.header("etag").map(Self.unquote)) }
        if ifNoneMatch, response.status == 412 {
            return try resolvePreconditionFailure(response, bucket: bucket, key: key, body: body)
        }
        throw error(response, "PUT", bucket: bucket, key: key)
    }

    /// Tells apart "someone else created it" from "our own earlier attempt created it".
    func resolvePreconditionFailure(
        _ response: AWSResponse, bucket: String, key: String, body: [UInt8]
    ) throws(AWSError) -> S3PutResult {
        guard response.hadAmbiguousFailure else { return .alreadyExists }
        let stored = try getObject(bucket: bucket, key: key)
        return stored == body ? .created(etag: nil) : .alreadyExists
    }

    /// Deletes an object; deleting a missing key succeeds (as S3 does).
    public func deleteObject(bucket: String, key: String) throws(AWSError) {
        let request = try objectRequest("DELETE", bucket: bucket, key: key)
        let response = try aws.send(request, service: .s3, kind: .delete, safety: .idempotent)
        guard response.isSuccess || response.status == 404 else {
            throw error(response, "DELETE", bucket: bucket, key: key)
        }
    }

    // MARK: Listing

    /// One page of `ListObjectsV2` (up to `maxKeys`, at most 1,000).
    /// - Parameters:
    ///   - prefix: only keys starting with it.
    ///   - delimiter: group keys by the next occurrence after the prefix (usually `/`).
    ///   - continuationToken: the previous page's ``S3ListPage/nextContinuationToken``.
    public func listObjects(
        bucket: String, prefix: String = "", delimiter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int? = nil
    ) throws(AWSError) -> S3ListPage {
        var request = try bucketRequest("GET", bucket: bucket)
        request.query = [("list-type", "2"), ("encoding-type", "url")]
        if !prefix.isEmpty { request.query.append(("prefix", prefix)) }
        if let delimiter { request.query.append(("delimiter", delimiter)) }
        if let continuationToken { request.query.append(("continuation-token", continuationToken)) }
        if let maxKeys { request.query.append(("max-keys", String(maxKeys))) }
        let response = try aws.send(request, service: .s3, kind: .list, safety: .idempotent)
        guard response.isSuccess else { throw error(response, "LIST", bucket: bucket, key: prefix) }
        return try Self.parseListPage(response.body, bucket: bucket, prefix: prefix)
    }

    /// Every page of a listing, concatenated (keys in S3's order: ascending UTF-8).
    public func listAllObjects(
        bucket: String, prefix: String = "", delimiter: String? = nil
    ) throws(AWSError)
        -> S3ListPage
    {
        var all = S3ListPage(objects: [], commonPrefixes: [], nextContinuationToken: nil)
        var token: String?
        repeat {
            let page = try listObjects(bucket: bucket, prefix: prefix, delimiter: delimiter, continuationToken: token)
            all.objects += page.objects
            all.commonPrefixes += page.commonPrefixes
            token = page.nextContinuationToken
        } while token != nil
        return all
    }

    static func parseListPage(_ body: [UInt8], bucket: String, prefix: String) throws(AWSError) -> S3ListPage {
        let text = Substring(String(decoding: body, as: UTF8.self))
        guard text.contains("<ListBucketResult") else {
            throw AWSError(
                .invalidResponse,
                "the listing of s3://\(bucket)/\(prefix) is not a ListBucketResult: \(text.prefix(200))")
        }
        let urlEncoded = S3XML.first("EncodingType", in: text) == "url"
        func decode(_ s: String) -> String { urlEncoded ? AWSURIEncoding.decode(s) : s }
        var objects: [S3ObjectInfo] = []
        for entry in S3XML.elements("Contents", in: text) {
            guard let key = S3XML.first("Key", in: entry) else {
                throw AWSError(.invalidResponse, "a listing entry of s3://\(bucket)/\(prefix) has no Key")
            }
            objects.append(
                S3ObjectInfo(
                    key: decode(key), size: Int64(S3XML.first("Size", in: entry) ?? "") ?? 0,
                    etag: S3XML.first("ETag", in: entry).map(unquote),
                    lastModified: S3XML.first("LastModified", in: entry)))
        }
        let prefixes = S3XML.elements("CommonPrefixes", in: text).compactMap { S3XML.first("Prefix", in: $0) }.map(
            decode)
        let truncated = S3XML.first("IsTruncated", in: text) == "true"
        let token = truncated ? S3XML.first("NextContinuationToken", in: text) : nil
        if truncated, token == nil {
            throw AWSError(
                .invalidResponse,
                "the listing of s3://\(bucket)/\(prefix) is truncated but has no NextContinuationToken")
        }
        return S3ListPage(objects: objects, commonPrefixes: prefixes, nextContinuationToken: token)
    }

    // MARK: Buckets

    /// Creates a bucket (in the configured region); succeeds when this account already owns it.
    public func createBucket(_ bucket: String) throws(AWSError) {
        var request = try bucketRequest("PUT", bucket: bucket)
        if aws.configuration.region != "us-east-1" {
            request.body = Array(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + S3XML.escape(aws.configuration.region) + "</LocationConstraint></CreateBucketConfiguration>").utf8
            )
        }
        request.headers.append(("Content-Type", "application/xml"))
        let response = try aws.send(request, service: .s3, kind: .put, safety: .idempotent)
        if response.isSuccess { return }
        if AWSErrorBody(response: response).code == "BucketAlreadyOwnedByYou" { return }
        throw error(response, "CREATE BUCKET", bucket: bucket, key: nil)
    }

    static func unquote(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }
}
