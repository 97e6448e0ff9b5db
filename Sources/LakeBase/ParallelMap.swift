import Dispatch

/// Runs `body(i)` for every `i` in `0..<count`, on all cores when `parallel`, and returns the
/// results in index order.
///
/// When `body` throws, every index still runs and the error of the lowest failing index is
/// rethrown, so the outcome does not depend on thread timing. A body that cannot throw makes the
/// call non-throwing (`E` is `Never`).
public func parallelMap<T, E: Error>(
    _ count: Int, parallel: Bool, _ body: @Sendable (Int) throws(E) -> T
) throws(E) -> [T] {
    let results = runParallel(count, parallel: parallel) { i -> Result<T, E> in
        do throws(E) { return .success(try body(i)) } catch { return .failure(error) }
    }
    var out: [T] = []
    out.reserveCapacity(count)
    for r in results { out.append(try r.get()) }
    return out
}

private func runParallel<T>(_ count: Int, parallel: Bool, _ body: @Sendable (Int) -> T) -> [T] {
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
