import Dispatch

extension Array {
    /// `withUnsafeBytes` whose body throws ``ParquetError`` (the standard one only rethrows `any Error`).
    @inline(__always) @discardableResult
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R) throws(ParquetError) -> R {
        var result: Result<R, ParquetError>?
        withUnsafeBytes { raw in
            do throws(ParquetError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }

    /// `withUnsafeMutableBufferPointer` whose body throws ``ParquetError``.
    @inline(__always) @discardableResult
    mutating func withMutableBuffer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        var result: Result<R, ParquetError>?
        withUnsafeMutableBufferPointer { buf in
            do throws(ParquetError) { result = .success(try body(buf)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }
}

/// Runs `body(i)` for every `i` in `0..<count`, on all cores when `parallel`, and returns the
/// results in index order.
public func parallelMap<T>(_ count: Int, parallel: Bool, _ body: @Sendable (Int) -> T) -> [T] {
    guard parallel && count > 1 else { return (0..<count).map(body) }
    let slots = ParallelSlots<T>(count)
    slots.items.withUnsafeMutableBufferPointer { buf in
        nonisolated(unsafe) let base = buf.baseAddress!
        DispatchQueue.concurrentPerform(iterations: count) { i in (base + i).pointee = body(i) }
    }
    return slots.items.map { $0! }
}

private final class ParallelSlots<T>: @unchecked Sendable {
    var items: [T?]
    init(_ n: Int) { items = [T?](repeating: nil, count: n) }
}
