import Dispatch
import Synchronization

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

/// Runs `body(i)` for every `i` in `0..<count` on `width` threads of their own (at most `count`;
/// `width` ≤ 1 runs in order on the caller's thread) and returns the results in index order.
///
/// For work that waits — requests to an object store — more threads than cores keep the cores
/// busy while some threads wait for answers; ``parallelMap(_:parallel:_:)`` runs one thread per
/// core. Errors as there: every index runs, the lowest failing index's error is rethrown.
public func parallelMap<T, E: Error>(
    _ count: Int, width: Int, _ body: @Sendable (Int) throws(E) -> T
) throws(E) -> [T] {
    let results = runWide(count, width: width) { i -> Result<T, E> in
        do throws(E) { return .success(try body(i)) } catch { return .failure(error) }
    }
    var out: [T] = []
    out.reserveCapacity(count)
    for r in results { out.append(try r.get()) }
    return out
}

private func runWide<T>(_ count: Int, width: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let threads = min(width, count)
    guard threads > 1 else { return (0..<count).map(body) }
    let slots = ParallelSlots<T>(count)
    let next = NextIndex()
    let group = DispatchGroup()
    withoutActuallyEscaping(body) { body in
        slots.items.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let base = buf.baseAddress!
            for w in 0..<threads {
                // A serial queue of its own gets a thread of its own, even while others wait.
                DispatchQueue(label: "lake.parallelMap.\(w)").async(group: group) {
                    while true {
                        let i = next.value.add(1, ordering: .relaxed).oldValue
                        guard i < count else { return }
                        (base + i).pointee = body(i)
                    }
                }
            }
            group.wait()
        }
    }
    return slots.items.map { $0! }
}

private final class NextIndex: Sendable {
    let value = Atomic<Int>(0)
}
