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
}
