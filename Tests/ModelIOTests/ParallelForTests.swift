import Testing
@testable import ModelIO

@Suite struct ParallelForTests {
    @Test(arguments: [1, 2, 3, 8, 64])
    func everyIndexRunsOnceWhateverTheThreadCount(_ threads: Int) throws {
        let results = try parallelMap(0..<1000, threads: threads) { index in index * index }
        #expect(results == (0..<1000).map { $0 * $0 })
        let shifted = try parallelMap(5..<9, threads: threads) { index in index }
        #expect(shifted == [5, 6, 7, 8])
    }

    /// Each worker appends to its own state only (shared ones would lose appends or crash), and
    /// states carry over from call to call.
    @Test(arguments: [1, 2, 4])
    func workerStatesAreOwnedByOneWorkerAndKept(_ threads: Int) {
        let states = WorkerStates(count: threads) { [Int]() }
        for call in 0..<3 {
            parallelFor(0..<500, threads: threads, states: states) { seen, index in seen.append(call * 500 + index) }
        }
        let seen = (0..<threads).flatMap { states.slots[$0] }
        #expect(seen.sorted() == Array(0..<1500))
    }

    @Test func firstErrorIsRethrown() {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try parallelFor(0..<10_000, threads: 4) { index in if index == 77 { throw Boom() } }
        }
    }
}
