/// A byte range of an object, as sent in `Range: bytes=…`.
public enum S3ByteRange: Sendable, Equatable, CustomStringConvertible {
    /// Bytes `first` through `last`, both included.
    case closed(first: Int64, last: Int64)
    /// From `first` to the end of the object.
    case from(Int64)
    /// The last `count` bytes (a Parquet footer read).
    case suffix(Int64)

    /// The `Range` header value.
    public var description: String {
        switch self {
        case .closed(let a, let b): return "bytes=\(a)-\(b)"
        case .from(let a): return "bytes=\(a)-"
        case .suffix(let n): return "bytes=-\(n)"
        }
    }
}

/// What ``S3Client/headObject(bucket:key:)`` and listings tell about an object.
public struct S3ObjectInfo: Sendable, Equatable {
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// The entity tag, quotes removed (for a single-part upload, the MD5 of the body in hex).
    public var etag: String?
    /// `Last-Modified` as the server wrote it (ISO 8601 in listings, RFC 1123 in HEAD).
    public var lastModified: String?
    /// The `Content-Type` (HEAD only).
    public var contentType: String?

    public init(key: String, size: Int64, etag: String? = nil, lastModified: String? = nil, contentType: String? = nil)
    {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
    }
}

/// One page of ``S3Client/listObjects(bucket:prefix:delimiter:continuationToken:maxKeys:)``.
public struct S3ListPage: Sendable, Equatable {
    /// Objects whose keys start with the prefix (and, with a delimiter, hold no further delimiter).
    public var objects: [S3ObjectInfo]
    /// With a delimiter: the distinct prefixes up to and including the next delimiter ("folders").
    public var commonPrefixes: [String]
    /// The token for the next page; nil on the last page.
    public var nextContinuationToken: String?

    public init(objects: [S3ObjectInfo], commonPrefixes: [String], nextContinuationToken: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
    }
}

/// The outcome of a put.
public enum S3PutResult: Sendable, Equatable {
    /// The object was written (its entity tag, when the server returned one).
    case created(etag: String?)
    /// `ifNoneMatch` was set and the key already existed (HTTP 412): nothing was written.
    case alreadyExists
}

/// What ``S3Client/fetchObject(bucket:key:range:ifMatch:)`` returns.
public struct S3ObjectData: Sendable, Equatable {
    /// The bytes read (the range asked for, clipped to the object).
    public var body: [UInt8]
    /// The size of the whole object.
    public var objectSize: Int64
    /// The object's entity tag, quotes removed.
    public var etag: String?

    public init(body: [UInt8], objectSize: Int64, etag: String?) {
        self.body = body
        self.objectSize = objectSize
        self.etag = etag
    }
}

/// A multipart upload in progress, as ``S3Client/listMultipartUploads(bucket:prefix:delimiter:)`` lists it.
public struct S3MultipartUploadInfo: Sendable, Equatable {
    public var upload: S3Client.MultipartUpload
    /// When it was started, milliseconds since 1970 (nil if the server did not say).
    public var initiatedMillis: Int64?

    public init(upload: S3Client.MultipartUpload, initiatedMillis: Int64?) {
        self.upload = upload
        self.initiatedMillis = initiatedMillis
    }
}
