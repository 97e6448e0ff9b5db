import CZstd
import Synchronization

/// Reusable libzstd compression and decompression contexts.
///
/// `ZSTD_compress` and `ZSTD_decompress` create and free a context on every call, and a
/// context's tables (hundreds of KiB to a few MiB) are fresh memory each time — on a write that
/// compresses thousands of pages, allocating and faulting in those tables costs as much as the
/// compression itself. Pages borrow a context here instead and give it back; contexts carry no
/// state from one frame to the next, so reuse changes no output byte. At most one context per
/// concurrent user is ever created, and idle ones are kept (a handful: one per core).
final class ZstdContextPool: Sendable {
    static let shared = ZstdContextPool()

    /// A context pointer that may move between threads (only one thread uses it at a time).
    private struct Handle: @unchecked Sendable { let pointer: OpaquePointer }

    private let compressors = Mutex<[Handle]>([])
    private let decompressors = Mutex<[Handle]>([])

    /// Runs `body` with a compression context, or with `nil` if libzstd could not allocate one.
    func withCompressor<R>(_ body: (OpaquePointer?) -> R) -> R {
        let handle = compressors.withLock { $0.popLast() } ?? ZSTD_createCCtx().map(Handle.init)
        defer { if let h = handle { compressors.withLock { $0.append(h) } } }
        return body(handle?.pointer)
    }

    /// Runs `body` with a decompression context, or with `nil` if libzstd could not allocate one.
    func withDecompressor<R>(_ body: (OpaquePointer?) -> R) -> R {
        let handle = decompressors.withLock { $0.popLast() } ?? ZSTD_createDCtx().map(Handle.init)
        defer { if let h = handle { decompressors.withLock { $0.append(h) } } }
        return body(handle?.pointer)
    }
}
