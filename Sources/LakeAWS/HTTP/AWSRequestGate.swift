import Dispatch
import Foundation

/// A bound on requests in flight that never blocks a thread: a request that finds no permit is
/// queued (first come, first served) and started when one is released.
final class AWSRequestGate: @unchecked Sendable {
    private let lock = NSLock()
    private var available: Int
    private var waiting: [@Sendable () -> Void] = []
    private var head = 0

    init(permits: Int) { available = permits }

    /// Runs `body` now if a permit is free, or later when one is released; `body` must lead to one
    /// ``release()``.
    func acquire(_ body: @escaping @Sendable () -> Void) {
        lock.lock()
        if available > 0 {
            available -= 1
            lock.unlock()
            body()
        } else {
            waiting.append(body)
            lock.unlock()
        }
    }

    /// Hands the permit to the next waiting request, or frees it.
    func release() {
        lock.lock()
        if head < waiting.count {
            let next = waiting[head]
            head += 1
            if head > 64, head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            lock.unlock()
            DispatchQueue.global().async(execute: next)
        } else {
            available += 1
            lock.unlock()
        }
    }
}
