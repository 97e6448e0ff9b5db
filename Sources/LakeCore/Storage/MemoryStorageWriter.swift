/// ``MemoryStorage``'s streaming writer: an in-progress upload whose bytes become one object on
/// ``finish()``, and nothing when abandoned (as an S3 multipart upload that is never completed).
final class MemoryStorageWriter: StorageWriter {
    let path: String
    private let storage: MemoryStorage
    private let upload: Int
    private var bytes: [UInt8] = []
    private var open = true

    init(storage: MemoryStorage, path: String, upload: Int) {
        self.storage = storage
        self.path = path
        self.upload = upload
    }

    deinit { abandon() }

    var bytesWritten: Int64 { Int64(bytes.count) }

    func write(_ raw: UnsafeRawBufferPointer) throws(LakeError) {
        guard open else { throw LakeError(.io, "write \(path): the writer is finished or abandoned") }
        bytes.append(contentsOf: raw)
    }

    func finish() throws(LakeError) {
        guard open else { throw LakeError(.io, "write \(path): the writer is finished or abandoned") }
        open = false
        guard storage.completeUpload(upload, bytes) else {
            throw LakeError(.io, "write \(path) (\(storage.root)): the upload was discarded before it finished")
        }
    }

    func abandon() {
        guard open else { return }
        open = false
        bytes = []
        storage.abortUpload(upload)
    }
}
