extension S3Client {
    /// Reads an object, or the part `range` names, with what the answer says about the whole
    /// object: its size (from `Content-Range`, so a suffix read of a footer also tells the size,
    /// saving a HEAD) and its entity tag.
    /// - Parameter ifMatch: an entity tag the object must still have (`If-Match`); a replaced
    ///   object then fails with `AWSError(.preconditionFailed)` instead of mixing two versions.
    /// - Throws: `AWSError(.notFound)` when the object does not exist; `AWSError(.invalidRequest)`
    ///   with status 416 for a range that starts past the end.
    public func fetchObject(
        bucket: String, key: String, range: S3ByteRange? = nil, ifMatch: String? = nil
    ) throws(AWSError) -> S3ObjectData {
        var request = try objectRequest("GET", bucket: bucket, key: key)
        if let range { request.headers.append(("Range", range.description)) }
        if let ifMatch { request.headers.append(("If-Match", "\"\(ifMatch)\"")) }
        let response = try aws.send(request, service: .s3, kind: .get, safety: .idempotent)
        guard response.isSuccess else { throw error(response, "GET", bucket: bucket, key: key) }
        var size = Int64(response.body.count)
        if response.status == 206, let contentRange = response.header("content-range"),
            let slash = contentRange.lastIndex(of: "/"),
            let total = Int64(contentRange[contentRange.index(after: slash)...])
        {
            size = total
        }
        return S3ObjectData(body: response.body, objectSize: size, etag: response.header("etag").map(Self.unquote))
    }

    /// The multipart uploads started and neither completed nor aborted whose keys start with
    /// `prefix` (with `delimiter`, only those directly under it), every page of
    /// `ListMultipartUploads`.
    public func listMultipartUploads(
        bucket: String, prefix: String, delimiter: String? = nil
    ) throws(AWSError)
        -> [S3MultipartUploadInfo]
    {
        var uploads: [S3MultipartUploadInfo] = []
        var keyMarker: String?
        var uploadMarker: String?
        repeat {
            var request = try bucketRequest("GET", bucket: bucket)
            request.query = [("uploads", nil), ("encoding-type", "url")]
            if !prefix.isEmpty { request.query.append(("prefix", prefix)) }
            if let delimiter { request.query.append(("delimiter", delimiter)) }
            if let keyMarker { request.query.append(("key-marker", keyMarker)) }
            if let uploadMarker { request.query.append(("upload-id-marker", uploadMarker)) }
            let response = try aws.send(request, service: .s3, kind: .list, safety: .idempotent)
            guard response.isSuccess else { throw error(response, "LIST UPLOADS", bucket: bucket, key: prefix) }
            let text = Substring(String(decoding: response.body, as: UTF8.self))
            guard text.contains("<ListMultipartUploadsResult") else {
                throw AWSError(
                    .invalidResponse,
                    "the upload listing of s3://\(bucket)/\(prefix) is not a ListMultipartUploadsResult: "
                        + "\(text.prefix(200))")
            }
            let urlEncoded = S3XML.first("EncodingType", in: text) == "url"
            for entry in S3XML.elements("Upload", in: text) {
                guard let key = S3XML.first("Key", in: entry), let id = S3XML.first("UploadId", in: entry) else {
                    throw AWSError(.invalidResponse, "an upload of s3://\(bucket)/\(prefix) has no Key or UploadId")
                }
                let initiated = S3XML.first("Initiated", in: entry).flatMap { AWSTimestamp.epochMillis(iso8601: $0) }
                uploads.append(
                    S3MultipartUploadInfo(
                        upload: MultipartUpload(
                            bucket: bucket, key: urlEncoded ? AWSURIEncoding.decode(key) : key, uploadID: id),
                        initiatedMillis: initiated))
            }
            if S3XML.first("IsTruncated", in: text) == "true" {
                keyMarker = S3XML.first("NextKeyMarker", in: text).map { urlEncoded ? AWSURIEncoding.decode($0) : $0 }
                uploadMarker = S3XML.first("NextUploadIdMarker", in: text)
                if keyMarker == nil && uploadMarker == nil { break }
            } else {
                keyMarker = nil
                uploadMarker = nil
            }
        } while keyMarker != nil || uploadMarker != nil
        return uploads
    }
}
