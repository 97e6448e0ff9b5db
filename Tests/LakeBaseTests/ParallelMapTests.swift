import Dispatch
import Synchronization
import Testing
import LakeBase

private struct IndexError: Error, Equatable { var index: Int }

@Suite struct ParallelMapTests {
    @Test(arguments: [false, true])
    func resultsComeBackInIndexOrder(parallel: Bool) {
        let out = parallelMap(1000, parallel: parallel) { i in i * i }
        #expect(out == (0..<1000).map { $0 * $0 })
    }

    @Test func theLowestFailingIndexIsRethrown() {
        for _ in 0..<20 {
            #expect(throws: IndexError(index: 3)) {
                _ = try parallelMap(200, parallel: true) { i throws(IndexError) -> Int in
                    if i == 3 || i == 150 || i == 199 { throw IndexError(index: i) }
                    return i
                }
            }
        }
    }

    @Test func emptyAndSingle() {
        #expect(parallelMap(0, parallel: true) { $0 }.isEmpty)
        #expect(parallelMap(1, parallel: true) { $0 + 1 } == [1])
    }

    @Test(arguments: [1, 3, 8])
    func wideResultsComeBackInIndexOrder(width: Int) {
        #expect(parallelMap(1000, width: width) { i in i * i } == (0..<1000).map { $0 * $0 })
        #expect(parallelMap(0, width: width) { $0 }.isEmpty)
        #expect(parallelMap(1, width: width) { $0 + 1 } == [1])
    }

    @Test func wideRethrowsTheLowestFailingIndex() {
        #expect(throws: IndexError(index: 3)) {
            _ = try parallelMap(200, width: 8) { i throws(IndexError) -> Int in
                if i == 3 || i == 150 || i == 199 { throw IndexError(index: i) }
                return i
            }
        }
    }

    /// Work that waits (a request) overlaps: `width` bodies are in flight at once, more than the
    /// machine's cores — each waits until all of them have started.
    @Test func wideRunsWidthBodiesAtOnce() {
        let width = 8
        let started = Mutex(0)
        let allStarted = DispatchSemaphore(value: 0)
        let out = parallelMap(width, width: width) { i -> Bool in
            let n = started.withLock { n in
                n += 1
                return n
            }
            if n == width { for _ in 0..<width { allStarted.signal() } }
            return allStarted.wait(timeout: .now() + 30) == .success
        }
        #expect(out == Array(repeating: true, count: width))
    }
}
