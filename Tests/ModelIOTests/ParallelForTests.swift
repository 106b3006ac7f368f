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

    @Test func firstErrorIsRethrown() {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try parallelFor(0..<10_000, threads: 4) { index in if index == 77 { throw Boom() } }
        }
    }
}
