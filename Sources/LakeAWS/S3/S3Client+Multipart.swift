import Dispatch
import Foundation

extension S3Client {
    /// A multipart upload in progress.
    public struct MultipartUpload: Sendable, Equatable {
        public var bucket: String
        public var key: String
        public var uploadID: String
    }

    /// A part uploaded to a multipart upload.
    public struct UploadedPart: Sendable, Equatable {
        /// 1-based.
        public var number: Int
        public var etag: String
    }

    /// Starts a multipart upload (`POST ?uploads`).
    public func createMultipartUpload(
        bucket: String, key: String, contentType: String = "application/octet-stream"
    ) throws(AWSError) -> MultipartUpload {
        var request = try objectRequest("POST", bucket: bucket, key: key)
        request.query = [("uploads", nil)]
        request.headers.append(("Content-Type", contentType))
        let response = try aws.send(request, service: .s3, kind: .post, safety: .idempotent)
        guard response.isSuccess else { throw error(response, "CREATE MULTIPART UPLOAD", bucket: bucket, key: key) }
        let text = Substring(String(decoding: response.body, as: UTF8.self))
        guard let id = S3XML.first("UploadId", in: text), !id.isEmpty else {
            throw AWSError(
                .invalidResponse, "the server started an upload of s3://\(bucket)/\(key) but returned no UploadId")
        }
        return MultipartUpload(bucket: bucket, key: key, uploadID: id)
    }

    /// Uploads one part (`PUT ?partNumber=N&uploadId=…`); safe to repeat.
    public func uploadPart(_ upload: MultipartUpload, number: Int, body: [UInt8]) throws(AWSError) -> UploadedPart {
        try aws.transport.send(uploadPartCall(upload, number: number, body: body)).uploadedPart(self, upload, number)
    }

    func uploadPartCall(_ upload: MultipartUpload, number: Int, body: [UInt8]) throws(AWSError) -> AWSTransport.Call {
        var request = try objectRequest("PUT", bucket: upload.bucket, key: upload.key)
        request.query = [("partNumber", String(number)), ("uploadId", upload.uploadID)]
        request.body = body
        request.headers.append(("Content-Type", "application/octet-stream"))
        return try aws.signedCall(request, service: .s3, kind: .put, safety: .idempotent)
    }

    /// Completes an upload from its parts (in part-number order). With `ifNoneMatch`, completes only
    /// if the key does not exist yet (`If-None-Match: *`, as AWS S3 supports on completion).
    /// - Returns: ``S3PutResult/alreadyExists`` when refused by the precondition (the upload is then
    ///   still open: abort it).
    public func completeMultipartUpload(
        _ upload: MultipartUpload, parts: [UploadedPart], ifNoneMatch: Bool = false
    ) throws(AWSError) -> S3PutResult {
        var request = try objectRequest("POST", bucket: upload.bucket, key: upload.key)
        request.query = [("uploadId", upload.uploadID)]
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(S3XML.escape(part.etag))\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        request.body = Array(xml.utf8)
        request.headers.append(("Content-Type", "application/xml"))
        if ifNoneMatch { request.headers.append(("If-None-Match", "*")) }
        let response = try aws.send(
            request, service: .s3, kind: .post, safety: ifNoneMatch ? .conditional : .idempotent)
        if ifNoneMatch, response.status == 412 { return .alreadyExists }
        // A completion can fail inside a 200 answer: the body is then an <Error>.
        let text = Substring(String(decoding: response.body, as: UTF8.self))
        if !response.isSuccess || text.contains("<Error>") {
            if response.status == 404, response.hadAmbiguousFailure,
                let info = try headObject(bucket: upload.bucket, key: upload.key),
                info.etag?.hasSuffix("-\(parts.count)") == true
            {
                return .created(etag: info.etag)  // our earlier, ambiguous attempt completed it
            }
            var failed = response
            if failed.isSuccess { failed.status = 500 }
            throw error(failed, "COMPLETE MULTIPART UPLOAD", bucket: upload.bucket, key: upload.key)
        }
        return .created(etag: S3XML.first("ETag", in: text).map(Self.unquote))
    }

    /// Abandons an upload and frees its parts; aborting one that is gone succeeds.
    public func abortMultipartUpload(_ upload: MultipartUpload) throws(AWSError) {
        var request = try objectRequest("DELETE", bucket: upload.bucket, key: upload.key)
        request.query = [("uploadId", upload.uploadID)]
        let response = try aws.send(request, service: .s3, kind: .delete, safety: .idempotent)
        guard response.isSuccess || response.status == 404 else {
            throw error(response, "ABORT MULTIPART UPLOAD", bucket: upload.bucket, key: upload.key)
        }
    }

    /// Uploads `body` in ``Options/partSize`` parts, in parallel up to the transport's bound; aborts
    /// the upload when any part or the completion fails.
    func putObjectInParts(
        bucket: String, key: String, body: [UInt8], contentType: String, ifNoneMatch: Bool
    ) throws(AWSError) -> S3PutResult {
        let upload = try createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
        let partSize = options.partSize
        let count = (body.count + partSize - 1) / partSize
        let results = PartResults(count: count)
        let group = DispatchGroup()
        do {
            for index in 0..<count {
                let part = Array(body[index * partSize..<min(body.count, (index + 1) * partSize)])
                let call = try uploadPartCall(upload, number: index + 1, body: part)
                group.enter()
                aws.transport.start(call) { result in
                    results.set(index, result)
                    group.leave()
                }
            }
        } catch {
            group.wait()
            try? abortMultipartUpload(upload)
            throw error
        }
        group.wait()
        do {
            var parts: [UploadedPart] = []
            for index in 0..<count {
                let response = try results.get(index)
                parts.append(try response.uploadedPart(self, upload, index + 1))
            }
            let result = try completeMultipartUpload(upload, parts: parts, ifNoneMatch: ifNoneMatch)
            if result == .alreadyExists { try? abortMultipartUpload(upload) }
            return result
        } catch {
            try? abortMultipartUpload(upload)
            throw error
        }
    }
}

extension AWSResponse {
    /// The part an `UploadPart` answer confirms, or the error it reports.
    func uploadedPart(
        _ client: S3Client, _ upload: S3Client.MultipartUpload, _ number: Int
    ) throws(AWSError)
        -> S3Client.UploadedPart
    {
        guard isSuccess else {
            throw client.error(self, "UPLOAD PART \(number)", bucket: upload.bucket, key: upload.key)
        }
        guard let etag = header("etag") else {
            throw AWSError(
                .invalidResponse, "part \(number) of s3://\(upload.bucket)/\(upload.key) was accepted without an ETag")
        }
        return S3Client.UploadedPart(number: number, etag: S3Client.unquote(etag))
    }
}

/// Results of parts uploaded concurrently.
private final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<AWSResponse, AWSError>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<AWSResponse, AWSError>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func get(_ index: Int) throws(AWSError) -> AWSResponse {
        lock.lock()
        let result = results[index]!
        lock.unlock()
        return try result.get()
    }
}
