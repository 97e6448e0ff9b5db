import LakeAWS
import LakeCore

/// ``S3Storage``'s streaming writer. Bytes collect in memory up to one part
/// (``S3Client/Options/partSize``, 8 MiB by default); a file that stays below it is published by
/// one PUT on ``finish()``. A bigger file becomes a multipart upload: started when the first part
/// is full, each full part uploaded as it fills, and the upload completed on `finish` — S3 makes
/// the object visible, whole, only then. Abandoned (or released unfinished), the upload is
/// aborted; one left by a crash is removed by ``S3Storage/discardIncompleteWrites(in:startedBefore:)``.
final class S3StorageWriter: StorageWriter {
    let path: String
    private let storage: S3Storage
    private let key: String
    private var buffer: [UInt8] = []
    private var upload: S3Client.MultipartUpload?
    private var parts: [S3Client.UploadedPart] = []
    private var written: Int64 = 0
    private var open = true

    init(storage: S3Storage, path: String, key: String) {
        self.storage = storage
        self.path = path
        self.key = key
    }

    deinit { abandon() }

    var bytesWritten: Int64 { written }

    private var partSize: Int { storage.client.options.partSize }

    func write(_ raw: UnsafeRawBufferPointer) throws(LakeError) {
        guard open else { throw LakeError(.io, "write \(path): the writer is finished or abandoned") }
        buffer.append(contentsOf: raw)
        written += Int64(raw.count)
        while buffer.count >= partSize {
            let part = Array(buffer[0..<partSize])
            buffer.removeFirst(partSize)
            try uploadPart(part)
        }
    }

    private func uploadPart(_ part: [UInt8]) throws(LakeError) {
        do {
            if upload == nil {
                upload = try storage.client.createMultipartUpload(bucket: storage.bucket, key: key)
            }
            parts.append(try storage.client.uploadPart(upload!, number: parts.count + 1, body: part))
        } catch {
            abandon()
            throw LakeError(s3: error, "write", path)
        }
    }

    func finish() throws(LakeError) {
        guard open else { throw LakeError(.io, "write \(path): the writer is finished or abandoned") }
        guard let upload else {
            open = false
            do {
                _ = try storage.client.putObject(bucket: storage.bucket, key: key, body: buffer)
            } catch {
                throw LakeError(s3: error, "write", path)
            }
            buffer = []
            return
        }
        do {
            if !buffer.isEmpty || parts.isEmpty {
                parts.append(try storage.client.uploadPart(upload, number: parts.count + 1, body: buffer))
            }
            buffer = []
            _ = try storage.client.completeMultipartUpload(upload, parts: parts)
            open = false
        } catch {
            abandon()
            if error.code == .notFound {
                throw LakeError(
                    .io, "write \(path) (\(storage.root)): the upload was discarded before it finished", cause: error)
            }
            throw LakeError(s3: error, "write", path)
        }
    }

    func abandon() {
        guard open else { return }
        open = false
        buffer = []
        if let upload { try? storage.client.abortMultipartUpload(upload) }
    }
}
